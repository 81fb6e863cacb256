package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #14, point 6, in a real browser: an agent filters Resolved by tag + rating + page URL (and a word), sees the
 * count and the marked match (a hostile message shown as text), opens a result, goes back, and the filter is still
 * there, in the panel and in the URL; a reload keeps it too.
 */
class DashboardSearchTest {
    static TestParley app;
    static final List<TestSocket> sockets = new ArrayList<>();
    static long boots;
    static long badBoots;
    static long cart;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        TestParley.Api owner = app.owner();
        long vip = owner.expect(201, "POST", "/v2/tags", Map.of("name", "vip")).path("id").asLong();
        boots = chat(owner, vip, "https://shop.test/product/boots", "the boots are too small <img src=x onerror=alert(1)>", 5);
        badBoots = chat(owner, vip, "https://shop.test/product/boots", "These boots are too small as well", 1);
        cart = chat(owner, vip, "https://shop.test/cart", "My cart is too small", 5);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (owner.expect(200, "POST", "/v2/conversations/search",
                Map.of("filters", Map.of("rating", List.of("good", "bad")))).path("total").asInt() < 3) {
            if (System.nanoTime() > deadline) throw new AssertionError("the search index did not follow");
            VisitorSocketClient.sleep(50);
        }
    }

    /** A resolved, tagged and rated conversation begun on {@code url}. */
    static long chat(TestParley.Api owner, long tag, String url, String text, int rating) {
        TestSocket v = TestSocket.visitor(app, null, null);
        sockets.add(v);
        v.await("welcome");
        v.send(Map.of("type", "page", "url", url, "title", "Shop"));
        String clientId = TestSocket.clientId();
        v.send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode ack = v.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()));
        long id = ack.path("message").path("conversation_id").asLong();
        owner.expect(200, "PUT", "/v2/conversations/" + id + "/tags", Map.of("tag_ids", List.of(tag)));
        owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
        String rate = TestSocket.clientId();
        v.send(Map.of("type", "rate", "value", rating, "client_id", rate));
        v.await(f -> "conversation.updated".equals(f.path("type").asText()) && f.path("data").path("rating_value").asInt() == rating);
        return id;
    }

    @AfterAll
    static void stop() {
        sockets.forEach(TestSocket::close);
        app.close();
    }

    @Test
    void anAgentFiltersOpensAResultGoesBackAndTheFilterIsStillThere() {
        try (DashboardSession s = DashboardSession.owner(app)) {
            s.go("#/conversations/resolved");
            assertThat(s.row(cart)).isVisible();
            s.page.getByLabel("Search text").fill("small");
            s.page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Advanced")).click();
            Locator panel = s.page.locator("#advanced-search");
            panel.getByLabel("vip").check();
            panel.getByLabel("Good").check();
            panel.getByLabel("Web page contains").fill("boots");
            panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();

            assertThat(s.page).hasURL(Pattern.compile("#/conversations/resolved\\?q=small&rating=good&tags=\\d+&url=boots$"));
            assertThat(s.page.locator(".search-summary strong")).hasText("1 conversation");
            assertThat(s.row(boots)).isVisible();
            assertThat(s.row(badBoots)).hasCount(0);
            assertThat(s.row(cart)).hasCount(0);
            Locator hit = s.row(boots).locator(".row-hit");
            assertThat(hit.locator("mark").first()).hasText("small");
            // The visitor's markup is text: shown as written, never an element.
            assertThat(hit).containsText("small <img src=x onerror=alert");
            assertThat(s.page.locator(".conv-list img, .conv-list [onerror]")).hasCount(0);

            s.row(boots).locator(".row-link").click();
            assertThat(s.page).hasURL(Pattern.compile("#/conversations/resolved/" + boots + "\\?q=small&rating=good"));
            assertThat(s.page.locator(".thread-pane")).containsText("the boots are too small <img src=x onerror=alert(1)>");
            assertThat(s.row(boots)).hasClass(Pattern.compile("selected"));
            Browsers.screenshot(s.page, "dashboard-search");

            s.page.goBack();
            assertThat(s.page).hasURL(Pattern.compile("#/conversations/resolved\\?q=small&rating=good&tags=\\d+&url=boots$"));
            assertThat(s.page.getByLabel("Search text")).hasValue("small");
            assertThat(s.page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Advanced (3)"))).isVisible();
            assertThat(s.row(boots)).isVisible();
            assertThat(s.row(cart)).hasCount(0);

            s.page.reload();
            assertThat(s.page.locator(".search-summary strong")).hasText("1 conversation");
            assertThat(s.row(boots)).isVisible();
            s.page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Advanced (3)")).click();
            assertThat(s.page.locator("#advanced-search").getByLabel("Good")).isChecked();
            assertThat(s.page.locator("#advanced-search").getByLabel("Web page contains")).hasValue("boots");
            Browsers.screenshot(s.page, "dashboard-search-advanced");
            assertThat(s.errors).isEmpty();
        }
    }
}
