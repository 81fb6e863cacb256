package app.parley.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy of every page Parley serves: scripts only from Parley itself plus the inline blocks
 * of its own pages, allowed by hash, so that neither a visitor's text that slipped into a page as markup nor a
 * link's query string can make a page run script from anywhere else (the demo pages once loaded
 * {@code <server>/chat.js} from any URL on Parley's origin).
 */
final class PagePolicy {
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern INLINE_STYLE = Pattern.compile("<style[^>]*>(.*?)</style>", Pattern.DOTALL);
    static final List<String> DEMO_PAGES = List.of("/web/demo/shop.html", "/web/demo/hostile.html", "/web/demo/csp.html");
    /** Everything that is not a page (JSON, scripts, styles) may load nothing and be framed by nobody. */
    static final String NOTHING = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private PagePolicy() {}

    /** The dashboard: its import map inline; its own styles (Preact sets style attributes). */
    static String dashboard() {
        return "default-src 'self'; script-src 'self'" + hashes(INLINE_SCRIPT, List.of("/web/app/index.html"))
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "
                + "media-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /**
     * The demo shops: the snippet and the shop's own inline blocks by hash, nothing inline otherwise (no event
     * handler attributes), connections to Parley only, agents' avatars from any https: host.
     */
    static String demo() {
        return "default-src 'none'; script-src 'self'" + hashes(INLINE_SCRIPT, DEMO_PAGES)
                + "; style-src 'self'" + hashes(INLINE_STYLE, DEMO_PAGES)
                + "; img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static String hashes(Pattern block, List<String> pages) {
        Set<String> hashes = new LinkedHashSet<>();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String page : pages) {
                try (InputStream in = PagePolicy.class.getResourceAsStream(page)) {
                    if (in == null) throw new IllegalStateException("Missing page " + page);
                    Matcher m = block.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    while (m.find()) {
                        hashes.add(Base64.getEncoder().encodeToString(sha.digest(m.group(1).getBytes(StandardCharsets.UTF_8))));
                    }
                }
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot read Parley's pages", e);
        }
        StringBuilder out = new StringBuilder();
        for (String h : hashes) out.append(" 'sha256-").append(h).append('\'');
        return out.toString();
    }
}
