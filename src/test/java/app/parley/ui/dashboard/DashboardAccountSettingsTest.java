package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The day-one screens in a real browser (issue #18): Account, Look & behaviour with its preview, My profile. */
class DashboardAccountSettingsTest {
    /** A wide photo-like PNG: the dashboard crops it to a square before it uploads it. */
    private static final byte[] PNG = png(640, 400);
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    private static byte[] png(int w, int h) {
        var image = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new java.awt.Color(0x2b8a3e), w, h, new java.awt.Color(0xe67700)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Locator form(DashboardSession s, String name) {
        return s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName(name));
    }

    @Test
    void theOwnerNamesTheShopUploadsALogoAndPicksATimezone() {
        try (var s = DashboardSession.owner(parley)) {
            // Signing in is enough to be online (issue #18, point 5): no switch to find first.
            assertThat(s.page.locator(".status-switch")).hasAttribute("aria-checked", "true");
            s.go("#/settings/account");
            form(s, "Account settings").getByLabel("Shop name").fill("Tea & Co <img src=x onerror=alert(1)>");
            form(s, "Account settings").getByLabel("Timezone").selectOption("Europe/Prague");
            form(s, "Account settings").getByLabel("Default language").selectOption("cs");
            form(s, "Account settings").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(s.page.locator(".toast").last()).hasText("Account settings saved");
            s.page.getByLabel("Logo image").setInputFiles(new FilePayload("logo.png", "image/png", PNG));
            assertThat(s.page.locator(".toast").last()).hasText("Logo saved");
            JsonNode saved = parley.owner().get("/v2/account/settings");
            assertThat(saved.path("name").asText()).isEqualTo("Tea & Co <img src=x onerror=alert(1)>");
            assertThat(saved.path("timezone").asText()).isEqualTo("Europe/Prague");
            assertThat(saved.path("logo_url").asText()).contains("/images/");
            assertThat(s.page.locator(".avatar-edit img")).isVisible();

            form(s, "Account settings").getByLabel("Away after (seconds without a Parley tab)").fill("900");
            form(s, "Account settings").getByLabel("Offline after (seconds)").fill("60");
            form(s, "Account settings").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(s.page.getByRole(AriaRole.ALERT)).containsText("offline_after_seconds is longer");
            Browsers.screenshot(s.page, "dashboard-settings-account");
            assertThat(s.errors).isEmpty();
            parley.owner().expect(200, "PATCH", "/v2/account/settings", Map.of("name", "Tea & Co"));
        }
    }

    @Test
    void theChatBoxLookIsPreviewedLiveAndSaved() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/look");
            Locator f = form(s, "Chat box settings");
            f.getByLabel("Language of these texts").selectOption("en");
            f.getByLabel("Colour").fill("#e67700");
            f.getByLabel("Position").selectOption("left");
            f.getByLabel("Greeting (someone is online)").fill("Ahoj! Vítejte v našem obchodě.");
            Locator preview = s.page.getByLabel("Chat box preview");
            assertThat(preview.locator(".pv-greet")).hasText("Ahoj! Vítejte v našem obchodě.");
            s.page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Ask for name and email before the first message")).check();
            assertThat(preview.getByText("Start chat")).isVisible();
            s.page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Ask visitors to rate the chat when it ends")).uncheck();
            assertThat(preview.locator(".pv-rate")).hasCount(0);
            Browsers.screenshot(s.page, "dashboard-settings-chatbox-look");
            f.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(s.page.locator(".toast").last()).hasText("Chat box settings saved");
            JsonNode c = parley.owner().get("/v2/account/chat-box");
            assertThat(c.path("color").asText()).isEqualTo("#e67700");
            assertThat(c.path("position").asText()).isEqualTo("left");
            assertThat(c.path("greetings").path("en").asText()).isEqualTo("Ahoj! Vítejte v našem obchodě.");
            assertThat(c.path("rating_enabled").asBoolean()).isFalse();
            assertThat(c.path("pre_chat_form").path("enabled").asBoolean()).isTrue();
            s.page.getByLabel("Nobody online").check();
            assertThat(preview.getByText("Send message")).isVisible();
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void anAgentEditsTheirOwnProfileAndPasswordButNoOtherSetting() {
        parley.createAgent("eva@shop.test", "Eva", "eva-password-1", "agent");
        try (var s = DashboardSession.signIn(parley, "eva@shop.test", "eva-password-1")) {
            s.page.locator(".me-button").click();
            s.page.getByText("My profile").click();
            Locator name = form(s, "Display name").getByLabel("Display name");
            name.fill("Eva Svobodová");
            form(s, "Display name").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save name")).click();
            assertThat(s.page.locator(".toast").last()).hasText("Name saved");
            s.page.getByLabel("Avatar image").setInputFiles(new FilePayload("me.png", "image/png", PNG));
            assertThat(s.page.locator(".toast").last()).hasText("Avatar saved");
            assertThat(s.page.locator(".me-button img")).isVisible();

            Locator pw = form(s, "Change password");
            pw.getByLabel("Current password").fill("not-my-password");
            pw.getByLabel("New password", new Locator.GetByLabelOptions().setExact(true)).fill("eva-password-2");
            pw.getByLabel("Repeat new password").fill("eva-password-2");
            pw.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
            assertThat(s.page.getByRole(AriaRole.ALERT)).hasText("Your current password is not right.");
            pw.getByLabel("Current password").fill("eva-password-1");
            pw.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
            assertThat(s.page.locator(".toast").last()).containsText("Password changed");
            s.page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Play a sound for new messages")).uncheck();
            assertThat(s.page.locator(".toast").last()).hasText("Saved");
            assertThat(s.page.locator("[data-slot='notification-preferences']")).hasCount(1);
            Browsers.screenshot(s.page, "dashboard-settings-profile");
            JsonNode eva = parley.login("eva@shop.test", "eva-password-2").me().path("agent");
            assertThat(eva.path("name").asText()).isEqualTo("Eva Svobodová");

            s.go("#/settings/account");
            assertThat(s.page.getByText("You're not allowed to see Settings")).isVisible();
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void officeHoursAreSetPerDayWithHolidays() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/hours");
            Locator f = form(s, "Office hours");
            f.getByRole(AriaRole.SWITCH).check();
            // Switching on offers Monday to Friday, 9 to 5.
            assertThat(f.getByLabel("Friday from")).hasValue("09:00");
            assertThat(f.locator("tr[data-day='saturday']")).containsText("Closed");
            f.getByLabel("Add hours on Saturday").click();
            f.getByLabel("Saturday from").fill("10:00");
            f.getByLabel("Saturday to").fill("14:00");
            f.getByLabel("Holiday date").fill("2026-12-24");
            f.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add holiday")).click();
            f.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(s.page.locator(".toast").last()).hasText("Office hours saved");
            JsonNode hours = parley.owner().get("/v2/account/office-hours");
            assertThat(hours.path("enabled").asBoolean()).isTrue();
            assertThat(hours.at("/week/saturday/0/from").asText()).isEqualTo("10:00");
            assertThat(hours.at("/week/saturday/0/to").asText()).isEqualTo("14:00");
            assertThat(hours.at("/week/monday/0/to").asText()).isEqualTo("17:00");
            assertThat(hours.at("/holidays/0/date").asText()).isEqualTo("2026-12-24");
            Browsers.screenshot(s.page, "dashboard-settings-office-hours");
            assertThat(s.errors).isEmpty();
            parley.owner().expect(200, "PUT", "/v2/account/office-hours", Map.of("enabled", false));
        }
    }

    @Test
    void theInviteFormsGroupsAreCheckboxesInARow() {
        parley.owner().expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales"));
        parley.owner().expect(201, "POST", "/v2/groups", Map.of("name", "Support", "key", "support"));
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/agents");
            s.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invite agent")).click();
            Locator box = form(s, "Invite agent").getByLabel("Sales");
            assertThat(box).isVisible();
            var size = box.boundingBox();
            // A checkbox, not an input stretched across the form (the layout bug this fixes).
            assertThat(size.width).isLessThan(30);
            Browsers.screenshot(s.page, "dashboard-settings-invite-groups");
            assertThat(s.errors).isEmpty();
        }
    }
}
