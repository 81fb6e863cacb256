package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import app.parley.ui.ForwardingProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 in real browsers: a shopper browses three pages of the demo shop (from a search engine), then writes;
 * the agent's card shows the three pages newest first with the referrer, the city of the shopper's address (the
 * shopper connects through a trusted proxy that names it), and the browser and OS; the Visitors section lists a second
 * shopper live and the agent starts a chat that opens in that shopper's chat box.
 */
class VisitorCardTest {
    static final String CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static TestParley parley;
    private static final java.util.List<ForwardingProxy> proxies = new java.util.ArrayList<>();
    private String shopBase;

    @BeforeAll
    static void start() {
        parley = TestParley.start(Map.of("PARLEY_TRUSTED_PROXIES", "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        for (ForwardingProxy p : proxies) p.close();
        parley.close();
    }

    /**
     * A shopper's browser: a desktop Chrome, seen by Parley at {@code ip} through a proxy that says so (the shop's
     * pages are then opened through that proxy, {@link #shopUrl}).
     */
    BrowserContext shopper(String ip) {
        try {
            ForwardingProxy proxy = new ForwardingProxy(parley.port(), ip);
            proxies.add(proxy);
            shopBase = proxy.baseUrl();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Browsers.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setLocale("en-US")
                .setTimezoneId("UTC").setUserAgent(CHROME_LINUX));
    }

    String shopUrl(String page) {
        return shopBase + "/demo/shop.html?key=" + parley.accountKey() + "&page=" + page;
    }

    /** Waits until Parley has stored {@code n} pages for the only visitor who browsed {@code marker}. */
    static JsonNode awaitPages(String marker, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            for (JsonNode row : parley.owner().get("/v2/visitors?limit=200").path("items")) {
                if (row.path("current_url").asText().contains(marker) && row.path("pages").asInt() >= n) return row;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("The visitor's " + n + " pages never arrived");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theCardShowsThreePagesInOrderWithTheReferrerTheCityAndTheBrowser() {
        try (DashboardSession agent = DashboardSession.owner(parley); BrowserContext context = shopper("81.2.69.142")) {
            agent.online(parley.owner());
            Page shop = context.newPage();
            shop.navigate(shopUrl("home"), new Page.NavigateOptions().setReferer("https://www.google.com/search?q=loose+leaf+tea"));
            awaitPages("page=home", 1);
            shop.navigate(shopUrl("green-teas"), new Page.NavigateOptions().setReferer(shopUrl("home")));
            awaitPages("page=green-teas", 2);
            shop.navigate(shopUrl("cart"), new Page.NavigateOptions().setReferer(shopUrl("green-teas")));
            awaitPages("page=cart", 3);
            // The shop's plugin tells who the customer is: typed values, a legacy {label, value}, and hostile text.
            shop.evaluate("() => smartsupp('variables', { orders: 3, vip: true, newsletter: false,"
                    + " profile: 'https://shop.example/customers/42', trap: 'javascript:window.__pwned=1',"
                    + " note: '<img src=x onerror=\\'window.__pwned=2\\'>', ltv: { label: 'Lifetime value', value: 1290.5 } })");
            shop.locator("parley-chat .launcher").click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Hi, where is my order #1042?");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);

            agent.go("#/conversations/all");
            Locator row = agent.page.locator(".conv-row").first();
            assertThat(row.locator(".row-excerpt")).hasText("Hi, where is my order #1042?");
            agent.open(Long.parseLong(row.getAttribute("data-conversation-id")));
            Locator pages = agent.page.locator(".card-pane [data-testid=pages] li");
            assertThat(pages).hasCount(3);
            assertThat(pages.nth(0).locator("a").first()).hasAttribute("title", shopUrl("cart"));
            assertThat(pages.nth(1).locator("a").first()).hasAttribute("title", shopUrl("green-teas"));
            assertThat(pages.nth(2).locator("a").first()).hasAttribute("title", shopUrl("home"));
            assertThat(pages.nth(2).locator("[data-testid=page-referrer]")).containsText("https://www.google.com/search?q=loose+leaf+tea");
            assertThat(agent.page.locator(".card-pane [data-testid=location]")).containsText("London");
            assertThat(agent.page.locator(".card-pane").getByText("IP geolocation by DB-IP")).isVisible();
            // The browser's client hints win over its (overridden) user agent string: the real Chromium is named.
            assertThat(agent.page.locator(".card-pane")).containsText(java.util.regex.Pattern.compile("Chromium \\d+ on Linux"));
            assertThat(agent.page.locator(".card-pane [data-testid=presence]")).hasText("On the site now");
            assertThat(agent.page.locator(".card-pane [data-testid=counts]")).containsText("3");

            // Customer info: labels, and values typed: numbers, yes/no, http(s) links only, text never as HTML.
            Locator info = agent.page.locator(".card-pane [data-testid=customer-info]");
            assertThat(info.locator(".kv", new Locator.LocatorOptions().setHasText("Lifetime value")).locator("dd"))
                    .hasText(java.util.regex.Pattern.compile("1,?290\\.5"));
            assertThat(info.locator(".kv", new Locator.LocatorOptions().setHasText("vip")).locator("dd")).hasText("Yes");
            assertThat(info.locator(".kv", new Locator.LocatorOptions().setHasText("newsletter")).locator("dd")).hasText("No");
            Locator profile = info.locator(".kv", new Locator.LocatorOptions().setHasText("profile")).locator("a");
            assertThat(profile).hasAttribute("href", "https://shop.example/customers/42");
            assertThat(profile).hasAttribute("rel", java.util.regex.Pattern.compile(".*\\bnoopener\\b.*"));
            Locator trap = info.locator(".kv", new Locator.LocatorOptions().setHasText("trap")).locator("dd");
            assertThat(trap.locator("a")).hasCount(0);
            assertThat(trap).hasText("javascript:window.__pwned=1");
            assertThat(info.locator(".kv", new Locator.LocatorOptions().setHasText("note")).locator("dd"))
                    .hasText("<img src=x onerror='window.__pwned=2'>");
            info.scrollIntoViewIfNeeded();
            Browsers.screenshot(agent.page, "visitor-card-customer-info");

            // Live: the shopper opens a fourth page and the open card shows it on top, pushed over the agent's socket
            // (the card's fallback poll is a minute, longer than this assertion waits).
            shop.navigate(shopUrl("checkout"), new Page.NavigateOptions().setReferer(shopUrl("cart")));
            assertThat(pages).hasCount(4);
            assertThat(pages.nth(0).locator("a").first()).hasAttribute("title", shopUrl("checkout"));
            // A long address is cut in the middle: its end, which tells the shop's pages apart, stays readable.
            assertThat(pages.nth(0).locator(".page-path")).containsText("page=checkout");
            assertThat(agent.page.locator(".card-pane [data-testid=counts]")).containsText("4");
            assertThat(agent.page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            agent.page.locator(".card-pane section[aria-label='Browsing history']").evaluate("e => e.scrollIntoView({ block: 'start' })");
            Browsers.screenshot(agent.page, "visitor-card-browsing");
            assertThat(agent.errors).isEmpty();
        }
    }

    @Test
    void theVisitorsListShowsAShopperLiveAndTheAgentStartsAChatThatOpensInTheirChatBox() {
        try (DashboardSession agent = DashboardSession.owner(parley); BrowserContext context = shopper("77.75.77.222")) {
            agent.online(parley.owner());
            agent.go("#/visitors/active");
            Page shop = context.newPage();
            shop.navigate(shopUrl("oolong"), new Page.NavigateOptions().setReferer("https://www.bing.com/"));
            // Live: the row appears without reloading the dashboard.
            Locator row = agent.page.locator("[data-testid=visitor-row]", new Page.LocatorOptions().setHasText("Prague"));
            assertThat(row).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
            assertThat(row).containsText("On the site now");
            row.click();
            Locator panel = agent.page.locator("[data-testid=visitor-panel]");
            assertThat(panel.locator("[data-testid=device]")).hasText(java.util.regex.Pattern.compile("Chromium \\d+ on Linux"));
            agent.page.getByLabel("First message to the visitor").fill("Hello! Can I help you pick an oolong?");
            Browsers.screenshot(agent.page, "visitors-list");
            panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send")).click();
            // The agent lands in the new conversation; the shopper's chat box opens with the message.
            try {
                assertThat(agent.threadHeader()).isVisible();
            } catch (AssertionError e) {
                Browsers.screenshot(agent.page, "visitors-chat-started-failed");
                throw e;
            }
            assertThat(shop.locator("parley-chat .panel")).isVisible();
            assertThat(shop.locator("parley-chat .row.them .bub").last()).hasText("Hello! Can I help you pick an oolong?");
            Browsers.screenshot(shop, "visitors-chat-started-shopper");
            assertThat(agent.errors).isEmpty();
        }
    }

    @Test
    void anIpRuleInSettingsHidesTheChatBoxFromThoseAddressesUntilRemoved() {
        try (DashboardSession admin = DashboardSession.owner(parley); BrowserContext context = shopper("192.0.2.45")) {
            admin.go("#/settings/visitors");
            admin.page.getByLabel("IP address or pattern").fill("192.0.2.*");
            admin.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Block").setExact(true)).click();
            assertThat(admin.page.locator(".ip-blocks")).containsText("192.0.2.*");
            Browsers.screenshot(admin.page, "settings-visitors-ip-blocks");
            Page shop = context.newPage();
            shop.navigate(shopUrl("blocked"));
            // The chat box connects, is refused (4403) and disappears.
            assertThat(shop.locator("parley-chat .launcher")).isHidden();
            admin.page.locator(".ip-blocks li", new Page.LocatorOptions().setHasText("192.0.2.*"))
                    .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Unblock")).click();
            assertThat(admin.page.locator(".ip-blocks")).hasCount(0);
            shop.reload();
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            assertThat(admin.errors).isEmpty();
        }
    }
}
