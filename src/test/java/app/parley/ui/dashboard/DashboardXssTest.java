package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visitor-written text is hostile (src/test/resources/xss-payloads.txt). Sent as messages, names, typing drafts
 * and customer variables, every payload must show as literal text and run nothing: no dialog, no sentinel.
 */
class DashboardXssTest {
    /** Installed before any page script: records whoever sets window.__pwned, and every alert/confirm/prompt. */
    private static final String SENTINEL = """
            (() => {
              window.__pwnedBy = [];
              Object.defineProperty(window, '__pwned', {
                configurable: false,
                get() { return window.__pwnedBy.length ? window.__pwnedBy[0] : undefined; },
                set(v) { window.__pwnedBy.push(String(v)); }
              });
            })();
            """;

    private static TestParley parley;
    private static List<String> payloads;

    @BeforeAll
    static void start() throws IOException {
        parley = TestParley.start();
        try (InputStream in = DashboardXssTest.class.getResourceAsStream("/xss-payloads.txt")) {
            payloads = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("# "))
                    .toList();
        }
        assertThat(payloads).hasSizeGreaterThan(40);
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    private static long conversationOf(VisitorSocketClient v) {
        return v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
    }

    /** The list is windowed: scroll until the row is rendered. */
    private static Locator findRow(DashboardSession s, long id) {
        Locator list = s.page.locator(".list-scroll");
        for (int top = 0; top < 20_000; top += 300) {
            list.evaluate("(e, top) => e.scrollTop = top", top);
            s.page.waitForTimeout(60);
            if (s.row(id).count() > 0) return s.row(id);
        }
        throw new AssertionError("Conversation " + id + " is not in the list");
    }

    private static DashboardSession guardedOwner(List<String> dialogs) {
        DashboardSession s = DashboardSession.owner(parley);
        s.context.addInitScript(SENTINEL);
        s.page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
        s.page.reload();
        assertThat(s.page.locator(".topbar")).isVisible();
        return s;
    }

    private static void assertNothingRan(DashboardSession s, List<String> dialogs) {
        s.page.waitForTimeout(1500); // onerror/onload/ontoggle/autofocus handlers would have fired by now
        assertThat(dialogs).as("dialogs opened by payloads").isEmpty();
        assertThat(s.page.evaluate("() => window.__pwnedBy").toString()).as("sentinel writes").isEqualTo("[]");
        Object injected = s.page.evaluate("""
                () => [...document.querySelectorAll('iframe, object, embed, script:not([type]), script[src]:not([src^="/"]), '
                    + 'base, meta[http-equiv], link[href^="data:"], form[action], [onerror], [onload], [onclick], [onfocus], '
                    + '[ontoggle], [onbegin], [srcdoc], template, details, math, video')]
                    .map(e => e.outerHTML.slice(0, 120))""");
        assertThat(injected.toString()).as("elements injected by payloads").isEqualTo("[]");
        Object badLinks = s.page.evaluate("""
                () => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                    .filter(h => !(h.startsWith('#') || h.startsWith('http://') || h.startsWith('https://')))""");
        assertThat(badLinks.toString()).as("non-http(s) links").isEqualTo("[]");
        assertThat(s.errors).isEmpty();
    }

    @Test
    void payloadsAsMessagesAndTypingDraftShowAsLiteralText() throws Exception {
        List<String> dialogs = new CopyOnWriteArrayList<>();
        List<String> expected = new ArrayList<>();
        try (var v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
            for (String p : payloads) {
                expected.add(v.say(p).path("text").asText());
                VisitorSocketClient.sleep(220); // the visitor socket allows 5 messages a second
            }
            long id = conversationOf(v);
            try (var s = guardedOwner(dialogs)) {
                s.go("#/conversations/all/" + id);
                assertThat(s.page.locator(".msg-in .bubble").last()).hasText(expected.getLast());
                Locator older = s.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load older messages"));
                while (older.count() > 0) {
                    older.click();
                    s.page.waitForTimeout(300);
                }
                List<String> shown = s.page.locator(".msg-in .bubble").allTextContents();
                assertThat(shown).containsExactlyElementsOf(expected);
                assertThat(s.page.locator(".bubble img, .bubble svg, .bubble iframe, .bubble style, .bubble b, .bubble h1")).hasCount(0);

                // The row excerpt and the live draft preview are text too.
                assertThat(s.row(id).locator(".row-excerpt")).containsText(expected.getLast().substring(0, 20));
                String draft = "<img src=x onerror=\"window.__pwned='draft'\"><script>window.__pwned='draft2'</script>";
                v.typing(true, draft);
                assertThat(s.page.locator(".draft-text")).hasText(draft);

                // An agent quoting a payload back is rendered the same way.
                s.reply(payloads.get(0));
                assertThat(s.page.locator(".msg-out .bubble").last()).hasText(payloads.get(0));
                Browsers.screenshot(s.page, "dashboard-xss-messages");
                assertNothingRan(s, dialogs);
            }
        }
    }

    @Test
    void payloadsAsVisitorNamesAndCustomerVariablesShowAsLiteralText() throws Exception {
        List<String> dialogs = new CopyOnWriteArrayList<>();
        List<VisitorSocketClient> visitors = new ArrayList<>();
        Map<Long, String> names = new LinkedHashMap<>();
        try {
            TestParley.Api api = parley.owner();
            for (String p : payloads.subList(0, 16)) {
                VisitorSocketClient v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
                visitors.add(v);
                v.identify(Map.of("name", p));
                v.say("Hello from " + p);
                long id = conversationOf(v);
                JsonNode stored = api.get("/v2/conversations/" + id).path("visitor").path("name");
                if (stored.isTextual()) names.put(id, stored.asText());
            }
            assertThat(names).as("names the server kept").hasSizeGreaterThan(10);

            VisitorSocketClient shopper = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
            visitors.add(shopper);
            Map<String, Object> variables = new LinkedHashMap<>();
            for (int i = 0; i < 40 && i < payloads.size(); i++) variables.put("v%02d".formatted(i), payloads.get(i));
            for (String p : payloads.subList(40, payloads.size())) {
                if (p.length() <= 100 && variables.size() < 50) variables.put(p, "hostile key");
            }
            shopper.identify(Map.of("name", "Shopper With Variables", "variables", variables));
            shopper.page("https://shop.example/cart?x=\"><script>window.__pwned='page'</script>", "<img src=x onerror=\"window.__pwned='title'\">");
            shopper.say("Please check my cart");
            long shopperConversation = conversationOf(shopper);

            try (var s = guardedOwner(dialogs)) {
                s.go("#/conversations/all");
                for (Map.Entry<Long, String> e : names.entrySet()) {
                    assertThat(findRow(s, e.getKey()).locator(".row-name")).hasText(e.getValue());
                }
                long first = names.keySet().iterator().next();
                s.go("#/conversations/all/" + first);
                assertThat(s.threadHeader().locator(".visitor-name")).hasText(names.get(first));
                assertThat(s.page.locator(".card-pane").getByLabel("Name")).hasValue(names.get(first));
                Browsers.screenshot(s.page, "dashboard-xss-names");

                s.go("#/conversations/all/" + shopperConversation);
                Locator info = s.page.locator(".card-pane section[aria-label='Customer info']");
                assertThat(info.locator(".kv")).hasCount(variables.size());
                for (int i = 0; i < 40; i++) {
                    assertThat(info.locator(".kv").nth(i).locator("dd")).hasText(payloads.get(i));
                }
                Locator page = s.page.locator(".card-pane .kv", new Page.LocatorOptions().setHasText("Current page"));
                assertThat(page.locator("a")).hasAttribute("href",
                        java.util.regex.Pattern.compile("^https://shop\\.example/cart\\?x=.*"));
                assertThat(page.locator("a")).hasText("<img src=x onerror=\"window.__pwned='title'\">");
                Browsers.screenshot(s.page, "dashboard-xss-variables");
                assertNothingRan(s, dialogs);
            }
        } finally {
            visitors.forEach(VisitorSocketClient::close);
        }
    }
}
