package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a visitor sees once the shop has set itself up (issue #18, points 1–3): the shop's name and logo instead of
 * "My shop", the agent's own name instead of "Owner", the shop's colour, side, greeting and pre-chat form, and the
 * page's _smartsupp keys still winning over the dashboard.
 */
class ChatBoxSettingsTest {
    private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static TestParley app;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        owner.expect(200, "PATCH", "/v2/account/settings", Map.of("name", "Tea & Co"));
        owner.expect(200, "PUT", "/v2/account/logo", Map.of("image", PNG));
        owner.expect(200, "PATCH", "/auth/me", Map.of("name", "Jana Nováková", "status", "online"));
        Map<String, Object> box = new HashMap<>();
        box.put("color", "#2b8a3e");
        box.put("position", "left");
        box.put("greetings", Map.of("en", "Welcome to Tea & Co! Ask us about any tea."));
        box.put("pre_chat_form", Map.of("enabled", true, "ask_name", true, "ask_email", true, "email_required", false));
        owner.expect(200, "PUT", "/v2/account/chat-box", box);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aVisitorReadsTheShopsNameGreetingAndTheAgentsOwnNameNeverMyShopOrOwner() {
        try (BrowserContext context = ChatBox.desktop()) {
            ChatBox box = ChatBox.open(context, app, "");
            // The launcher sits on the side the dashboard chose.
            assertThat((Boolean) box.page.evaluate("() => document.querySelector('parley-chat').shadowRoot"
                    + ".querySelector('.launcher').getBoundingClientRect().left < 200")).isTrue();
            box.launcher().click();
            expect(box.panel().locator(".title")).hasText("Tea & Co");
            expect(box.panel().locator(".head img")).hasAttribute("src", java.util.regex.Pattern.compile("/images/"));
            expect(box.text("Welcome to Tea & Co! Ask us about any tea.")).isVisible();
            // The pre-chat form comes before the composer.
            expect(box.composer()).isHidden();
            box.page.locator("parley-chat #parley-p-name").fill("Petr");
            box.page.locator("parley-chat #parley-p-email").fill("petr@example.com");
            box.screenshot("settings-pre-chat");
            box.page.locator("parley-chat form button.primary").click();
            expect(box.composer()).isVisible();
            box.send("Do you have sencha?");
            box.awaitAllAcked();

            JsonNode conversation = ChatBox.onlyConversation(owner);
            long id = conversation.path("id").asLong();
            owner.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            owner.expect(201, "POST", "/v2/conversations/" + id + "/messages", Map.of("type", "message", "text", "We do!"));
            expect(box.text("Jana Nováková joined the chat")).isVisible();
            expect(box.theirs()).hasText("We do!");
            String panelText = box.panel().innerText();
            assertThat(panelText).doesNotContain("My shop").doesNotContain("Owner joined");
            box.screenshot("settings-shop-name-agent-name");
            // Rating is on by default (the page set no ratingEnabled, nor did the dashboard turn it off).
            owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", Map.of());
            expect(box.text("How was your chat?")).isVisible();
            JsonNode visitor = owner.get("/v2/visitors/" + conversation.path("visitor_id").asLong());
            assertThat(visitor.toString()).contains("Petr").contains("petr@example.com");
        }
    }

    @Test
    void thePagesOwnSmartsuppKeysStillWin() {
        try (BrowserContext context = ChatBox.desktop()) {
            ChatBox box = ChatBox.open(context, app, "&orientation=right&color=%23e03131");
            assertThat((Boolean) box.page.evaluate("() => document.querySelector('parley-chat').shadowRoot"
                    + ".querySelector('.launcher').getBoundingClientRect().left > 600")).isTrue();
            String brand = (String) box.page.evaluate("() => getComputedStyle(document.querySelector('parley-chat')"
                    + ".shadowRoot.querySelector('.pw')).getPropertyValue('--brand').trim()");
            assertThat(brand).isEqualToIgnoringCase("#e03131");
        }
    }
}
