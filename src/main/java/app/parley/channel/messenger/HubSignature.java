package app.parley.channel.messenger;

import app.parley.core.Hmac;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Meta's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>}, checked
 * on the bytes as they came (a re-serialised body loses Meta's {@code \/} and {@code \\uXXXX} escapes), compared
 * in constant time. The older SHA-1 header alone is not accepted.
 */
final class HubSignature {
    static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private HubSignature() {}

    static String of(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(Hmac.sha256(secret, body));
    }

    /** Whether one of the app secrets signed these bytes. */
    static boolean valid(String header, byte[] body, List<String> secrets) {
        if (header == null || !header.startsWith(PREFIX)) return false;
        byte[] sent;
        try {
            sent = HexFormat.of().parseHex(header.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean ok = false;
        // Every secret is tried whatever matched: the time taken says nothing about which one did.
        for (String secret : secrets) ok |= MessageDigest.isEqual(Hmac.sha256(secret, body), sent);
        return ok;
    }

}
