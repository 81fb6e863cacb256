package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shortcuts in the composer (issue #18, point 6): "/" opens a fuzzy picker, variables are filled, a sent message is saved as one. */
class DashboardShortcutsTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
        parley.owner().expect(201, "POST", "/v2/shortcuts",
                Map.of("name", "thanks", "text", "Thank you, {visitor.name}! Anything else?", "scope", "team"));
        parley.owner().expect(201, "POST", "/v2/shortcuts", Map.of("name", "shipping", "text", "We ship within 2 days."));
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void slashOpensAFuzzyPickerVariablesAreFilledAndASentMessageIsSaved() throws Exception {
        try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var s = DashboardSession.owner(parley)) {
            v.identify(Map.of("name", "Petr <img src=x onerror=alert(1)>", "email", "petr@example.cz"));
            v.say("Hello, where is my order?");
            long id = v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
            s.go("#/conversations/all");
            s.open(id);
            Locator box = s.page.getByLabel("Reply to the visitor");
            box.fill("/tnk");
            Locator picker = s.page.getByRole(AriaRole.LISTBOX, new Page.GetByRoleOptions().setName("Shortcuts"));
            assertThat(picker.getByRole(AriaRole.OPTION)).hasCount(1);
            assertThat(picker.getByRole(AriaRole.OPTION).first()).containsText("/thanks");
            box.fill("/s");
            assertThat(picker.getByRole(AriaRole.OPTION).first()).containsText("/shipping");
            box.fill("/");
            assertThat(picker.getByRole(AriaRole.OPTION)).hasCount(2);
            box.fill(".than");
            Browsers.screenshot(s.page, "dashboard-shortcut-picker");
            box.press("Enter");
            assertThat(box).hasValue("Thank you, Petr <img src=x onerror=alert(1)>! Anything else?");
            box.press("Enter");
            Locator sent = s.page.locator(".msg-out .bubble").last();
            assertThat(sent).hasText("Thank you, Petr <img src=x onerror=alert(1)>! Anything else?");

            s.page.locator(".msg-out").last().hover();
            s.page.locator(".msg-out .save-shortcut").last().click();
            s.page.getByLabel("Shortcut name").fill("thanks-petr");
            s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Save as shortcut"))
                    .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(s.page.locator(".toast").last()).hasText("Saved as /thanks-petr");
            assertThat(parley.owner().get("/v2/shortcuts").toString()).contains("thanks-petr");

            box.fill("/thanks");
            box.press("Escape");
            assertThat(picker).hasCount(0);
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void theShortcutsPageListsOwnAndTeamOnesAndExplainsAClash() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/shortcuts");
            Locator form = s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("New shortcut"));
            form.getByLabel("Name (one word)").fill("Shipping");
            form.getByLabel("Text").fill("Again");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add shortcut")).click();
            assertThat(s.page.getByRole(AriaRole.ALERT)).hasText("A shortcut named 'Shipping' already exists.");
            assertThat(s.page.locator("tr[data-shortcut='thanks']")).containsText("Team");
            Browsers.screenshot(s.page, "dashboard-settings-shortcuts");
            assertThat(s.errors).isEmpty();
        }
    }
}
