package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole loop in two browsers: a shopper on the demo shop with the chat box, an agent in the dashboard.
 * docs/PRODUCT.md §1.1 (resolve, reopen, assignees kept), §1.2 (New → Mine), §1.4 (rating), §6 (card numbers).
 */
class FullLoopTest {
    private TestParley parley;

    @BeforeEach
    void start() {
        parley = TestParley.start();
        // A second agent makes it a team, so the inbox has the New and Mine tabs.
        parley.createAgent("petr@shop.test", "Petr Svoboda", "petr-password-1", "agent");
    }

    @AfterEach
    void stop() {
        parley.close();
    }

    @Test
    void shopperAndAgentChatResolveRateAndReopen() {
        try (DashboardSession agent = DashboardSession.owner(parley);
             BrowserContext shopperContext = Browsers.newContext()) {
            // The agent goes online, so the chat box offers a live chat rather than the contact form.
            agent.online(parley.owner());
            agent.go("#/conversations/new");

            Page shop = shopperContext.newPage();
            shop.navigate(parley.baseUrl() + "/demo/shop.html?key=" + parley.accountKey() + "&ratingEnabled=true");
            Locator launcher = shop.locator("parley-chat .launcher");
            assertThat(launcher).isVisible();
            launcher.click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Hi! I paid with my card 4242 4242 4242 4242 but got no confirmation.");
            composer.press("Enter");
            Locator mine = shop.locator("parley-chat .row.me .bub");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            // What the server stored and sends back to the visitor is masked. The live bubble still shows what was
            // typed until the page is loaded again (chat box: web/widget/panel.js keeps the pending bubble's text).
            shop.reload();
            assertThat(mine.last()).hasText("Hi! I paid with my card **** **** **** 4242 but got no confirmation.");
            // The chat box remembers it was open across pages.
            assertThat(shop.locator("parley-chat .panel")).isVisible();

            // The agent sees it live under New, with the card number masked.
            Locator newRow = agent.page.locator(".conv-row").first();
            assertThat(newRow.locator(".row-excerpt")).hasText("Hi! I paid with my card **** **** **** 4242 but got no confirmation.");
            long id = Long.parseLong(newRow.getAttribute("data-conversation-id"));
            assertThat(agent.tabCount("new")).hasText("1");
            agent.open(id);
            assertThat(agent.page.locator(".msg-in .bubble").last())
                    .hasText("Hi! I paid with my card **** **** **** 4242 but got no confirmation.");
            assertThat(agent.page.getByText("4242 4242 4242 4242")).hasCount(0);

            // Join: it moves from New to Mine.
            agent.headerButton("Join").click();
            assertThat(agent.threadHeader().locator("[data-testid=assignment]")).hasText("Assigned to you");
            assertThat(agent.tabCount("new")).hasText("0");
            assertThat(agent.tabCount("mine")).hasText("1");
            agent.tab("mine").click();
            assertThat(agent.row(id)).isVisible();

            // The agent replies; the shopper sees it live.
            agent.reply("Hello! I can see your payment — the confirmation email is on its way.");
            Locator theirs = shop.locator("parley-chat .row.them .bub");
            assertThat(theirs.last()).hasText("Hello! I can see your payment — the confirmation email is on its way.");
            Browsers.screenshot(agent.page, "full-loop-agent-chat");
            shop.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Paths.get("target/screenshots/full-loop-shopper-chat.png")));

            // The agent resolves; the shopper is asked for a rating and picks Good.
            agent.headerButton("Resolve").click();
            assertThat(agent.page.locator(".event-line").last()).hasText("Resolved by Owner");
            assertThat(agent.row(id)).hasCount(0);
            assertThat(shop.locator("parley-chat").getByText("How was your chat?")).isVisible();
            shop.locator("parley-chat button.face[aria-label=Good]").click();
            shop.locator("parley-chat .rate button.primary").click();
            assertThat(shop.locator("parley-chat").getByText("Thank you for your feedback!")).isVisible();
            assertThat(agent.page.locator(".closed-info")).containsText("Visitor rated it Good");
            JsonNode rated = parley.owner().get("/v2/conversations/" + id);
            assertThat(rated.path("rating_value").asInt()).isEqualTo(5);
            Browsers.screenshot(agent.page, "full-loop-agent-resolved");
            shop.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Paths.get("target/screenshots/full-loop-shopper-rated.png")));

            // The shopper writes again: the conversation is Open again, still the agent's (Mine).
            composer.fill("One more thing — can I change the delivery address?");
            composer.press("Enter");
            assertThat(agent.row(id)).isVisible();
            assertThat(agent.row(id).locator(".row-excerpt")).hasText("One more thing — can I change the delivery address?");
            assertThat(agent.tabCount("mine")).hasText("1");
            assertThat(agent.threadHeader().locator("[data-testid=assignment]")).hasText("Assigned to you");
            assertThat(agent.headerButton("Resolve")).isVisible();
            assertThat(agent.page.locator(".msg-in .bubble").last()).hasText("One more thing — can I change the delivery address?");
            Browsers.screenshot(agent.page, "full-loop-agent-reopened");
            assertThat(parley.owner().get("/v2/conversations/" + id).path("status").asText()).isEqualTo("open");
            assertThat(agent.errors).isEmpty();
        }
    }
}
