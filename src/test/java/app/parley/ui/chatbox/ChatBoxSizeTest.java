package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.LoadState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every page view of a shop pays for the chat box before the visitor opens it: at most 25 KB gzipped,
 * and no layout shift. The open panel is loaded only when needed.
 */
class ChatBoxSizeTest {
    static final int BUDGET = 25 * 1024;

    TestParley app;
    BrowserContext context;

    @BeforeEach
    void start() {
        app = TestParley.start();
        context = ChatBox.desktop();
    }

    @AfterEach
    void stop() {
        context.close();
        app.close();
    }

    record Loaded(String path, long wireBody, long wireHeaders, long gzipped) {}

    @Test
    void firstLoadBeforeOpeningStaysUnder25KilobytesGzipped() {
        Page page = context.newPage();
        List<Response> responses = new ArrayList<>();
        page.onResponse(responses::add);
        page.addInitScript("""
                window.__shifts = 0;
                new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; })
                  .observe({ type: 'layout-shift', buffered: true });""");
        page.navigate(app.baseUrl() + "/demo/shop.html?key=" + app.accountKey());
        ChatBox box = ChatBox.on(page);
        expect(box.launcher()).isVisible();
        page.waitForLoadState(LoadState.NETWORKIDLE);

        List<Loaded> before = chatBoxFiles(responses);
        assertThat(before).extracting(Loaded::path).contains("/chat.js", "/widget/widget.js", "/widget/widget.css")
                .doesNotContain("/widget/panel.js", "/widget/panel.css");
        long wire = before.stream().mapToLong(l -> l.wireBody() + l.wireHeaders()).sum();
        long gzipped = before.stream().mapToLong(Loaded::gzipped).sum();
        print("before opening", before);
        assertThat(gzipped).as("gzipped bytes of the chat box before it is opened").isLessThanOrEqualTo(BUDGET);
        assertThat(wire).as("bytes on the wire (bodies and headers) before it is opened").isLessThanOrEqualTo(BUDGET);
        assertThat(((Number) page.evaluate("() => window.__shifts")).doubleValue()).as("cumulative layout shift").isZero();

        int seen = responses.size();
        box.launcher().click();
        expect(box.panel()).isVisible();
        page.waitForLoadState(LoadState.NETWORKIDLE);
        List<Loaded> opening = chatBoxFiles(responses.subList(seen, responses.size()));
        assertThat(opening).extracting(Loaded::path).contains("/widget/panel.js", "/widget/panel.css");
        print("loaded on opening", opening);
    }

    /** The chat box's own files among the responses (not the demo shop's page and stylesheet). */
    private List<Loaded> chatBoxFiles(List<Response> responses) {
        List<Loaded> out = new ArrayList<>();
        // A copy: reading a response dispatches Playwright's events, and the session recorder (loaded on the click
        // that opens the panel) keeps sending chunks, so the list grows while it is read.
        for (Response r : List.copyOf(responses)) {
            String path = URI.create(r.url()).getPath();
            if (!path.equals("/chat.js") && !path.startsWith("/widget/")) continue;
            r.finished();
            var sizes = r.request().sizes();
            out.add(new Loaded(path, sizes.responseBodySize, sizes.responseHeadersSize, gzippedSize(r.url())));
        }
        return out;
    }

    /** The file as served, gzipped here: the size whatever the server's own compression does. */
    private static long gzippedSize(String url) {
        try {
            byte[] body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(body);
            }
            return out.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void print(String when, List<Loaded> files) {
        System.out.println("Chat box files " + when + ":");
        for (Loaded l : files) {
            System.out.printf("  %-22s wire body %6d B, headers %4d B, gzipped %6d B%n", l.path(), l.wireBody(), l.wireHeaders(), l.gzipped());
        }
        System.out.printf("  total: wire %d B (body %d + headers %d), gzipped %d B, budget %d B%n",
                files.stream().mapToLong(l -> l.wireBody() + l.wireHeaders()).sum(),
                files.stream().mapToLong(Loaded::wireBody).sum(), files.stream().mapToLong(Loaded::wireHeaders).sum(),
                files.stream().mapToLong(Loaded::gzipped).sum(), BUDGET);
    }
}
