package app.parley.ui.chatbox;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The chat box on the demo shop page, seen from the visitor's side: what a test clicks, types and reads. */
final class ChatBox {
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    static {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    }

    final Page page;

    private ChatBox(Page page) {
        this.page = page;
    }

    /** A desktop browser context (1280×800, English, UTC): its own cookies and storage, i.e. a new visitor. */
    static BrowserContext desktop() {
        return Browsers.browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800).setLocale("en-US").setTimezoneId("UTC"));
    }

    /** Opens {@code /demo/<page>?key=<key><query>} and waits until the launcher is shown. */
    static ChatBox open(BrowserContext context, TestParley app, String demoPage, String query) {
        ChatBox box = load(context, app, demoPage, query);
        box.launcher().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        return box;
    }

    /** Opens the page and waits until the chat box is ready, whether or not its launcher is meant to show. */
    static ChatBox open(BrowserContext context, TestParley app, String query, boolean waitForLauncher) {
        return waitForLauncher ? open(context, app, "shop.html", query) : load(context, app, "shop.html", query);
    }

    private static ChatBox load(BrowserContext context, TestParley app, String demoPage, String query) {
        Page page = context.newPage();
        page.navigate(app.baseUrl() + "/demo/" + demoPage + "?key=" + app.accountKey() + query);
        page.waitForFunction("() => { const r = document.querySelector('parley-chat')?.shadowRoot;"
                + " const el = r && r.querySelector('.pw'); return el && !el.hidden; }");
        return new ChatBox(page);
    }

    static ChatBox open(BrowserContext context, TestParley app, String query) {
        return open(context, app, "shop.html", query);
    }

    static ChatBox on(Page page) {
        return new ChatBox(page);
    }

    // Playwright's CSS locators pierce open shadow roots, so these reach inside <parley-chat>.
    Locator launcher() {
        return page.locator("parley-chat .launcher");
    }

    Locator badge() {
        return page.locator("parley-chat .badge");
    }

    Locator panel() {
        return page.locator("parley-chat .panel");
    }

    Locator composer() {
        return page.locator("parley-chat textarea.input");
    }

    Locator sendButton() {
        return page.locator("parley-chat button.send");
    }

    Locator mine() {
        return page.locator("parley-chat .row.me .bub");
    }

    Locator theirs() {
        return page.locator("parley-chat .row.them .bub");
    }

    Locator pending() {
        return page.locator("parley-chat .row.me.pending");
    }

    Locator field(String name) {
        return page.locator("parley-chat form [name=" + name + "]");
    }

    Locator text(String text) {
        return page.locator("parley-chat .panel").getByText(text);
    }

    /** Types into the composer and presses Enter. */
    void send(String text) {
        composer().fill(text);
        composer().press("Enter");
    }

    /** Waits until nothing is in the outbox any more (every message acknowledged by the server). */
    void awaitAllAcked() {
        expect(pending()).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
    }

    List<String> texts(Locator l) {
        return new ArrayList<>(l.allTextContents());
    }

    /** The element focused inside the chat box's shadow root, as "tag.class", or null. */
    String focused() {
        Object f = page.evaluate("() => { const a = document.querySelector('parley-chat').shadowRoot.activeElement;"
                + " return a ? a.tagName.toLowerCase() + '.' + a.className : null; }");
        return f == null ? null : f.toString();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> dataLayer() {
        return (List<Map<String, Object>>) page.evaluate("() => JSON.parse(JSON.stringify(window.dataLayer || []))");
    }

    /** A PNG of what the visitor sees (the viewport), as target/screenshots/chatbox-<name>.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve("chatbox-" + name + ".png");
        // Finite animations (the panel rising in) are finished first, so the picture shows the settled state.
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setAnimations(ScreenshotAnimations.DISABLED));
        return file;
    }

    static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    /** Polls until the condition holds; fails with {@code what} after {@code millis}. */
    static void eventually(String what, long millis, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("Timed out waiting for: " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The account's conversations as the owner sees them (tab "all"), newest activity first. */
    static List<JsonNode> conversations(TestParley.Api owner) {
        List<JsonNode> out = new ArrayList<>();
        owner.get("/v2/conversations?tab=all").path("items").forEach(out::add);
        return out;
    }

    /** The only conversation of the account (fails if there is not exactly one). */
    static JsonNode onlyConversation(TestParley.Api owner) {
        List<JsonNode> all = conversations(owner);
        if (all.size() != 1) throw new AssertionError("Expected one conversation, got " + all);
        return all.get(0);
    }

    static JsonNode conversation(TestParley.Api owner, long id) {
        return owner.expect(200, "GET", "/v2/conversations/" + id, null);
    }

    /** Every message of a conversation, oldest first, as the owner sees it. */
    static List<JsonNode> messages(TestParley.Api owner, long conversationId) {
        List<JsonNode> out = new ArrayList<>();
        owner.get("/v2/conversations/" + conversationId + "/messages?limit=100").path("items").forEach(out::add);
        return out;
    }

    /** Texts of the conversation's messages of one sub_type ("contact" or "agent"), kind "message". */
    static List<String> texts(TestParley.Api owner, long conversationId, String subType) {
        return messages(owner, conversationId).stream()
                .filter(m -> "message".equals(m.path("kind").asText()) && subType.equals(m.path("sub_type").asText()))
                .map(m -> m.path("text").asText()).toList();
    }

    static void reply(TestParley.Api agent, long conversationId, String text) {
        agent.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("type", "message", "text", text));
    }
}
