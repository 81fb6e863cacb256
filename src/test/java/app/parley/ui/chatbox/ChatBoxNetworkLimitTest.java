package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import com.microsoft.playwright.BrowserContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, point 12, as a visitor sees it: when the visitor's network (one address) has opened its share of new
 * conversations, the chat box says so in words, keeps the message, and sends it once the budget allows.
 */
class ChatBoxNetworkLimitTest {
    @Test
    void aVisitorBeyondTheNetworksBudgetIsToldWhyAndTheMessageIsKept() {
        try (TestParley app = TestParley.start(Map.of("PARLEY_NEW_CONVERSATIONS_PER_IP_PER_MINUTE", "1"))) {
            app.owner().patch("/auth/me", Map.of("status", "online"));
            try (BrowserContext first = ChatBox.desktop(); BrowserContext second = ChatBox.desktop()) {
                ChatBox allowed = ChatBox.open(first, app, "");
                allowed.launcher().click();
                allowed.send("First chat from this office");
                allowed.awaitAllAcked();

                ChatBox limited = ChatBox.open(second, app, "");
                limited.launcher().click();
                limited.send("Second chat from the same office");
                expect(limited.text("Too many chats from your network. Please try again in a minute.")).isVisible();
                expect(limited.mine()).hasText(new String[] {"Second chat from the same office"});
                limited.screenshot("network-limit");
                assertThat(ChatBox.conversations(app.owner())).hasSize(1);
            }
        }
    }
}
