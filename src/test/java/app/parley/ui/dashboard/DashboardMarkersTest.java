package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #18, point 10: an offline-form conversation is marked in the list and thread; "mark as unread" is no envelope. */
class DashboardMarkersTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void anOfflineMessageIsMarkedInTheListAndTheThreadAndUnreadIsADot() throws Exception {
        long offlineId;
        try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
            // Nobody is signed in: the chat box is offline, and what the visitor sends is an offline message.
            v.identify(Map.of("name", "Anna", "email", "anna@example.cz"));
            v.say("Please call me back about order 1042.");
            offlineId = v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
        }
        assertThat(parley.owner().get("/v2/conversations/" + offlineId).path("is_offline").asBoolean()).isTrue();
        try (var s = DashboardSession.owner(parley)) {
            // Online now: a conversation started while someone is there carries no marker.
            assertThat(s.page.locator(".status-switch")).hasAttribute("aria-checked", "true");
            long onlineId;
            try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
                v.say("Hi, quick question about sizes");
                onlineId = v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
            }
            s.go("#/conversations/all");
            assertThat(s.row(offlineId).getByTestId("offline-marker")).isVisible();
            assertThat(s.row(onlineId).getByTestId("offline-marker")).hasCount(0);
            s.open(offlineId);
            assertThat(s.threadHeader().getByTestId("offline-marker")).hasText("Offline message");
            assertThat(s.page.locator(".msg-in .bubble")).hasText("Please call me back about order 1042.");
            var unread = s.headerButton("Mark as unread");
            assertThat(unread.locator("svg circle")).hasCount(2);
            assertThat(unread.locator("svg rect")).hasCount(0);
            Browsers.screenshot(s.page, "dashboard-offline-marker-unread-icon");
            unread.click();
            assertThat(s.row(offlineId).locator(".badge-dot")).isVisible();
            assertThat(s.errors).isEmpty();
        }
    }
}
