package app.parley.core;

import app.parley.core.CardNumberMasker;
import java.util.regex.Pattern;

/**
 * The limits on what people type (a name ≤ 255, a message ≤ 10,000 characters), card numbers masked at the door,
 * control characters refused: text a person writes in several lines may hold line breaks and tabs, nothing else
 * (names, emails, ids, keys, query parameters) may hold any.
 */
public final class Input {
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_NAME = 255;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private Input() {}

    /** Required message text: trimmed, not empty, ≤ 10,000 characters, line breaks and tabs allowed, masked. */
    public static String messageText(String field, String text) {
        if (text == null || text.isBlank()) throw Refusal.invalid(field, "The message is empty.");
        refuseControlCharacters(field, text, true);
        String t = text.strip();
        if (t.length() > MAX_TEXT) {
            throw Refusal.invalid(field, "A message may have at most " + MAX_TEXT + " characters.");
        }
        return CardNumberMasker.mask(t);
    }

    /** An optional one-line field (name, phone, title): null stays null, blank becomes null, masked. */
    public static String shortText(String field, String value, int max) {
        return text(field, value, max, false);
    }

    /** An optional field written in lines (a note, a description, a rating comment): as shortText, line breaks allowed. */
    public static String longText(String field, String value, int max) {
        return text(field, value, max, true);
    }

    private static String text(String field, String value, int max, boolean lines) {
        if (value == null) return null;
        refuseControlCharacters(field, value, lines);
        String t = value.strip();
        if (t.isEmpty()) return null;
        if (t.length() > max) throw Refusal.invalid(field, "'" + field + "' may have at most " + max + " characters.");
        return CardNumberMasker.mask(t);
    }

    public static String name(String field, String value) {
        return shortText(field, value, MAX_NAME);
    }

    public static String email(String field, String value) {
        String e = shortText(field, value, MAX_NAME);
        if (e != null && !EMAIL.matcher(e).matches()) throw Refusal.invalid(field, "This is not an email address.");
        return e;
    }

    public static String requiredName(String field, String value) {
        String n = name(field, value);
        if (n == null) throw Refusal.invalid(field, "'" + field + "' is required.");
        return n;
    }

    /** A client-chosen id for idempotent sends: stored and echoed, so masked like everything a client writes. */
    public static String clientId(String value) {
        if (value == null) return null;
        if (value.isBlank() || value.length() > 100) throw Refusal.invalid("client_id", "client_id must have 1 to 100 characters.");
        refuseControlCharacters("client_id", value, false);
        return echoedClientId(value);
    }

    /** The client id as it is stored and echoed back (masked), before its length and characters are checked. */
    public static String echoedClientId(String value) {
        // Masked whatever its shape: a UUID-shaped id can hold a card's digits too. Parley's own clients make ids of
        // letters only, which masking never changes.
        return CardNumberMasker.mask(value);
    }

    public static String url(String field, String value) {
        String u = shortText(field, value, 2048);
        if (u != null && !(u.startsWith("http://") || u.startsWith("https://"))) return null;
        return u;
    }

    /**
     * A number written as people's software writes it: ASCII digits, no sign, no leading zero (except "0"), at
     * most 18 digits; -1 for anything else ("+1", "01", "١", "１", "1e3"), so one id has one spelling.
     */
    public static long asciiNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 18 || (s.length() > 1 && s.charAt(0) == '0')) return -1;
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Refuses C0 and C1 control characters and DEL (and the Unicode line and paragraph separators where lines are
     * not allowed): they have no place in what a person types, break PostgreSQL (U+0000) and forge log lines.
     * {@code lines}: line feed, carriage return and tab are allowed.
     */
    public static void refuseControlCharacters(String field, String value, boolean lines) {
        if (value == null) return;
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i), lines)) {
                throw new Refusal(Refusal.Kind.BAD_REQUEST, "invalid_characters",
                        "'" + field + "' may not contain control characters" + (lines ? " other than line breaks and tabs." : "."),
                        field);
            }
        }
    }

    /** Whether {@code value} holds a character that {@link #refuseControlCharacters} refuses on one line. */
    public static boolean hasControlCharacters(String value) {
        if (value == null) return false;
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i), false)) return true;
        }
        return false;
    }

    private static boolean isControl(char c, boolean lines) {
        if (c == '\n' || c == '\r' || c == '\t') return !lines;
        if (c == '\u2028' || c == '\u2029') return !lines;
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
