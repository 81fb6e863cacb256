package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No agent online: the chat box offers a contact form, which becomes an offline conversation. */
class ChatBoxOfflineTest extends ChatBoxTestBase {
    @Override
    boolean ownerOnline() {
        return false; // the owner starts offline, and nobody else exists
    }

    @Test
    void contactFormRequiresAnEmailAndCreatesAnOfflineConversation() {
        JsonNode sales = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales"));
        ChatBox box = ChatBox.open(context, app, "&privacyNoticeUrl=https://shop.example/privacy");
        box.launcher().click();
        expect(box.text("Leave us a message").first()).isVisible();
        expect(box.composer()).isHidden();
        expect(box.field("email")).isFocused();

        box.page.locator("parley-chat form button[type=submit]").click();
        expect(box.text("Please enter your email address.")).isVisible();
        expect(box.text("Please write your message.")).isVisible();
        expect(box.field("email")).hasAttribute("aria-invalid", "true");
        expect(box.field("email")).isFocused();
        box.screenshot("offline-form-errors");

        box.field("email").fill("jane@");
        box.field("text").fill("Do you sell gift cards?");
        box.page.locator("parley-chat form button[type=submit]").click();
        expect(box.text("Please enter a valid email address.")).isVisible();
        assertThat(ChatBox.conversations(owner)).isEmpty();

        box.field("email").fill("jane@example.com");
        box.field("name").fill("Jane Doe");
        box.field("phone").fill("+420 777 123 456");
        box.field("group").selectOption("sales");
        box.page.locator("parley-chat form button[type=submit]").click();

        expect(box.mine()).hasText(new String[] {"Do you sell gift cards?"});
        box.awaitAllAcked();
        expect(box.text("Thanks! We'll get back to you at jane@example.com.")).isVisible();
        expect(box.page.locator("parley-chat form")).hasCount(0);
        box.screenshot("offline-form-sent");

        JsonNode conversation = ChatBox.onlyConversation(owner);
        assertThat(conversation.path("is_offline").asBoolean()).isTrue();
        assertThat(conversation.path("visitor").path("email").asText()).isEqualTo("jane@example.com");
        assertThat(conversation.path("visitor").path("name").asText()).isEqualTo("Jane Doe");
        assertThat(conversation.path("visitor").path("phone").asText()).isEqualTo("+420 777 123 456");
        assertThat(conversation.path("group_id").asLong()).isEqualTo(sales.path("id").asLong());
        assertThat(ChatBox.texts(owner, conversation.path("id").asLong(), "contact")).containsExactly("Do you sell gift cards?");
    }

    @Test
    void theBoxSwitchesBetweenFormAndChatAsAgentsComeAndGo() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        expect(box.page.locator("parley-chat form")).isVisible();
        expect(box.text("Leave us a message").first()).isVisible();

        owner.patch("/auth/me", Map.of("status", "online"));
        expect(box.page.locator("parley-chat form")).hasCount(0);
        expect(box.composer()).isVisible();
        expect(box.text("We're online")).isVisible();

        owner.patch("/auth/me", Map.of("status", "offline"));
        expect(box.page.locator("parley-chat form")).isVisible();
    }
}
