package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever agents and visitors write is shown as text on the shop's page, never run as markup. */
class ChatBoxXssTest extends ChatBoxTestBase {
    @Test
    void payloadsFromAgentsAndVisitorsStayLiteralText() throws IOException {
        List<String> payloads = payloads();
        ChatBox box = ChatBox.open(context, app, "");
        List<String> dialogs = new ArrayList<>();
        box.page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        box.launcher().click();
        box.send(payloads.get(0));
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();

        // An agent whose name and avatar are hostile too.
        owner.patch("/auth/me", Map.of("name", "<img src=x onerror=\"window.__pwned='name'\">"));
        owner.patch("/auth/me", Map.of("avatar_url", "javascript:window.__pwned='avatar'")); // may be refused: fine
        TestParley.Api agent = app.owner();
        for (String p : payloads) ChatBox.reply(agent, id, p);
        for (String p : payloads.subList(1, 8)) box.send(p);
        box.awaitAllAcked();
        expect(box.theirs()).hasCount(payloads.size());
        box.page.waitForTimeout(500); // time for any injected handler to fire

        assertThat(box.texts(box.theirs())).containsExactlyElementsOf(payloads);
        assertThat(box.texts(box.mine())).containsExactlyElementsOf(payloads.subList(0, 8));
        assertThat(box.page.evaluate("() => window.__pwned")).isNull();
        assertThat(dialogs).isEmpty();
        // Inside bubbles the only elements are links we made, and only to http(s).
        assertThat(box.page.evaluate("""
                () => [...document.querySelector('parley-chat').shadowRoot.querySelectorAll('.bub *')]
                        .filter(e => e.tagName !== 'A' || !/^https?:/.test(e.getAttribute('href'))).length""")).isEqualTo(0);
        assertThat(box.page.evaluate("""
                () => [...document.querySelector('parley-chat').shadowRoot.querySelectorAll('img')]
                        .filter(i => !i.matches('.uppic') || i.getAttribute('src') !== null)
                        .filter(i => !/^https?:/.test(i.getAttribute('src'))).length""")).as("images, but the composer's own empty upload preview").isEqualTo(0);
        box.screenshot("xss-literal");
    }

    private static List<String> payloads() throws IOException {
        try (var in = ChatBoxXssTest.class.getResourceAsStream("/xss-payloads.txt")) {
            if (in == null) throw new IllegalStateException("xss-payloads.txt is missing from src/test/resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("# ")).toList();
        }
    }
}
