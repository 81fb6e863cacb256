package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #9 points 2 and 3 in the browser: the dashboard follows the close codes of its socket. */
class DashboardAccessTest {
    private static TestParley parley;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
        owner = parley.owner();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void deactivationWhileTheDashboardIsOpenShowsTheSignInScreenWithAReason() {
        long id = invite("paula@shop.test", "Paula Pauseová").path("id").asLong();
        try (var s = DashboardSession.signIn(parley, "paula@shop.test", "paula-password-1")) {
            owner.expect(200, "PATCH", "/v2/agents/" + id, Map.of("active", false));

            assertThat(s.page.getByLabel("Email")).isVisible();
            assertThat(s.page.locator(".form-notice")).containsText("turned off");
            Browsers.screenshot(s.page, "dashboard-access-ended");

            // Signing in again says the same, not "wrong password".
            s.page.getByLabel("Email").fill("paula@shop.test");
            s.page.getByLabel("Password").fill("paula-password-1");
            s.button("Sign in").click();
            assertThat(s.page.getByText("turned off").first()).isVisible();
            assertThat(s.page.locator(".topbar")).hasCount(0);
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void anAgentAddedToAGroupSeesItsConversationsWithoutReloading() throws Exception {
        var x = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Export"));
        var y = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Yachts"));
        long id = invite("karel@shop.test", "Karel Skupina").path("id").asLong();
        owner.expect(200, "PATCH", "/v2/agents/" + id, Map.of("group_ids", List.of(y.path("id").asLong())));
        try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var s = DashboardSession.signIn(parley, "karel@shop.test", "karel-password-1")) {
            v.identify(Map.of("group", x.path("key").asText()));
            long conversation = v.say("Do you ship to Canada?").path("conversation_id").asLong();
            s.go("#/conversations/all");
            assertThat(s.tab("all")).isVisible();
            assertThat(s.row(conversation)).hasCount(0);

            owner.expect(200, "PATCH", "/v2/agents/" + id,
                    Map.of("group_ids", List.of(y.path("id").asLong(), x.path("id").asLong())));

            assertThat(s.row(conversation)).isVisible();
            Browsers.screenshot(s.page, "dashboard-access-changed");
            assertThat(s.errors).isEmpty();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode invite(String email, String name) {
        String password = email.substring(0, email.indexOf('@')) + "-password-1";
        return owner.expect(201, "POST", "/v2/agents",
                Map.of("email", email, "name", name, "password", password, "role", "agent"));
    }
}
