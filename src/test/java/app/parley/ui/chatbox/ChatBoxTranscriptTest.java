package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "Email me this conversation" in the chat box (issue #12, point 5): offered once the chat ended, prefilled with the
 * address the visitor gave, the server's refusal shown in words, and one request once it is sent.
 */
class ChatBoxTranscriptTest extends ChatBoxTestBase {
    @Test
    void theVisitorAsksForTheTranscriptOnceTheChatEnded() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.page.evaluate("() => smartsupp('email', 'ann.smith@example.com')");
        box.send("Can I return shoes after 30 days?");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();
        ChatBox.reply(owner, id, "Yes, within 60 days.");
        expect(box.text("Email me this conversation")).hasCount(0);

        owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", Map.of());
        expect(box.text("This chat has ended")).isVisible();
        expect(box.text("Email me this conversation")).isVisible();
        var email = box.page.locator("parley-chat form.transcript input[name=email]");
        expect(email).hasValue("ann.smith@example.com");

        // An address the browser's check lets through but the server refuses (a local part over 64 characters).
        email.fill("a".repeat(70) + "@example.com");
        box.page.locator("parley-chat form.transcript button.primary").click();
        expect(box.text("Please enter a valid email address.")).isVisible();
        expect(email).hasAttribute("aria-invalid", "true");
        box.screenshot("transcript-refused");

        email.fill("ann.smith@example.com");
        box.page.locator("parley-chat form.transcript button.primary").click();
        expect(box.text("We sent this conversation to ann.smith@example.com.")).isVisible();
        box.screenshot("transcript-sent");
        long requests = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM visitor_transcripts WHERE conversation_id = :c AND address = 'ann.smith@example.com'")
                .bind("c", id).mapTo(Long.class).one());
        assertThat(requests).isEqualTo(1);
    }
}
