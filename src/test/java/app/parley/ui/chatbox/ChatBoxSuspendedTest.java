package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;

import app.parley.account.AccessChanges;
import app.parley.instance.Instance;
import org.junit.jupiter.api.Test;

/** Issue #15 point 7: the chat box of a shop whose account the instance administrator suspended goes away quietly. */
class ChatBoxSuspendedTest extends ChatBoxTestBase {
    @Test
    void aSuspendedShopsChatBoxHidesWithoutAnErrorAndComesBackWhenUnsuspended() {
        ChatBox box = ChatBox.open(context, app, "");
        expect(box.launcher()).isVisible();
        var jdbi = app.parley().database().jdbi();
        long account = jdbi.withHandle(h -> h.createQuery("SELECT id FROM accounts WHERE chat_key = :k")
                .bind("k", app.accountKey()).mapTo(Long.class).one());
        Instance instance = new Instance(jdbi, AccessChanges.NONE);

        // Suspended elsewhere (the command-line tool, say): this node closes the open chat box within a second.
        instance.suspend(account);
        expect(box.launcher()).isHidden();
        box.page.reload();
        box.page.waitForFunction("() => { const r = document.querySelector('parley-chat')?.shadowRoot;"
                + " const el = r && r.querySelector('.pw'); return el && !el.hidden; }");
        expect(box.launcher()).isHidden();
        box.screenshot("chat-box-account-suspended");

        instance.unsuspend(account);
        box.page.reload();
        expect(box.launcher()).isVisible();
    }
}
