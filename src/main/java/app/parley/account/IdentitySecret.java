package app.parley.account;

import app.parley.core.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The account's identity secret (docs/PRODUCT.md §3): the shop's server signs its customer's id or email with it, as
 * {@code HMAC-SHA256(secret, value)} in hex, so that Parley can tell a real customer from someone who merely
 * typed their email. It is an HMAC key, so it is stored as is; only the owner and admins ever get it.
 */
public final class IdentitySecret {
    private static final SecureRandom RANDOM = new SecureRandom();

    private IdentitySecret() {}

    public static String of(Handle h, long accountId) {
        return h.createQuery("SELECT identity_secret FROM accounts WHERE id = :a").bind("a", accountId).mapTo(String.class).one();
    }

    /** A new secret: every signature made with the old one stops verifying at once. */
    public static String rotate(Handle h, long accountId) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String secret = HexFormat.of().formatHex(b);
        h.createUpdate("UPDATE accounts SET identity_secret = :s WHERE id = :a").bind("s", secret).bind("a", accountId).execute();
        return secret;
    }

    /** Whether {@code hash} (hex, either case) is the signature of {@code value}; compared in constant time. */
    public static boolean signs(String secret, String value, String hash) {
        if (secret == null || value == null || hash == null) return false;
        byte[] expected = sign(secret, value).getBytes(StandardCharsets.US_ASCII);
        byte[] given = hash.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    static String sign(String secret, String value) {
        return HexFormat.of().formatHex(Hmac.sha256(secret, value.getBytes(StandardCharsets.UTF_8)));
    }
}
