package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * One agent's dashboard in its own browser context: signs in through the login form and offers the few
 * locators the tests share. Page errors and console errors are collected, so a test can assert there were none.
 */
final class DashboardSession implements AutoCloseable {
    static {
        // Two cores shared with a database and concurrent builds: give live updates room before failing.
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
    }

    final BrowserContext context;
    final Page page;
    final List<String> errors = new CopyOnWriteArrayList<>();
    private final TestParley parley;
    // What the page asked for and has not had answered: printed when the sign-in form does not come.
    private final java.util.Map<com.microsoft.playwright.Request, Long> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    private DashboardSession(TestParley parley) {
        this.parley = parley;
        this.context = Browsers.newContext();
        this.page = context.newPage();
        page.setDefaultTimeout(10_000);
        page.onRequest(r -> inFlight.put(r, System.nanoTime()));
        page.onRequestFinished(inFlight::remove);
        page.onRequestFailed(inFlight::remove);
        page.onPageError(e -> errors.add("page error: " + e));
        page.onConsoleMessage(m -> {
            // A refused WebSocket or a 4xx the UI handles still prints a console error in Chromium; keep real ones.
            if ("error".equals(m.type()) && !m.text().contains("Failed to load resource")
                    && !m.text().contains("WebSocket connection")) {
                errors.add("console: " + m.text());
            }
        });
    }

    static DashboardSession signIn(TestParley parley, String email, String password) {
        return signIn(parley, email, password, page -> { });
    }

    /** Signs in after {@code prepare} has set up the page (init scripts, WebSocket routes) before it loads. */
    static DashboardSession signIn(TestParley parley, String email, String password,
                                   java.util.function.Consumer<Page> prepare) {
        DashboardSession s = new DashboardSession(parley);
        prepare.accept(s.page);
        s.page.navigate(parley.baseUrl() + "/");
        // A fresh context's first load (modules, session check) can be slow on a busy 2-core CI machine: wait
        // longer for the form than for anything after it, and keep a picture if it never comes.
        try {
            s.page.getByLabel("Email").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(20_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            // Seen a few times on CI only: the form came seconds after the wait ended. Say what the page was waiting
            // for, then load it once more: the test is about what comes after the form.
            System.out.println("The sign-in form did not come in 20 s; requests still unanswered: " + s.unanswered()
                    + "; errors: " + s.errors);
            app.parley.ui.Browsers.screenshot(s.page, "sign-in-slow");
            s.page.reload();
            try {
                s.page.getByLabel("Email").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(20_000));
            } catch (com.microsoft.playwright.TimeoutError again) {
                app.parley.ui.Browsers.screenshot(s.page, "sign-in-never-appeared");
                throw new AssertionError("The sign-in form never came, also after a reload; unanswered: " + s.unanswered(), again);
            }
        }
        s.page.getByLabel("Email").fill(email);
        s.page.getByLabel("Password").fill(password);
        s.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(s.page.locator(".topbar")).isVisible();
        return s;
    }

    private List<String> unanswered() {
        long now = System.nanoTime();
        return inFlight.entrySet().stream().map(e -> e.getKey().method() + " " + e.getKey().url() + " ("
                + (now - e.getValue()) / 1_000_000 + " ms)").toList();
    }

    static DashboardSession owner(TestParley parley) {
        return signIn(parley, TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD);
    }

    /**
     * Puts this agent online and waits until the switch shows it. Through the API, not a click on the switch: the
     * dashboard turns a freshly signed-in agent online by itself (#18), and a click read against the state before
     * that lands would turn them off again.
     */
    void online(TestParley.Api self) {
        self.patch("/auth/me", java.util.Map.of("status", "online"));
        assertThat(page.getByRole(AriaRole.SWITCH)).hasAttribute("aria-checked", "true");
    }

    void go(String hash) {
        page.navigate(parley.baseUrl() + "/app/" + hash);
        assertThat(page.locator(".topbar")).isVisible();
    }

    Locator tab(String name) {
        return page.locator(".tabs [data-tab='" + name + "']");
    }

    Locator tabCount(String name) {
        return page.locator(".tabs [data-count='" + name + "']");
    }

    Locator row(long conversationId) {
        return page.locator(".conv-row[data-conversation-id='" + conversationId + "']");
    }

    Locator threadHeader() {
        return page.locator(".thread-head");
    }

    Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    Locator headerButton(String name) {
        return threadHeader().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    void open(long conversationId) {
        row(conversationId).locator(".row-link").click();
        assertThat(threadHeader()).isVisible();
    }

    /** Types into the composer and presses Enter, as an agent does. */
    void reply(String text) {
        Locator box = page.getByLabel("Reply to the visitor");
        box.fill(text);
        box.press("Enter");
    }

    void note(String text) {
        page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Note")).click();
        Locator box = page.getByLabel("Note for agents");
        box.fill(text);
        box.press("Enter");
        page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Message")).click();
    }

    @Override
    public void close() {
        context.close();
    }
}
