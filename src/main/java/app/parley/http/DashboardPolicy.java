package app.parley.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's Content-Security-Policy: scripts only from Parley itself plus the inline blocks of
 * {@code index.html} (the import map), allowed by hash. A visitor's text that slipped into the page as markup
 * still could not run.
 */
final class DashboardPolicy {
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

    private DashboardPolicy() {}

    static String header() {
        StringBuilder scripts = new StringBuilder("'self'");
        for (String hash : inlineScriptHashes()) scripts.append(" 'sha256-").append(hash).append('\'');
        return "default-src 'self'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: https:; connect-src 'self'; media-src 'self' data:; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    static List<String> inlineScriptHashes() {
        List<String> hashes = new ArrayList<>();
        try (InputStream in = DashboardPolicy.class.getResourceAsStream("/web/app/index.html")) {
            if (in == null) return hashes;
            Matcher m = INLINE_SCRIPT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            while (m.find()) {
                hashes.add(Base64.getEncoder().encodeToString(sha.digest(m.group(1).getBytes(StandardCharsets.UTF_8))));
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot read the dashboard's index.html", e);
        }
        return hashes;
    }
}
