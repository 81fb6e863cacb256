package app.parley.settings;

import app.parley.account.Tokens;
import app.parley.core.Refusal;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Logos and avatars. The dashboard crops and shrinks an image to a small square before it uploads it (a data URL
 * in JSON, under the 64 KiB body limit); what is kept is decided by the image's own bytes, never by the name or
 * type the client gave, so a script or an SVG can never be served from Parley's origin as an image.
 */
public final class Images {
    /** What the browser receives: the bytes and the one of four raster types they were recognised as. */
    public record Image(String contentType, byte[] bytes) {}

    public static final int MAX_BYTES = 48 * 1024;
    public static final String PATH = "/images/";

    private final Jdbi jdbi;

    public Images(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Reads a {@code data:image/...;base64,...} URL, checks it is a PNG, JPEG, WebP or GIF, and returns it. */
    public static Image parse(String field, String dataUrl) {
        if (dataUrl == null || dataUrl.isBlank()) throw Refusal.invalid(field, field + " is required: a data: URL of the image.");
        int comma = dataUrl.indexOf(',');
        if (!dataUrl.startsWith("data:") || comma < 0 || !dataUrl.substring(0, comma).endsWith(";base64")) {
            throw Refusal.invalid(field, field + " is a base64 data: URL (data:image/png;base64,…).");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(dataUrl.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(field, field + " is not valid base64.");
        }
        if (bytes.length > MAX_BYTES) {
            throw new Refusal(Refusal.Kind.INVALID, "image_too_large", "The image may have at most 48 KB once cropped.", field);
        }
        String type = sniff(bytes);
        if (type == null) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_image",
                    "Use a PNG, JPEG, WebP or GIF image.", field);
        }
        return new Image(type, bytes);
    }

    /** The type the bytes say they are, by their signature; null for anything else (SVG, HTML, PDF…). */
    static String sniff(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
        if (starts(b, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (starts(b, 'G', 'I', 'F', '8')) return "image/gif";
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) return false;
        for (int i = 0; i < sig.length; i++) if ((b[i] & 0xFF) != sig[i]) return false;
        return true;
    }

    /**
     * Stores the image and returns its address under {@code origin}: absolute, because the chat box shows logos
     * and avatars inside the shop's own pages, another origin.
     */
    static String store(Handle h, long accountId, Image image, String origin) {
        String token = Tokens.random(18);
        h.createUpdate("INSERT INTO images (token, account_id, content_type, bytes) VALUES (:t, :a, :c, :b)")
                .bind("t", token).bind("a", accountId).bind("c", image.contentType()).bind("b", image.bytes()).execute();
        return origin + PATH + token;
    }

    /** Forgets an image this account stored, when a logo or avatar is replaced; other URLs are left alone. */
    static void forget(Handle h, long accountId, String url) {
        int at = url == null ? -1 : url.lastIndexOf(PATH);
        if (at < 0) return;
        h.createUpdate("DELETE FROM images WHERE token = :t AND account_id = :a")
                .bind("t", url.substring(at + PATH.length())).bind("a", accountId).execute();
    }

    public Optional<Image> get(String token) {
        if (token == null || token.length() > 64) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("SELECT content_type, bytes FROM images WHERE token = :t")
                .bind("t", token).map((rs, ctx) -> new Image(rs.getString(1), rs.getBytes(2))).findOne());
    }
}
