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
        // On the next page the shop's chat box is told at once (403 chat_unavailable) and never shows.
        var config = box.page.waitForResponse(r -> r.url().contains("/widget/config"), () -> box.page.reload());
        org.assertj.core.api.Assertions.assertThat(config.status()).isEqualTo(403);
        box.page.waitForFunction("() => !!document.querySelector('parley-chat')?.shadowRoot?.querySelector('.pw')");
        expect(box.launcher()).isHidden();
        box.screenshot("chat-box-account-suspended");

        instance.unsuspend(account);
        box.page.reload();
        expect(box.launcher()).isVisible();
    }
}
