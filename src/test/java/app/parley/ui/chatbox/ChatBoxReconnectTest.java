package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server goes away mid-chat: nothing the visitor sends is lost or doubled, and no reply is missed. */
class ChatBoxReconnectTest extends ChatBoxTestBase {
    @Test
    void messagesWrittenDuringAnOutageAreDeliveredOnceAndRepliesArriveOnce() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("one");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(app.owner()).path("id").asLong();
        ChatBox.reply(app.owner(), id, "reply before");
        expect(box.theirs()).hasText(new String[] {"reply before"});

        int port = app.port();
        app.stop();
        box.send("two");
        box.send("three");
        expect(box.pending()).hasCount(2);
        box.page.waitForTimeout(2500); // a few failed reconnect attempts
        expect(box.text("Reconnecting…")).isVisible();
        box.screenshot("reconnect-outage");

        app.startAgain(port);
        // The agent answers before the chat box is back: the reply must come with the resumed events.
        TestParley.Api owner = app.owner();
        ChatBox.reply(owner, id, "reply during");
        box.awaitAllAcked();
        ChatBox.reply(owner, id, "reply after");

        expect(box.mine()).hasText(new String[] {"one", "two", "three"});
        expect(box.theirs()).hasText(new String[] {"reply before", "reply during", "reply after"});
        expect(box.text("We're online")).isVisible();
        assertThat(ChatBox.texts(owner, id, "contact")).containsExactly("one", "two", "three");
        assertThat(ChatBox.texts(owner, id, "agent")).containsExactly("reply before", "reply during", "reply after");
        box.screenshot("reconnect-after");

        // A fresh page load shows the same thread, still without doubles.
        box.page.reload();
        expect(box.mine()).hasText(new String[] {"one", "two", "three"});
        expect(box.theirs()).hasText(new String[] {"reply before", "reply during", "reply after"});
    }

    @Test
    void aRestartWhileTheVisitorIsSendingLosesAndDoublesNothing() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("warm-up");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(app.owner()).path("id").asLong();

        // The page keeps sending on its own timer while the server restarts under it.
        box.page.evaluate("""
                () => { let i = 0; const t = setInterval(() => {
                  smartsupp('chat:send', 'burst ' + (++i)); if (i === 12) clearInterval(t); }, 120); }""");
        box.page.waitForTimeout(400);
        app.restart();
        ChatBox.eventually("all 12 burst messages queued", 10_000,
                () -> box.texts(box.mine()).stream().filter(t -> t.startsWith("burst")).count() == 12);
        box.awaitAllAcked();

        List<String> expected = new ArrayList<>(List.of("warm-up"));
        for (int i = 1; i <= 12; i++) expected.add("burst " + i);
        TestParley.Api owner = app.owner();
        assertThat(ChatBox.texts(owner, id, "contact")).containsExactlyElementsOf(expected);
        expect(box.mine()).hasText(expected.toArray(String[]::new));
        ChatBox.reply(owner, id, "got them all");
        expect(box.theirs()).hasText(new String[] {"got them all"});
    }
}
