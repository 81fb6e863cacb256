package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rest of Smartsupp's snippet (issue #18, point 9): zIndex, cookiePath, requireLogin, privacy notice, analytics. */
class ChatBoxSnippetOptionsTest {
    private static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        app.owner().expect(200, "PATCH", "/auth/me", Map.of("status", "online"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void zIndexAndCookiePathAreHonoured() {
        try (BrowserContext context = ChatBox.desktop()) {
            ChatBox box = ChatBox.open(context, app, "&zIndex=77&cookiePath=/shop");
            assertThat(box.page.evaluate("() => getComputedStyle(document.querySelector('parley-chat')).zIndex")).isEqualTo("77");
            ChatBox.eventually("the visitor cookie is written", 10_000,
                    () -> context.cookies().stream().anyMatch(c -> c.name.equals("parley_vid")));
            assertThat(context.cookies().stream().filter(c -> c.name.equals("parley_vid")).map(c -> c.path).toList())
                    .containsExactly("/shop");
        }
    }

    @Test
    void requireLoginShowsTheChatBoxOnlyToAnIdentifiedVisitor() {
        try (BrowserContext context = ChatBox.desktop()) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/demo/shop.html?key=" + app.accountKey() + "&requireLogin=true");
            // Ready (connected and configured) yet hidden: the launcher must stay hidden for an anonymous visitor.
            page.waitForFunction("() => document.querySelector('parley-chat')?.shadowRoot?.querySelector('.pw')");
            page.waitForTimeout(1000);
            ChatBox box = ChatBox.on(page);
            expect(box.launcher()).isHidden();
            box.page.evaluate("() => smartsupp('email', 'jana@example.cz')");
            expect(box.launcher()).isVisible();
        }
    }

    @Test
    void aRequiredPrivacyNoticeMustBeAcceptedBeforeTheFirstMessage() {
        try (BrowserContext context = ChatBox.desktop()) {
            ChatBox box = ChatBox.open(context, app,
                    "&privacyNoticeUrl=https%3A%2F%2Fshop.example%2Fprivacy&privacyNoticeCheckRequired=true");
            box.launcher().click();
            expect(box.composer()).isHidden();
            box.page.locator("parley-chat form button.primary").click();
            expect(box.text("Please accept the privacy notice first.")).isVisible();
            expect(box.page.locator("parley-chat .consent a")).hasAttribute("href", "https://shop.example/privacy");
            box.screenshot("privacy-consent");
            box.page.locator("parley-chat #parley-consent").check();
            box.page.locator("parley-chat form button.primary").click();
            expect(box.composer()).isVisible();
            box.send("Hello after consent");
            box.awaitAllAcked();
        }
    }

    @Test
    void chatEventsReachThePagesOwnAnalytics() {
        try (BrowserContext context = ChatBox.desktop()) {
            context.addInitScript("window.__ga = []; window.gtag = function () { window.__ga.push(Array.from(arguments)); };");
            ChatBox box = ChatBox.open(context, app, "&gaKey=G-TEST123");
            box.launcher().click();
            box.send("Counting this one");
            box.awaitAllAcked();
            ChatBox.eventually("message_sent reported", 5000, () -> events(box.page).contains("message_sent"));
            assertThat(box.page.evaluate("() => window.__ga.find(e => e[1] === 'message_sent')[2].send_to")).isEqualTo("G-TEST123");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(Page page) {
        return (List<String>) page.evaluate("() => window.__ga.map(e => e[1])");
    }
}
