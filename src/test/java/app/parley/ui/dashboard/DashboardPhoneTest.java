package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The installable dashboard on a phone (issue #17, points 1, 2, 4 and 5) in headless Chromium with a phone's viewport,
 * touch and user agent: the manifest and its icons are valid, the service worker controls the page under the strict
 * CSP, the cached shell says it is offline rather than failing, the inbox is list → thread → card screens with back
 * navigation, every tap target is at least 44 px, nothing shifts while it loads, and turning notifications on goes
 * through the service worker as far as this Chromium lets it.
 */
class DashboardPhoneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    private static BrowserContext phone() {
        return Browsers.browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true)
                .setUserAgent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/131.0.0.0 Mobile Safari/537.36")
                .setLocale("en-US").setTimezoneId("UTC"));
    }

    @Test
    void theDashboardIsAnInstallablePhoneApp() throws Exception {
        long conversation;
        try (VisitorSocketClient v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
            v.identify(Map.of("name", "Eva Nováková", "email", "eva@example.cz"));
            v.page("https://shop.example/boots", "Winter boots – Test Shop");
            v.say("Hi! Do the winter boots come in size 38? <img src=x onerror=alert(1)>");
            conversation = v.await(f -> "conversation.created".equals(f.path("type").asText())).path("conversation_id").asLong();
        }
        try (VisitorSocketClient v = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
            v.identify(Map.of("name", "Jonas Berg"));
            v.say("Where is my order #10233?");
        }

        TestParley.Api owner = parley.owner();
        try (BrowserContext context = phone()) {
            context.grantPermissions(List.of("notifications"), new BrowserContext.GrantPermissionsOptions().setOrigin(parley.baseUrl()));
            Page page = context.newPage();
            page.setDefaultTimeout(15_000);
            List<String> errors = new CopyOnWriteArrayList<>();
            page.onPageError(e -> errors.add("page error: " + e));
            page.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().contains("WebSocket connection") && !m.text().contains("Failed to load resource")) {
                    errors.add("console: " + m.text());
                }
            });
            page.onDialog(d -> errors.add("dialog: " + d.message()));
            // Layout shifts not caused by a tap, summed as Chromium's Cumulative Layout Shift counts them.
            page.addInitScript("""
                    window.__shifts = [];
                    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput)
                      window.__shifts.push({ value: e.value, nodes: e.sources.map((s) => s.node && s.node.className || String(s.node)) }); })
                      .observe({ type: 'layout-shift', buffered: true });""");

            page.addInitScript(fakePushManager());
            page.navigate(parley.baseUrl() + "/");
            page.getByLabel("Email").fill(TestParley.OWNER_EMAIL);
            page.getByLabel("Password").fill(TestParley.OWNER_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            assertThat(page.locator(".topbar")).isVisible();

            // Point 1 / 5: the manifest and its icons.
            assertThat(page.locator("link[rel=manifest]")).hasAttribute("href", "/app/manifest.json");
            APIResponse m = page.request().get(parley.baseUrl() + "/app/manifest.json");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.headers().get("content-type")).startsWith("application/json");
            JsonNode manifest = JSON.readTree(m.body());
            assertThat(manifest.path("name").asText()).isEqualTo("Parley");
            assertThat(manifest.path("short_name").asText()).isNotBlank();
            assertThat(manifest.path("display").asText()).isIn("standalone", "fullscreen");
            assertThat(manifest.path("start_url").asText()).startsWith(manifest.path("scope").asText()).startsWith("/app/");
            assertThat(manifest.path("theme_color").asText()).matches("#[0-9a-fA-F]{6}");
            List<String> sizes = new ArrayList<>();
            for (JsonNode icon : manifest.path("icons")) {
                APIResponse r = page.request().get(parley.baseUrl() + icon.path("src").asText());
                assertThat(r.status()).as(icon.toString()).isEqualTo(200);
                assertThat(r.headers().get("content-type")).as(icon.toString()).startsWith(icon.path("type").asText());
                if (icon.path("type").asText().equals("image/png")) {
                    ByteBuffer png = ByteBuffer.wrap(r.body());
                    String actual = png.getInt(16) + "x" + png.getInt(20);
                    assertThat(actual).as("the PNG's real size").isEqualTo(icon.path("sizes").asText());
                    sizes.add(actual + " " + icon.path("purpose").asText("any"));
                }
            }
            assertThat(sizes).contains("192x192 any", "512x512 any", "512x512 maskable");

            // The service worker takes control of the page, under the dashboard's CSP, with scope /app/.
            page.waitForFunction("() => navigator.serviceWorker.controller !== null");
            assertThat(page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope"))
                    .isEqualTo(parley.baseUrl() + "/app/");
            assertThat(page.request().get(parley.baseUrl() + "/app/sw.js").headers().get("content-security-policy"))
                    .contains("script-src 'self'");
            // What Chromium itself (and so Lighthouse) makes of the manifest and of installing the app.
            com.microsoft.playwright.CDPSession devtools = context.newCDPSession(page);
            com.google.gson.JsonObject parsed = devtools.send("Page.getAppManifest");
            assertThat(parsed.getAsJsonArray("errors")).as("Chromium's manifest errors").isEmpty();
            assertThat(parsed.get("url").getAsString()).isEqualTo(parley.baseUrl() + "/app/manifest.json");
            // The only thing that keeps Chromium from offering to install it here: Playwright's contexts are incognito.
            List<String> installability = new ArrayList<>();
            devtools.send("Page.getInstallabilityErrors").getAsJsonArray("installabilityErrors")
                    .forEach(e -> installability.add(e.getAsJsonObject().get("errorId").getAsString()));
            assertThat(installability).containsOnly("in-incognito");

            // Point 2: list → thread → card → back, on the phone's viewport.
            page.navigate(parley.baseUrl() + "/app/#/conversations/all");
            assertThat(page.locator(".conv-row")).hasCount(2);
            assertThat(page.locator(".thread-pane")).isHidden();
            Browsers.screenshot(page, "phone-inbox-list");
            assertTapTargets(page, "list");
            double shift = ((Number) page.evaluate("() => window.__shifts.reduce((a, s) => a + s.value, 0)")).doubleValue();
            assertThat(shift).as("layout shift while the inbox loads: " + page.evaluate("() => JSON.stringify(window.__shifts)"))
                    .isLessThan(0.01);

            page.locator(".conv-row", new Page.LocatorOptions().setHasText("Eva Nováková")).locator(".row-link").tap();
            assertThat(page.locator(".thread-pane .visitor-name")).hasText("Eva Nováková");
            assertThat(page.locator(".list-pane")).isHidden();
            assertThat(page.locator(".thread-pane")).containsText("<img src=x onerror=alert(1)>");
            assertThat(page.locator(".composer textarea")).isVisible();
            Browsers.screenshot(page, "phone-inbox-thread");
            assertTapTargets(page, "thread");
            // The on-screen keyboard takes the lower part of the screen (Chrome resizes the page, as the viewport meta asks):
            // the composer stays in view above it.
            page.setViewportSize(390, 480);
            page.locator(".composer textarea").focus();
            page.waitForFunction("() => { const r = document.querySelector('.composer textarea').getBoundingClientRect();"
                    + " return r.top >= 0 && r.bottom <= innerHeight; }");
            page.setViewportSize(390, 844);

            page.getByLabel("Visitor details").first().tap();
            assertThat(page).hasURL(java.util.regex.Pattern.compile("#/conversations/all/" + conversation + "/card$"));
            assertThat(page.locator(".card-pane")).isVisible();
            assertThat(page.locator(".thread-pane")).isHidden();
            assertThat(page.locator(".card-pane")).containsText("eva@example.cz");
            Browsers.screenshot(page, "phone-inbox-card");
            assertTapTargets(page, "card");

            page.getByLabel("Back to the conversation", new Page.GetByLabelOptions().setExact(true)).tap();
            assertThat(page.locator(".thread-pane .visitor-name")).hasText("Eva Nováková");
            page.getByLabel("Back to the conversation list").tap();
            assertThat(page.locator(".list-pane")).isVisible();
            page.goBack();
            // The phone's back goes back a screen.
            assertThat(page.locator(".thread-pane .visitor-name")).hasText("Eva Nováková");

            // Point 3 / 4: turning notifications on. Headless Chromium cannot subscribe for real: Playwright's contexts are
            // incognito profiles, where Chromium refuses the Push API ("Chrome currently does not support the Push API in
            // incognito mode", AbortError: permission denied), and in a persistent profile pushManager.subscribe() waits
            // for Google's FCM, the only push service Chromium speaks to (no switch points it at a local RFC 8030 one;
            // here it never answered in 30 s). So the browser's PushManager is replaced, in the page only, by one that
            // returns a subscription shaped like Chrome's (FCM endpoint, a real P-256 key, a 16-byte secret); the push
            // service's side of such subscriptions is PushTest's.
            page.navigate(parley.baseUrl() + "/app/#/settings/notifications");
            assertThat(page.locator(".push-devices")).isVisible();
            assertThat(page.getByText("No device gets notifications yet.")).isVisible();
            page.getByText("Turn on notifications on this device").tap();
            assertThat(page.locator(".push-here")).hasText("This device gets notifications.");
            assertThat(page.locator(".push-device")).containsText("Chrome on Android (this device)");
            assertThat(page.evaluate("() => window.__subscribeKey")).as("the server's VAPID key reached subscribe()").isEqualTo(65);
            JsonNode devices = owner.get("/v2/me/push").path("devices");
            assertThat(devices).hasSize(1);
            assertThat(devices.get(0).path("service").asText()).isEqualTo("fcm.googleapis.com");
            assertTapTargets(page, "notifications settings");
            page.locator(".toast .icon-btn").first().tap();
            page.locator(".push-devices").scrollIntoViewIfNeeded();
            Browsers.screenshot(page, "phone-settings-notifications");
            // The service worker shows a push as the server sends it (PushTest decrypts the same shape): delivered here by
            // the DevTools protocol, the only way to reach a worker's push event without a push service.
            com.microsoft.playwright.CDPSession cdp = context.newCDPSession(page);
            String[] registration = new String[1];
            cdp.on("ServiceWorker.workerRegistrationUpdated", e -> e.getAsJsonArray("registrations")
                    .forEach(r -> registration[0] = r.getAsJsonObject().get("registrationId").getAsString()));
            cdp.send("ServiceWorker.enable");
            page.waitForCondition(() -> registration[0] != null);
            com.google.gson.JsonObject push = new com.google.gson.JsonObject();
            push.addProperty("origin", parley.baseUrl());
            push.addProperty("registrationId", registration[0]);
            push.addProperty("data", "{\"title\":\"New conversation: Eva Nováková\",\"body\":\"Hi! Do the winter boots come in size 38?\","
                    + "\"url\":\"/app/#/conversations/all/" + conversation + "\",\"tag\":\"conversation-" + conversation + "\"}");
            String shown = """
                    async () => (await (await navigator.serviceWorker.ready).getNotifications())
                      .map((n) => [n.title, n.body, n.tag, n.data.url].join(' | '))""";
            // Chromium drops a push it delivers while the worker is still starting: deliver again (same tag: one notification).
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (((List<?>) page.evaluate(shown)).isEmpty() && System.nanoTime() < deadline) {
                cdp.send("ServiceWorker.deliverPushMessage", push);
                page.waitForTimeout(500);
            }
            assertThat(page.evaluate(shown).toString())
                    .isEqualTo("[New conversation: Eva Nováková | Hi! Do the winter boots come in size 38? | conversation-" + conversation
                            + " | /app/#/conversations/all/" + conversation + "]");
            page.getByText("Turn off").tap();
            assertThat(page.getByText("No device gets notifications yet.")).isVisible();
            assertThat(owner.get("/v2/me/push").path("devices")).isEmpty();

            // Point 1: with the network gone the installed app starts from its cached shell and says it is offline.
            page.navigate(parley.baseUrl() + "/app/#/conversations/all");
            context.setOffline(true);
            page.reload();
            assertThat(page.locator(".splash")).hasText("You're offline. Reconnecting…");
            Browsers.screenshot(page, "phone-offline");
            context.setOffline(false);
            // Back within the app's next try (every 3 s, or at once on the browser's 'online' event).
            assertThat(page.locator(".topbar")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                    .setTimeout(15_000));

            // Signing out of a phone turns its notifications off: the next person using it sees nobody's chats.
            page.navigate(parley.baseUrl() + "/app/#/settings/notifications");
            page.getByText("Turn on notifications on this device").tap();
            assertThat(page.locator(".push-here")).isVisible();
            assertThat(owner.get("/v2/me/push").path("devices")).hasSize(1);
            page.locator(".me-button").tap();
            page.getByText("Log out").tap();
            assertThat(page.getByLabel("Email")).isVisible();
            assertThat(owner.get("/v2/me/push").path("devices")).isEmpty();
            assertThat(errors).isEmpty();
        }
        for (String name : List.of("phone-inbox-list", "phone-inbox-thread", "phone-inbox-card", "phone-settings-notifications", "phone-offline")) {
            Files.createDirectories(Path.of("docs/screenshots"));
            Files.copy(Path.of("target/screenshots", name + ".png"), Path.of("docs/screenshots", name + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A PushManager for the page (not the service worker) that subscribes as Chrome would, without FCM. */
    private static String fakePushManager() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) g.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        byte[] x = pub.getW().getAffineX().toByteArray();
        byte[] y = pub.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), point, 1 + Math.max(0, 32 - x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), point, 33 + Math.max(0, 32 - y.length), Math.min(32, y.length));
        byte[] auth = new byte[16];
        new java.security.SecureRandom().nextBytes(auth);
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String endpoint = "https://fcm.googleapis.com/fcm/send/" + b64.encodeToString(auth) + ":APA91bH" + b64.encodeToString(point).substring(0, 40);
        return """
                (() => {
                  const json = { endpoint: '%s', expirationTime: null, keys: { p256dh: '%s', auth: '%s' } };
                  const sub = { endpoint: json.endpoint, expirationTime: null, toJSON: () => json,
                    unsubscribe: async () => { localStorage.removeItem('fakePush'); return true; } };
                  PushManager.prototype.subscribe = async function (o) {
                    window.__subscribeKey = o.applicationServerKey.byteLength; localStorage.setItem('fakePush', '1'); return sub; };
                  PushManager.prototype.getSubscription = async function () { return localStorage.getItem('fakePush') ? sub : null; };
                })();""".formatted(endpoint, b64.encodeToString(point), b64.encodeToString(auth));
    }

    /** Every visible control a finger can hit is at least 44 × 44 CSS px (WCAG 2.5.5); text links inside messages aside. */
    private static void assertTapTargets(Page page, String screen) {
        Object small = page.evaluate("""
                () => [...document.querySelectorAll('.app button, .app a[href], .app [role=button], .app select, .app input[type=checkbox]')]
                  .filter((e) => { const r = e.getBoundingClientRect(); const st = getComputedStyle(e);
                    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && r.bottom > 0 && r.top < innerHeight
                      && !e.closest('.msg-text, .message-text, .bubble, .card-pane .link');
                  })
                  // A checkbox inside its label is tapped anywhere on the label.
                  .map((e) => (e.matches('input') && e.closest('label')) || e)
                  // Whole CSS pixels: Chromium 150 laid a 44 px button out at a hair under 44 (sub-pixel layout) once.
                  .filter((e) => { const r = e.getBoundingClientRect(); return Math.round(r.width) < 44 || Math.round(r.height) < 44; })
                  .map((e) => `${e.tagName.toLowerCase()}.${e.className} "${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 30)}" `
                    + `${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)""");
        assertThat((List<?>) small).as("tap targets under 44 px on the " + screen + " screen").isEmpty();
    }
}
