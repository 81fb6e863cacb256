package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.recording.ChunkCodec;
import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.LoadState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 in a real Chromium: a scripted shopper browses two pages of the demo shop, types into a normal field, a
 * masked field and the card fields, writes in the chat and leaves; nothing the shopper typed into a card field exists
 * anywhere in the stored rows (decompressed and searched), inputs are stored as stars, and the agent replays the
 * visit in the card's player (pages and chat moments on the timeline, the recorded page in a frame that cannot run
 * script). Also: the chat box works when the recorder cannot load, and recording:off records nothing. Prints the
 * recorder's cost on the host page (long tasks, bytes), bytes per recorded minute and gzip against zstd.
 */
class RecordingBrowserTest {
    static final ObjectMapper DEEP = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4000).build()).build());
    static final String CARD = luhn("453914880343646"); // typed as "4539 1488 0343 646x"
    static final String CVC = "737";
    static final String LONG_TASKS = """
            window.__longtasks = [];
            try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(
              { start: Math.round(e.startTime), duration: Math.round(e.duration) }); })
              .observe({ type: 'longtask', buffered: true }); } catch (e) { window.__longtasks = null; }""";
    private static TestParley parley;
    private static Jdbi jdbi;

    @BeforeAll
    static void start() {
        parley = TestParley.start(Map.of("PARLEY_RECORDING_READY_SECONDS", "2"));
        jdbi = parley.parley().database().jdbi();
        parley.owner().patch("/auth/me", Map.of("status", "online"));
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    static BrowserContext shopper() {
        return Browsers.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setLocale("en-US")
                .setTimezoneId("UTC"));
    }

    String shopUrl(String page) {
        return parley.baseUrl() + "/demo/shop.html?key=" + parley.accountKey() + "&page=" + page;
    }

    @Test
    void aShopperIsRecordedAcrossPagesWithoutWhatTheyTypedAndTheAgentReplaysIt() throws Exception {
        long visitorId;
        List<Response> responses = new CopyOnWriteArrayList<>();
        try (BrowserContext context = shopper()) {
            Page shop = context.newPage();
            shop.onResponse(responses::add);
            shop.addInitScript(LONG_TASKS);
            shop.navigate(shopUrl("home"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.waitForLoadState(LoadState.NETWORKIDLE);
            assertThat(paths(responses)).as("the recorder is not part of the chat box's first load")
                    .doesNotContain("/widget/recorder.js", "/vendor/rrweb-record.module.js");
            // The first activity loads the recorder.
            shop.mouse().move(300, 300, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(10));
            shop.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
            double recorderAt = ((Number) shop.evaluate("() => performance.now()")).doubleValue();
            shop.mouse().wheel(0, 500);
            shop.mouse().move(600, 400, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(25));
            // Hostile markup in the recorded page: the player must not run it.
            shop.evaluate("() => { const d = document.createElement('div'); d.innerHTML = '<img src=\"/nothing.png\" onerror=\"parent.__pwned = 1\">'; document.querySelector('main').append(d); }");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> homeTasks = (List<Map<String, Object>>) shop.evaluate("() => window.__longtasks");
            shop.navigate(shopUrl("checkout"));
            shop.locator("input[name=name]").pressSequentially("Jane Roe");
            shop.locator("input[name=gift]").pressSequentially("Happy birthday Sam");
            shop.locator("input[name=cardnumber]").pressSequentially(CARD.substring(0, 4) + " " + CARD.substring(4, 8) + " "
                    + CARD.substring(8, 12) + " " + CARD.substring(12));
            shop.locator("input[name=exp]").pressSequentially("12/29");
            shop.locator("input[name=cvc]").pressSequentially(CVC);
            shop.locator("parley-chat .launcher").click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Hi! Do you ship this tea to Bristol?");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            shop.mouse().move(500, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(25));
            browseFor(shop, Integer.getInteger("parley.recording.dwellSeconds", 0));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> longTasks = (List<Map<String, Object>>) shop.evaluate("() => window.__longtasks");
            visitorId = jdbi.withHandle(h -> h.createQuery("SELECT visitor_id FROM conversations ORDER BY id DESC LIMIT 1")
                    .mapTo(Long.class).one());
            // The chat moment is on the server (sent within the recorder's flush period) before the shopper leaves.
            long v = visitorId;
            eventually("the chat moment stored", 20_000, () -> jdbi.withHandle(h -> h.createQuery(
                    "SELECT coalesce(max(jsonb_array_length(chats)), 0) FROM recordings WHERE visitor_id = :v").bind("v", v)
                    .mapTo(Integer.class).one()) > 0);
            shop.navigate("about:blank"); // leaves the shop: the page is hidden, the recorder flushes
            printHostCost(homeTasks, recorderAt, longTasks, responses);
            assertThat(longTasks).as("the long-task observer ran in this Chromium").isNotNull();
        }

        JsonNode items = awaitRecordings(visitorId);
        assertThat(items).hasSize(1);
        JsonNode rec = items.get(0);
        assertThat(rec.get("pages")).hasSize(2);
        assertThat(rec.get("pages").get(0).get("url").asText()).endsWith("page=home");
        assertThat(rec.get("pages").get(1).get("url").asText()).endsWith("page=checkout");
        assertThat(rec.get("chats").size()).isGreaterThanOrEqualTo(1);

        // Everything stored for this visitor, decompressed: no typed card digit, no typed text, masked inputs.
        List<byte[]> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id
                        WHERE r.visitor_id = :v ORDER BY c.seq""").bind("v", visitorId).mapTo(byte[].class).list());
        List<byte[]> raws = rows.stream().map(ChunkCodec::gunzip).toList();
        String all = String.join("\n", raws.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        List<String> strings = new ArrayList<>();
        for (byte[] raw : raws) collectStrings(DEEP.readTree(raw), strings);
        assertThat(all).doesNotContain(CARD);
        for (String s : strings) {
            for (int i = 0; i + 4 <= CARD.length(); i += 4) {
                assertThat(s).as("a recorded text").doesNotContain(CARD.substring(i, i + 4));
            }
            assertThat(s).doesNotContain("Jane Roe").doesNotContain("Happy birthday").doesNotContain("12/29")
                    .doesNotContain("2 of 10 stamps");
        }
        List<String> typed = inputTexts(raws);
        assertThat(typed).as("what the recorder saw typed").isNotEmpty().allMatch(t -> t.chars().allMatch(ch -> ch == '*'));
        assertThat(typed).contains("********", "******************");
        printSizes(rec, raws, rows);

        try (DashboardSession agent = DashboardSession.owner(parley)) {
            agent.go("#/conversations/all");
            Locator row = agent.page.locator(".conv-row").first();
            agent.open(Long.parseLong(row.getAttribute("data-conversation-id")));
            Locator item = agent.page.locator(".card-pane [data-testid=recordings] .rec-item");
            assertThat(item).hasCount(1);
            assertThat(item).containsText("2 pages");
            item.click();
            Locator player = agent.page.locator("[data-testid=recording-player]");
            assertThat(player).isVisible();
            Locator frame = player.locator(".rec-stage iframe");
            assertThat(frame).hasCount(1);
            String sandbox = frame.getAttribute("sandbox");
            assertThat(sandbox).as("the replay frame's sandbox").isNotNull().doesNotContain("allow-scripts");
            assertThat(player.locator(".rec-mark-page")).hasCount(2);
            assertThat(player.locator(".rec-mark-chat")).not().hasCount(0);
            assertThat(player.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Play").setExact(true))).isEnabled();
            // Jump to the chat moment: the checkout page with what was typed, masked.
            player.locator(".rec-mark-chat").first().click();
            FrameLocator page = agent.page.frameLocator(".rec-stage iframe");
            assertThat(page.locator("input[name=name]")).hasValue("********");
            assertThat(page.locator("input[name=gift]")).hasValue("******************");
            assertThat(page.locator("input[name=cardnumber]")).hasCount(0);
            assertThat(page.locator("input[name=cvc]")).hasCount(0);
            assertThat(page.locator("h2", new FrameLocator.LocatorOptions().setHasText("Quick checkout"))).isVisible();
            player.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Play").setExact(true)).click();
            assertThat(player.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Pause").setExact(true))).isVisible();
            player.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause").setExact(true)).click();
            player.locator(".rec-mark-chat").first().click();
            Path shot = Browsers.screenshot(agent.page, "recording-player");
            Files.createDirectories(Path.of("docs/screenshots"));
            Files.copy(shot, Path.of("docs/screenshots/recording-player.png"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(agent.page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            player.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close the player")).click();

            // The owner keeps recordings a week instead of ten days (Settings → Visitors).
            agent.go("#/settings/visitors");
            Locator settings = agent.page.locator("[data-testid=recording-settings]");
            assertThat(settings.getByLabel("Record visitors’ sessions", new Locator.GetByLabelOptions().setExact(false))).isChecked();
            settings.locator("input[type=number]").fill("7");
            settings.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(settings.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save"))).isDisabled();
            assertThat(parley.owner().get("/v2/recording/settings").get("retention_days").asInt()).isEqualTo(7);
            settings.scrollIntoViewIfNeeded();
            Browsers.screenshot(agent.page, "recording-settings");
            parley.owner().patch("/v2/recording/settings", Map.of("retention_days", 10));
            assertThat(agent.errors.stream().filter(e -> !e.contains("Blocked script execution")).toList()).isEmpty();
        }
    }

    @Test
    void theChatBoxKeepsWorkingWhenTheRecorderCannotLoad() {
        try (BrowserContext context = shopper()) {
            List<String> asked = new CopyOnWriteArrayList<>();
            context.route("**/widget/recorder.js", route -> {
                asked.add(route.request().url());
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(404).setBody("gone"));
            });
            Page shop = context.newPage();
            shop.navigate(shopUrl("broken-recorder"));
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.locator("parley-chat .launcher").click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Is the chat still working?");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me").last()).containsText("Is the chat still working?");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            assertThat(asked).as("the recorder was asked for, and refused").isNotEmpty();
            String stored = jdbi.withHandle(h -> h.createQuery("SELECT text FROM messages ORDER BY id DESC LIMIT 1")
                    .mapTo(String.class).one());
            assertThat(stored).isEqualTo("Is the chat still working?");
        }
    }

    @Test
    void aShopOnAnotherOriginIsRecordedThroughCors() throws Exception {
        // A real shop is another origin: the recorder's module, its options and its chunks (text/plain, no preflight)
        // must pass CORS.
        String html = """
                <!doctype html><html><head><title>Another shop</title><script>
                var _smartsupp = _smartsupp || {}; _smartsupp.key = '%s';
                window.smartsupp||(function(d) { var s,c,o=smartsupp=function(){ o._.push(arguments)};o._=[];
                  s=d.getElementsByTagName('script')[0];c=d.createElement('script');c.async=true;
                  c.src='%s/chat.js';s.parentNode.insertBefore(c,s); })(document);
                </script></head><body><h1>Another shop</h1><p>Teapots and cups.</p><input name="q"></body></html>"""
                .formatted(parley.accountKey(), parley.baseUrl());
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try (BrowserContext context = shopper()) {
            Page shop = context.newPage();
            List<String> failures = new CopyOnWriteArrayList<>();
            shop.onRequestFailed(r -> failures.add(r.url() + " " + r.failure()));
            shop.onConsoleMessage(m -> { if ("error".equals(m.type())) failures.add(m.text()); });
            shop.navigate("http://127.0.0.1:" + other.getAddress().getPort() + "/shop.html");
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
            shop.locator("input[name=q]").pressSequentially("teapot");
            String session = (String) shop.evaluate("(k) => JSON.parse(sessionStorage.getItem('parley:rec:' + k)).id", parley.accountKey());
            eventually("a chunk from the other origin", 20_000, () -> jdbi.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM recordings WHERE session_key = :s").bind("s", session).mapTo(Integer.class).one()) > 0);
            assertThat(failures).filteredOn(f -> f.contains("CORS") || f.contains("/widget/") || f.contains("/vendor/")).isEmpty();
        } finally {
            other.stop(0);
        }
    }

    /** recording:disable holds for the site: the next page records nothing until the shop says recording:enable. */
    @Test
    void recordingDisableHoldsOnTheNextPagesUntilEnabled() {
        try (BrowserContext context = shopper()) {
            List<String> paths = new CopyOnWriteArrayList<>();
            Page shop = context.newPage();
            shop.onRequest(r -> paths.add(URI.create(r.url()).getPath()));
            shop.navigate(shopUrl("disabled-1"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.evaluate("() => smartsupp('recording:disable')");
            shop.navigate(shopUrl("disabled-2"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.locator("parley-chat .launcher").click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Still not recorded?");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            assertThat(paths).doesNotContain("/widget/recorder.js");
            // The shop turns it back on: the same browser is recorded again from its next activity.
            shop.waitForRequest(r -> r.url().endsWith("/widget/recorder.js"), () -> {
                shop.evaluate("() => smartsupp('recording:enable')");
                shop.navigate(shopUrl("disabled-3"));
                shop.mouse().move(300, 300, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            });
        }
    }

    @Test
    void recordingOffOnThePageRecordsNothing() {
        try (BrowserContext context = shopper()) {
            List<String> paths = new CopyOnWriteArrayList<>();
            Page shop = context.newPage();
            shop.onRequest(r -> paths.add(URI.create(r.url()).getPath()));
            shop.addInitScript(LONG_TASKS);
            shop.navigate(shopUrl("private"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.evaluate("() => smartsupp('recording:off')");
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.locator("input[name=name]").pressSequentially("Nobody");
            shop.locator("parley-chat .launcher").click();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Private question");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            // bench/recording's control: the same browsing with the recorder off, for the long tasks the page has anyway.
            int dwell = Integer.getInteger("parley.recording.dwellSeconds", 0);
            if (dwell > 0) {
                browseFor(shop, dwell);
                System.out.printf("  long tasks, control page with recording:off (load, typing, chat, then browsing): %s%n",
                        shop.evaluate("() => window.__longtasks"));
            }
            assertThat(paths).doesNotContain("/widget/recorder.js", "/vendor/rrweb-record.module.js");
            assertThat(shop.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('parley:rec:')).length")).isEqualTo(0);
        }
    }

    /**
     * bench/recording's longer visit: the shopper keeps reading the shop (pointer over the products, scrolling up
     * and down, hovering buttons) for {@code seconds}, so bytes per recorded minute are not just two snapshots.
     */
    private static void browseFor(Page shop, int seconds) {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        for (int i = 0; System.nanoTime() < until; i++) {
            shop.mouse().move(100 + (i * 137) % 1000, 120 + (i * 89) % 600, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(30));
            shop.mouse().wheel(0, i % 4 < 2 ? 300 : -300);
            if (i % 5 == 0) shop.locator(".card .btn").nth(i % 6).hover();
        }
    }

    /** With the account's exclude_mobile, a phone is not recorded, and a computer on the same shop still is. */
    @Test
    void phonesAreNotRecordedWhenTheAccountExcludesThem() {
        TestParley.Api owner = parley.owner();
        assertThat(owner.patch("/v2/recording/settings", Map.of("exclude_mobile", true)).path("exclude_mobile").asBoolean()).isTrue();
        try (BrowserContext phone = Browsers.browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true)
                .setUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        + "Version/17.5 Mobile/15E148 Safari/604.1")
                .setLocale("en-US").setTimezoneId("UTC"));
             BrowserContext computer = shopper()) {
            Page shop = phone.newPage();
            List<String> posts = new CopyOnWriteArrayList<>();
            shop.onRequest(r -> { if ("POST".equals(r.method())) posts.add(URI.create(r.url()).getPath()); });
            shop.navigate(shopUrl("phone"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            // The first touch loads the recorder, which reads the account's options and stops there.
            shop.waitForResponse(r -> r.url().contains("/widget/recording?") && "GET".equals(r.request().method()),
                    () -> shop.locator("input[name=name]").tap());
            shop.locator("input[name=name]").pressSequentially("On my phone");
            shop.locator("parley-chat .launcher").tap();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Do you ship to Brno?");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);
            assertThat(shop.locator("parley-chat .row.me")).hasCount(1);
            assertThat(shop.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('parley:rec:')).length")).isEqualTo(0);
            assertThat(posts).doesNotContain("/widget/recording");

            Page desk = computer.newPage();
            desk.navigate(shopUrl("computer"));
            assertThat(desk.locator("parley-chat .launcher")).isVisible();
            desk.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            desk.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
        } finally {
            owner.patch("/v2/recording/settings", Map.of("exclude_mobile", false));
        }
    }

    /**
     * A burst of changes too big for one chunk, made just before the shopper opens the next page, is stored whole:
     * the chunk is split in pieces of their own numbers, and what the server had not confirmed when the page went
     * away is sent again by the next page.
     */
    @Test
    void aBurstTooBigForOneChunkJustBeforeTheNextPageIsStoredWhole() throws Exception {
        try (BrowserContext context = shopper()) {
            Page shop = context.newPage();
            shop.navigate(shopUrl("burst-1"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
            String session = (String) shop.evaluate("(k) => JSON.parse(sessionStorage.getItem('parley:rec:' + k)).id", parley.accountKey());
            eventually("the page's first chunk", 20_000, () -> !storedStrings(session).isEmpty());
            // 16 paragraphs of 12 KB of random text, each added in its own task (its own event): ~150 KB compressed.
            shop.evaluate("""
                    async () => {
                      for (let i = 0; i < 16; i++) {
                        const p = document.createElement('p');
                        const noise = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(9000))));
                        p.textContent = 'burstmark' + String.fromCharCode(97 + i) + ' ' + noise;
                        document.body.append(p);
                        await new Promise((r) => setTimeout(r, 0));
                      }
                    }""");
            shop.navigate(shopUrl("burst-2"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(300, 300, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            List<String> marks = java.util.stream.IntStream.range(0, 16).mapToObj(i -> "burstmark" + (char) ('a' + i) + " ").toList();
            eventually("every paragraph of the burst stored", 30_000, () -> {
                String all = String.join("\n", storedStrings(session));
                return marks.stream().allMatch(all::contains);
            });
        }
    }

    /** Chunks the network lost (the server never answered) are sent again by the shopper's next page. */
    @Test
    void chunksTheNetworkLostAreSentAgainByTheNextPage() throws Exception {
        try (BrowserContext context = shopper()) {
            Page shop = context.newPage();
            java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
            // Every chunk of the first page is lost on its way.
            context.route(u -> u.contains("/widget/recording?") && u.contains("&seq="), route -> {
                lost.incrementAndGet();
                route.abort("connectionreset");
            });
            shop.navigate(shopUrl("lost-1"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
            String session = (String) shop.evaluate("(k) => JSON.parse(sessionStorage.getItem('parley:rec:' + k)).id", parley.accountKey());
            shop.evaluate("() => { const p = document.createElement('p'); p.textContent = 'lostmark on the first page'; document.body.append(p); }");
            // Two chunks after the mark have been lost: the mark was in an earlier one than the page's last.
            int before = lost.get();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; lost.get() < before + 2; i++) {
                assertThat(System.nanoTime()).as("two more chunks lost within 20 s").isLessThan(until);
                shop.mouse().move(100 + (i * 137) % 900, 150 + (i * 89) % 500, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(10));
            }
            context.unrouteAll();
            shop.navigate(shopUrl("lost-2"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            eventually("the first page's chunks stored from the second", 20_000, () -> String.join("\n", storedStrings(session))
                    .contains("lostmark on the first page"));
        }
    }

    /** Every string of every chunk stored for a recording session. */
    private static List<String> storedStrings(String session) {
        List<String> strings = new ArrayList<>();
        for (byte[] row : jdbi.withHandle(h -> h.createQuery("""
                SELECT c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id WHERE r.session_key = :s""")
                .bind("s", session).mapTo(byte[].class).list())) {
            try {
                collectStrings(DEEP.readTree(ChunkCodec.gunzip(row)), strings);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return strings;
    }

    @Test
    void inConsentModeNothingIsRecordedBeforeThePageGivesConsentAndTheAccountsMasksHold() throws Exception {
        TestParley.Api owner = parley.owner();
        owner.patch("/v2/recording/settings", Map.of("consent_mode", true, "mask_emails", true, "mask_numbers", true));
        try (BrowserContext context = shopper()) {
            Page shop = context.newPage();
            shop.navigate(shopUrl("consent"));
            assertThat(shop.locator("parley-chat .launcher")).isVisible();
            shop.mouse().move(200, 200, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            shop.waitForFunction("() => Object.keys(sessionStorage).some(k => /^parley:rec:[^:]+$/.test(k))");
            shop.locator("input[name=name]").pressSequentially("Before consent");
            long consentAt = ((Number) shop.evaluate("() => { const t = Date.now(); smartsupp('analyticsConsent', true); return t; }")).longValue();
            shop.mouse().move(600, 300, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(20));
            shop.locator("input[name=gift]").pressSequentially("After");
            String session = (String) shop.evaluate("(k) => JSON.parse(sessionStorage.getItem('parley:rec:' + k)).id", parley.accountKey());
            eventually("the recording after consent", 20_000, () -> jdbi.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM recordings WHERE session_key = :s").bind("s", session).mapTo(Integer.class).one()) > 0);
            long first = jdbi.withHandle(h -> h.createQuery("SELECT first_event_ms FROM recordings WHERE session_key = :s")
                    .bind("s", session).mapTo(Long.class).one());
            assertThat(first).as("the first recorded event comes after the page's consent").isGreaterThanOrEqualTo(consentAt);
            // The account masks email addresses and digits in the page's own text (the footer, the prices).
            List<String> strings = storedStrings(session);
            assertThat(strings).anyMatch(t -> t.contains("Mountain Sencha"));
            assertThat(strings).noneMatch(t -> t.contains("hello@fernandfield.example")).noneMatch(t -> t.contains("12.90"));
        } finally {
            owner.patch("/v2/recording/settings", Map.of("consent_mode", false, "mask_emails", false, "mask_numbers", false));
        }
    }

    // ---- measurements ----------------------------------------------------------------------------------------------

    private static void printHostCost(List<Map<String, Object>> home, double recorderAt, List<Map<String, Object>> checkout,
                                      List<Response> responses) {
        System.out.println("Recorder on the host page (demo shop; long tasks are tasks over 50 ms, {start, duration} in ms):");
        System.out.printf("  long tasks, home page, before the first activity (no recorder): %s%n",
                home.stream().filter(t -> ((Number) t.get("start")).doubleValue() < recorderAt).toList());
        System.out.printf("  long tasks, home page, after the recorder loaded at %.0f ms: %s%n", recorderAt,
                home.stream().filter(t -> ((Number) t.get("start")).doubleValue() >= recorderAt).toList());
        System.out.printf("  long tasks, checkout page (recording from its load, typing, chat%s): %s%n",
                Integer.getInteger("parley.recording.dwellSeconds", 0) > 0 ? ", then browsing" : "", checkout);
        for (Response r : responses) {
            String path = URI.create(r.url()).getPath();
            if (!path.equals("/widget/recorder.js") && !path.equals("/vendor/rrweb-record.module.js")) continue;
            byte[] body = fetch(r.url());
            System.out.printf("  loaded after the first activity: %-32s %7d B, gzipped %6d B%n", path, body.length, gzip(body, 6).length);
        }
    }

    private static void printSizes(JsonNode rec, List<byte[]> raws, List<byte[]> stored) {
        long rawBytes = raws.stream().mapToLong(b -> b.length).sum();
        long storedBytes = stored.stream().mapToLong(b -> b.length).sum();
        double minutes = rec.get("duration_ms").asLong() / 60_000.0;
        System.out.printf("Recording of the scripted visit: %d chunks, %.1f s, %d events bytes raw, %d B stored (gzip) = %.1f %% ;"
                        + " %.0f B (%.1f KB) stored per recorded minute%n", stored.size(), minutes * 60, rawBytes, storedBytes,
                100.0 * storedBytes / rawBytes, storedBytes / minutes, storedBytes / minutes / 1024);
        long gzip9 = raws.stream().mapToLong(b -> gzip(b, 9).length).sum();
        long zstd3 = raws.stream().mapToLong(b -> Zstd.compress(b, 3).length).sum();
        long zstd9 = raws.stream().mapToLong(b -> Zstd.compress(b, 9).length).sum();
        long zstd19 = raws.stream().mapToLong(b -> Zstd.compress(b, 19).length).sum();
        System.out.printf("Per chunk as stored: gzip-6 %d B (%.1f %%), gzip-9 %d B, zstd-3 %d B (%.1f %%), zstd-9 %d B, zstd-19 %d B (%.1f %%)%n",
                storedBytes, 100.0 * storedBytes / rawBytes, gzip9, zstd3, 100.0 * zstd3 / rawBytes, zstd9, zstd19, 100.0 * zstd19 / rawBytes);
        byte[] whole = String.join(",", raws.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList()).getBytes(StandardCharsets.UTF_8);
        System.out.printf("Whole recording in one piece: gzip-6 %d B, zstd-3 %d B, zstd-19 %d B%n", gzip(whole, 6).length,
                Zstd.compress(whole, 3).length, Zstd.compress(whole, 19).length);
    }

    private static byte[] fetch(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] raw, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level == 6 ? Deflater.DEFAULT_COMPRESSION : level);
            }
        }) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** What the recorder saw in each field: rrweb's input events (incremental snapshot, source 5) and snapshot values. */
    private static List<String> inputTexts(List<byte[]> raws) throws IOException {
        List<String> out = new ArrayList<>();
        for (byte[] raw : raws) {
            for (JsonNode e : DEEP.readTree(raw)) {
                if (e.path("type").asInt() == 3 && e.path("data").path("source").asInt() == 5 && e.path("data").path("text").isTextual()) {
                    String t = e.get("data").get("text").asText();
                    if (!t.isEmpty()) out.add(t);
                }
                if (e.path("type").asInt() == 2) inputValues(e.path("data").path("node"), out);
            }
        }
        return out;
    }

    /** The values of inputs in a full snapshot (typed before the recorder started on that page). */
    private static void inputValues(JsonNode node, List<String> out) {
        if ("input".equals(node.path("tagName").asText()) && node.path("attributes").path("value").isTextual()) {
            String v = node.get("attributes").get("value").asText();
            if (!v.isEmpty()) out.add(v);
        }
        for (JsonNode child : node.path("childNodes")) inputValues(child, out);
    }

    private static void collectStrings(JsonNode node, List<String> out) {
        if (node.isTextual()) out.add(node.asText());
        for (JsonNode child : node) collectStrings(child, out);
    }

    private static List<String> paths(List<Response> responses) {
        return responses.stream().map(r -> URI.create(r.url()).getPath()).toList();
    }

    private static JsonNode awaitRecordings(long visitorId) throws InterruptedException {
        TestParley.Api owner = parley.owner();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode items = owner.get("/v2/visitors/" + visitorId + "/recordings").path("items");
            if (!items.isEmpty()) return items;
            if (System.nanoTime() > deadline) throw new AssertionError("The recording was never listed");
            Thread.sleep(200);
        }
    }

    private static void eventually(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Never happened: " + what);
            Thread.sleep(100);
        }
    }

    /** {@code digits} followed by its Luhn check digit. */
    static String luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return digits + (10 - sum % 10) % 10;
    }
}
