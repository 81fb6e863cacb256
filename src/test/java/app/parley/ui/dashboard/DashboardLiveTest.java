package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.WebSocketRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard stays live: it resumes after a dropped socket, and tells the agent about new chats. */
class DashboardLiveTest {
    private TestParley parley;

    @BeforeEach
    void start() {
        parley = TestParley.start();
    }

    @AfterEach
    void stop() {
        parley.close();
    }

    private static long conversationOf(VisitorSocketClient v) {
        return v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
    }

    @Test
    void droppedSocketShowsReconnectingAndResumesWithoutReloadNothingMissed() throws Exception {
        AtomicBoolean serverReachable = new AtomicBoolean(true);
        List<String> socketUrls = new CopyOnWriteArrayList<>();
        List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();
        try (var first = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var s = DashboardSession.signIn(parley, TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD, page ->
                     // A proxy in front of the agent socket: the test can cut the line and refuse reconnects.
                     page.routeWebSocket(Pattern.compile(".*/ws/agent.*"), ws -> {
                         socketUrls.add(ws.url());
                         if (!serverReachable.get()) {
                             ws.close();
                             return;
                         }
                         ws.connectToServer();
                         sockets.add(ws);
                     }))) {
            first.say("Hello, is anyone there?");
            long id = conversationOf(first);
            s.go("#/conversations/all/" + id);
            assertThat(s.page.locator(".msg-in .bubble").last()).hasText("Hello, is anyone there?");
            s.page.evaluate("() => { window.__sameDocument = true; }");

            // The line drops and the server cannot be reached for a moment.
            serverReachable.set(false);
            sockets.forEach(WebSocketRoute::close);
            assertThat(s.page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).hasText("Connection lost. Reconnecting…");
            Browsers.screenshot(s.page, "dashboard-reconnecting");

            // Meanwhile the visitor writes, and someone else starts a chat.
            first.say("Are you still there?");
            try (var second = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
                second.say("I have a question about returns");
                long other = conversationOf(second);

                serverReachable.set(true);
                assertThat(s.page.locator(".banner")).hasCount(0, new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));
                assertThat(s.page.locator(".msg-in .bubble")).hasText(new String[] {"Hello, is anyone there?", "Are you still there?"});
                assertThat(s.row(other).locator(".row-excerpt")).hasText("I have a question about returns");
                assertThat(s.row(other).locator(".badge")).hasText("1");
                assertThat(s.tabCount("all")).hasText("2");
            }
            assertThat(s.page.evaluate("() => window.__sameDocument === true")).isEqualTo(true);
            String resumed = socketUrls.getLast();
            assertThat(resumed).matches(".*/ws/agent\\?after=\\d+$");
            assertThat(s.errors).isEmpty();
        }
    }

    private static final String FAKE_NOTIFICATIONS_AND_AUDIO = """
            window.__notes = []; window.__asks = 0; window.__chimes = 0;
            class FakeNotification {
              constructor(title, options) { window.__notes.push({ title, body: options && options.body }); }
              close() {}
            }
            FakeNotification.permission = 'default';
            FakeNotification.requestPermission = async () => { window.__asks++; FakeNotification.permission = 'granted'; return 'granted'; };
            window.Notification = FakeNotification;
            class FakeAudioContext {
              constructor() { this.state = 'running'; this.currentTime = 0; this.destination = {}; }
              resume() { return Promise.resolve(); }
              createOscillator() {
                window.__chimes++;
                return { type: '', frequency: { value: 0 }, connect: (g) => g, start() {}, stop() {} };
              }
              createGain() {
                return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (d) => d };
              }
            }
            window.AudioContext = FakeAudioContext;
            """;

    @Test
    void desktopNotificationIsAskedFromAButtonAndAnnouncesNewChatsWithSoundAndTitle() throws Exception {
        try (var s = DashboardSession.signIn(parley, TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD,
                page -> page.addInitScript(FAKE_NOTIFICATIONS_AND_AUDIO))) {
            assertThat(s.page.evaluate("() => window.__asks")).isEqualTo(0); // never asked on load
            s.button("Enable desktop notifications").click();
            assertThat(s.button("Enable desktop notifications")).hasCount(0);
            assertThat(s.page.evaluate("() => window.__asks")).isEqualTo(1);

            try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
                v.identify(java.util.Map.of("name", "Tomáš Novák"));
                v.say("Can I return shoes after 30 days?");
                long id = conversationOf(v);
                assertThat(s.row(id)).isVisible();
                s.page.waitForFunction("() => window.__notes.length > 0");
                assertThat(s.page.evaluate("() => JSON.stringify(window.__notes[0])").toString())
                        .contains("Can I return shoes after 30 days?");
                assertThat((Integer) s.page.evaluate("() => window.__chimes")).isGreaterThan(0);
                assertThat(s.page).hasTitle(Pattern.compile("^\\(\\d+\\) Parley$"));

                s.open(id);
                assertThat(s.page).hasTitle("Parley");
            }
            assertThat(s.errors).isEmpty();
        }
    }
}
