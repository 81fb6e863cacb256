package app.parley.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * One headless Debian Chromium per test JVM, shared by every browser test (dashboard and chat box).
 * Starting Chromium costs about a second; a fresh {@link BrowserContext} per test is cheap and isolated
 * (own cookies, storage, permissions).
 */
public final class Browsers {

    private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;

    private Browsers() {
    }

    /** The shared browser, launched on first use and closed when the JVM exits. */
    public static synchronized Browser browser() {
        if (browser == null || !browser.isConnected()) {
            if (playwright == null) {
                playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Runtime.getRuntime().addShutdownHook(new Thread(Browsers::closeQuietly, "browsers-shutdown"));
            }
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-dev-shm-usage")));
        }
        return browser;
    }

    /** A fresh, isolated context (1440×900, English, UTC) on the shared browser; close it after the test. */
    public static BrowserContext newContext() {
        return browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(1440, 900)
                .setLocale("en-US")
                .setTimezoneId("UTC"));
    }

    /** Saves a full-page PNG as {@code target/screenshots/<name>.png} and returns its path. */
    public static Path screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name.endsWith(".png") ? name : name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    private static synchronized void closeQuietly() {
        try {
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
        } catch (RuntimeException ignored) {
            // The JVM is exiting; a browser that is already gone is fine.
        }
    }
}
