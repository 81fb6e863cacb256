package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A chat as the visitor lives it: unread badge, typing both ways, "Seen", ending the chat, rating. */
class ChatBoxConversationTest extends ChatBoxTestBase {
    @Test
    void aReplyWhileTheBoxIsClosedShowsABadgeAndBlinksTheTitleUntilRead() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("Is anyone there?");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();
        box.launcher().click();
        expect(box.panel()).isHidden();

        ChatBox.reply(owner, id, "Yes! Eva here.");
        ChatBox.reply(owner, id, "How can I help?");
        expect(box.badge()).hasText("2");
        expect(box.launcher()).hasAttribute("aria-label", "Open chat, 2 unread messages");
        ChatBox.eventually("the title blinks", 5000,
                () -> box.page.title().startsWith("New message from Owner"));
        box.screenshot("unread-badge");

        box.launcher().click();
        expect(box.theirs()).hasText(new String[] {"Yes! Eva here.", "How can I help?"});
        expect(box.badge()).isHidden();
        ChatBox.eventually("the title is restored", 5000, () -> box.page.title().equals("Fern & Field — Loose-leaf tea"));
        // The visitor's read mark reached the server: a new page shows no badge.
        ChatBox again = ChatBox.open(context, app, "");
        again.page.waitForTimeout(500);
        expect(again.badge()).isHidden();
    }

    @Test
    void typingShowsBothWaysAndSeenAppearsWhenTheAgentReads() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("Hello");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();

        try (TestSocket agent = TestSocket.agent(app, owner, null)) {
            agent.await("welcome");
            box.composer().pressSequentially("Where is my ord", new com.microsoft.playwright.Locator.PressSequentiallyOptions().setDelay(30));
            JsonNode typing = agent.await(f -> "typing".equals(f.path("type").asText()) && f.path("data").path("visitor").asBoolean()
                    && f.path("data").path("draft").asText().startsWith("Where"));
            assertThat(typing.path("conversation_id").asLong()).isEqualTo(id);
            assertThat(typing.path("data").path("typing").asBoolean()).isTrue();

            agent.send(Map.of("type", "typing", "conversation_id", id, "typing", true));
            expect(box.text("Owner is typing")).isVisible();
            box.screenshot("agent-typing");
            agent.send(Map.of("type", "typing", "conversation_id", id, "typing", false));
            expect(box.text("Owner is typing")).isHidden();
        }

        box.composer().fill("");
        box.send("Order 1042");
        box.awaitAllAcked();
        expect(box.text("Seen")).hasCount(0);
        owner.expect(200, "POST", "/v2/conversations/" + id + "/read", Map.of());
        expect(box.page.locator("parley-chat .row.me.last .meta").last()).containsText("Seen");
    }

    @Test
    void theVisitorEndsTheChatAndRatesIt() {
        ChatBox box = ChatBox.open(context, app, "&ratingEnabled=true");
        box.launcher().click();
        box.send("Thanks for the help");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();
        ChatBox.reply(owner, id, "You're welcome!");
        expect(box.theirs()).hasText(new String[] {"You're welcome!"});

        box.page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("Chat options")).click();
        box.page.getByRole(com.microsoft.playwright.options.AriaRole.MENUITEM,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("End chat")).click();
        expect(box.text("You ended the chat")).isVisible();
        ChatBox.eventually("the conversation is closed by the visitor", 5000, () -> {
            JsonNode c = ChatBox.conversation(owner, id);
            return "closed".equals(c.path("status").asText()) && "visitor_close".equals(c.path("close_type").asText());
        });

        expect(box.text("How was your chat?")).isVisible();
        box.page.locator("parley-chat button.face[aria-label=Good]").click();
        box.page.locator("parley-chat .rate textarea").fill("Quick and friendly");
        box.screenshot("rating");
        box.page.locator("parley-chat .rate button.primary").click();
        expect(box.text("Thank you for your feedback!")).isVisible();
        ChatBox.eventually("the rating is stored", 5000, () -> ChatBox.conversation(owner, id).path("rating_value").asInt() == 5);
        assertThat(ChatBox.conversation(owner, id).path("rating_text").asText()).isEqualTo("Quick and friendly");

        // Writing again reopens the same conversation (docs/PRODUCT.md §1.1).
        box.send("One more thing");
        box.awaitAllAcked();
        ChatBox.eventually("reopened", 5000, () -> "open".equals(ChatBox.conversation(owner, id).path("status").asText()));
        expect(box.text("How was your chat?")).hasCount(0);
    }

    @Test
    void anAgentResolvingOffersNoRatingWhenTheShopTurnedItOff() {
        // Rating is on unless turned off (issue #18): here the shop turned it off in the dashboard.
        owner.expect(200, "PUT", "/v2/account/chat-box", Map.of("rating_enabled", false));
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("Bye");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();
        ChatBox.reply(owner, id, "Bye!");
        owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", Map.of());
        expect(box.text("This chat has ended")).isVisible();
        box.page.waitForTimeout(300);
        expect(box.text("How was your chat?")).hasCount(0);
    }
}
