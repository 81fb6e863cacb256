package app.parley.http;

import app.parley.masking.CardNumberMasker;
import java.util.regex.Pattern;

/** The limits on what people type (a name ≤ 255, a message ≤ 10,000 characters), card numbers masked at the door. */
public final class Input {
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_NAME = 255;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private Input() {}

    /** Required message text: trimmed, not empty, ≤ 10,000 characters, masked. */
    public static String messageText(String field, String text) {
        if (text == null || text.isBlank()) throw ApiException.invalid(field, "The message is empty.");
        String t = text.strip();
        if (t.length() > MAX_TEXT) {
            throw ApiException.invalid(field, "A message may have at most " + MAX_TEXT + " characters.");
        }
        return CardNumberMasker.mask(t);
    }

    /** An optional short field (name, phone, title): null stays null, blank becomes null, masked. */
    public static String shortText(String field, String value, int max) {
        if (value == null) return null;
        String t = value.strip();
        if (t.isEmpty()) return null;
        if (t.length() > max) throw ApiException.invalid(field, "'" + field + "' may have at most " + max + " characters.");
        return CardNumberMasker.mask(t);
    }

    public static String name(String field, String value) {
        return shortText(field, value, MAX_NAME);
    }

    public static String email(String field, String value) {
        String e = shortText(field, value, MAX_NAME);
        if (e != null && !EMAIL.matcher(e).matches()) throw ApiException.invalid(field, "This is not an email address.");
        return e;
    }

    public static String requiredName(String field, String value) {
        String n = name(field, value);
        if (n == null) throw ApiException.invalid(field, "'" + field + "' is required.");
        return n;
    }

    /** A client-chosen id for idempotent sends. */
    public static String clientId(String value) {
        if (value == null) return null;
        if (value.isBlank() || value.length() > 100) throw ApiException.invalid("client_id", "client_id must have 1 to 100 characters.");
        return value;
    }

    public static String url(String field, String value) {
        String u = shortText(field, value, 2048);
        if (u != null && !(u.startsWith("http://") || u.startsWith("https://"))) return null;
        return u;
    }
}
