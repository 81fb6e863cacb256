package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #18, point 8: the empty inbox guides a new shop to its first chat, and the guide goes once a visitor wrote. */
class DashboardFirstRunTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void theGuideLeadsToTheDemoPageAndGoesOnceAVisitorHasWritten() {
        try (var s = DashboardSession.owner(parley)) {
            Locator guide = s.page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Welcome to Parley"));
            assertThat(guide).isVisible();
            // Signing in made the owner online: step 2 is already ticked.
            assertThat(guide.locator(".fr-step.done")).containsText("Go online");
            Locator demo = guide.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open the demo page"));
            assertThat(demo).hasAttribute("href", "/demo/shop.html?key=" + parley.accountKey());
            Browsers.screenshot(s.page, "dashboard-first-run-guide");

            Page shop = s.page.context().waitForPage(demo::click);
            shop.locator("parley-chat .launcher").click();
            shop.locator("parley-chat textarea.input").fill("Testing my new chat box");
            shop.locator("parley-chat textarea.input").press("Enter");
            assertThat(guide).hasCount(0);
            assertThat(s.page.locator(".conv-row")).hasCount(1);
            s.page.reload();
            assertThat(s.page.locator(".conv-row")).hasCount(1);
            assertThat(guide).hasCount(0);
            assertThat(s.errors).isEmpty();
        }
    }
}
