package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every page Parley serves carries a strict Content-Security-Policy (issue #9, point 1: the demo pages had none and
 * loaded chat.js from any URL named in their address), and every other answer may run and load nothing.
 */
class PagePolicyTest {
    static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyPageAllowsScriptOnlyFromParleyAndItsOwnInlineBlocks() throws Exception {
        List<String> pages = pages();
        assertThat(pages).contains("/app/index.html", "/demo/shop.html", "/demo/hostile.html", "/demo/csp.html");
        for (String page : pages) {
            RawHttp.Response r = RawHttp.send(app.baseUrl(), "GET", page, Map.of(), null);
            assertThat(r.status()).as(page).isEqualTo(200);
            Map<String, List<String>> policy = policy(r, page);
            assertThat(policy.get("script-src")).as(page + " script-src").isNotEmpty()
                    .allMatch(s -> s.equals("'self'") || s.matches("'sha256-[A-Za-z0-9+/]+=*'"));
            assertThat(policy.get("default-src")).as(page).containsAnyOf("'none'", "'self'").hasSize(1);
            assertThat(policy.get("object-src")).as(page).containsExactly("'none'");
            assertThat(policy.get("base-uri")).as(page).containsExactly("'none'");
            assertThat(policy.get("frame-ancestors")).as(page).containsExactly("'none'");
            assertThat(policy.get("connect-src")).as(page).containsExactly("'self'");
        }
    }

    @Test
    void theDemoShopsAllowNoInlineStyleOrHandlerBeyondTheirOwnBlocks() throws Exception {
        for (String page : pages()) {
            if (!page.startsWith("/demo/")) continue;
            Map<String, List<String>> policy = policy(RawHttp.send(app.baseUrl(), "GET", page, Map.of(), null), page);
            assertThat(policy.get("default-src")).as(page).containsExactly("'none'");
            assertThat(policy.get("style-src")).as(page).allMatch(s -> s.equals("'self'") || s.startsWith("'sha256-"));
            String html = Files.readString(webRoot().resolve(page.substring(1)));
            assertThat(html).as(page).doesNotContain(" onclick=", "server");
        }
    }

    @Test
    void answersThatAreNotPagesMayLoadNothing() {
        for (String path : List.of("/chat.js", "/openapi.json", "/widget/widget.js", "/health", "/v2/conversations",
                "/no/such/thing", "/widget/config?key=nope")) {
            RawHttp.Response r = RawHttp.send(app.baseUrl(), "GET", path, Map.of(), null);
            assertThat(r.raw().headers().allValues("Content-Security-Policy")).as(path)
                    .containsExactly("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        }
    }

    private static Map<String, List<String>> policy(RawHttp.Response r, String page) {
        List<String> headers = r.raw().headers().allValues("Content-Security-Policy");
        assertThat(headers).as(page + " has exactly one policy").hasSize(1);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String directive : headers.getFirst().split(";")) {
            String[] words = directive.trim().split("\\s+");
            out.put(words[0], Arrays.asList(words).subList(1, words.length));
        }
        return out;
    }

    /** The pages as built into the jar: every .html under the web root, by URL path. */
    private static List<String> pages() throws IOException, URISyntaxException {
        Path root = webRoot();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".html"))
                    .map(f -> "/" + root.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }

    private static Path webRoot() throws URISyntaxException {
        return Path.of(PagePolicyTest.class.getResource("/web").toURI());
    }
}
