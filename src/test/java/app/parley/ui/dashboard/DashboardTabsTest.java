package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** docs/PRODUCT.md §1.2: two tabs for a one-agent account, four once there is a team (or a group). */
class DashboardTabsTest {
    private TestParley parley;

    @BeforeEach
    void start() {
        parley = TestParley.start();
    }

    @AfterEach
    void stop() {
        parley.close();
    }

    private static Locator tabs(DashboardSession s) {
        return s.page.locator(".tabs [role=tab]");
    }

    @Test
    void singleAgentSeesAllAndNewThenATeamSeesAllPrimaryNewMine() throws Exception {
        try (var visitor = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var s = DashboardSession.owner(parley)) {
            visitor.say("Hello, anyone there?");
            assertThat(tabs(s)).hasCount(2);
            assertThat(s.tab("all")).containsText("All");
            assertThat(s.tab("new")).containsText("New");
            assertThat(s.tabCount("all")).hasText("1");
            assertThat(s.tabCount("new")).hasText("1");
            assertThat(s.page.locator(".conv-row")).hasCount(1);
            Browsers.screenshot(s.page, "dashboard-tabs-single");

            // The owner invites a colleague from Settings.
            s.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
            s.button("Invite agent").click();
            Locator form = s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Invite agent"));
            form.getByLabel("Name").fill("Petr Svoboda");
            form.getByLabel("Email").fill("petr@shop.test");
            form.getByLabel("Password").fill("petr-password-1");
            form.getByLabel("Role").selectOption("agent");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Invite")).click();
            assertThat(s.page.locator("tr[data-agent-email='petr@shop.test']")).containsText("Petr Svoboda");
            Browsers.screenshot(s.page, "dashboard-settings-agents");

            s.page.locator(".mainnav").getByText("Conversations").click();
            assertThat(tabs(s)).hasCount(4);
            assertThat(tabs(s)).hasText(new String[] {"All1", "Primary1", "New1", "Mine0"});
            Browsers.screenshot(s.page, "dashboard-tabs-multi");

            // The new agent signs in and sees the four tabs too.
            try (var petr = DashboardSession.signIn(parley, "petr@shop.test", "petr-password-1")) {
                assertThat(tabs(petr)).hasCount(4);
                assertThat(petr.tabCount("new")).hasText("1");
            }

            // Deactivating the colleague makes it a one-agent account again.
            s.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
            s.page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Petr Svoboda active")).uncheck();
            assertThat(s.page.locator(".toast").last()).containsText("Agent updated");
            s.page.locator(".mainnav").getByText("Conversations").click();
            assertThat(tabs(s)).hasCount(2);
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void anyGroupMeansFourTabsEvenForOneAgent() {
        try (var s = DashboardSession.owner(parley)) {
            assertThat(tabs(s)).hasCount(2);
            s.go("#/settings/groups");
            Locator form = s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("New group"));
            form.getByLabel("Name").fill("Sales");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add group")).click();
            assertThat(s.page.locator("table code")).hasText("sales");
            s.go("#/conversations/all");
            assertThat(tabs(s)).hasCount(4);
            assertThat(s.errors).isEmpty();
        }
    }
}
