package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** docs/PRODUCT.md §1.1 and §8: what a limited agent may see and do, compared with an admin. */
class DashboardPermissionsTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
        parley.createAgent("jana@shop.test", "Jana Dvořák", "jana-password-1", "agent");
        parley.createAgent("adam@shop.test", "Adam Admin", "adam-password-1", "admin");
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void limitedAgentHasNoSettingsEntryAndIsToldSettingsAreNotAllowed() {
        try (var s = DashboardSession.signIn(parley, "jana@shop.test", "jana-password-1")) {
            assertThat(s.page.locator(".mainnav")).containsText("Conversations");
            assertThat(s.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings"))).hasCount(0);

            s.go("#/settings");
            assertThat(s.page.getByText("You're not allowed to see Settings")).isVisible();
            assertThat(s.page.locator(".settings-nav")).hasCount(0);
            Browsers.screenshot(s.page, "dashboard-settings-not-allowed");
            s.go("#/settings/tokens");
            assertThat(s.page.getByText("You're not allowed to see Settings")).isVisible();
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void limitedAgentCannotResolveAConversationItIsNotAssignedTo() throws Exception {
        try (var visitor = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
            visitor.say("I need help with my order");
            long id = visitor.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
            // The admin takes it, so it is assigned to someone else than Jana.
            TestParley.Api adam = parley.login("adam@shop.test", "adam-password-1");
            adam.expect(200, "POST", "/v2/conversations/" + id + "/join", null);

            try (var s = DashboardSession.signIn(parley, "jana@shop.test", "jana-password-1")) {
                s.go("#/conversations/all/" + id);
                assertThat(s.threadHeader().locator("[data-testid=assignment]")).hasText("Assigned to Adam Admin");
                assertThat(s.headerButton("Join")).isVisible();
                assertThat(s.headerButton("Resolve")).hasCount(0);
                s.row(id).hover();
                assertThat(s.row(id).locator(".row-resolve")).hasCount(0);
                assertThat(s.row(id).locator(".row-star")).isVisible();
                Browsers.screenshot(s.page, "dashboard-limited-agent-no-resolve");

                // Once she joins she is an assignee, and an assignee may resolve.
                s.headerButton("Join").click();
                assertThat(s.threadHeader().locator("[data-testid=assignment]")).hasText("Assigned to Adam Admin, you");
                assertThat(s.headerButton("Resolve")).isVisible();
                assertThat(s.errors).isEmpty();
            }
        }
    }

    @Test
    void adminMayResolveAnUnassignedConversation() throws Exception {
        try (var visitor = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var s = DashboardSession.signIn(parley, "adam@shop.test", "adam-password-1")) {
            visitor.say("Quick question about sizes");
            long id = visitor.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
            s.go("#/conversations/new/" + id);
            assertThat(s.threadHeader().locator("[data-testid=assignment]")).hasText("New — nobody has joined yet");
            s.headerButton("Resolve").click();
            assertThat(s.page.locator(".event-line").last()).hasText("Resolved by Adam Admin");
            // docs/PRODUCT.md §1.1: an admin who resolves an unassigned conversation becomes its assignee.
            assertThat(parley.owner().get("/v2/conversations/" + id).path("assigned_ids").toString())
                    .contains(String.valueOf(parley.login("adam@shop.test", "adam-password-1").agentId()));
            assertThat(s.errors).isEmpty();
        }
    }
}
