package app.parley.contact;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Keys for visitors not stored yet. A chat box that only connects leaves no row; it still needs a key that
 * brings it back as the same visitor after a reload or in another tab. The key carries the id the row will
 * get, random bytes, and an HMAC of both under a secret kept in the database (shared by every node, kept
 * across restarts), so the server recognises its own keys without remembering them and nobody can forge one.
 */
public final class VisitorKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 12;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = Long.BYTES + RANDOM_BYTES + MAC_BYTES;

    private final SecretKeySpec secret;

    private VisitorKeys(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The signing secret, made at the first start. */
    public static VisitorKeys load(Jdbi jdbi) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        byte[] secret = jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO server_secrets (name, secret) VALUES ('visitor_keys', :s) ON CONFLICT DO NOTHING")
                    .bind("s", fresh).execute();
            return h.createQuery("SELECT secret FROM server_secrets WHERE name = 'visitor_keys'").mapTo(byte[].class).one();
        });
        return new VisitorKeys(secret);
    }

    /** A new visitor's id, taken from the visitors' own sequence so the row, once made, can have it. */
    public static long nextId(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT nextval(pg_get_serial_sequence('visitors', 'id'))")
                .mapTo(Long.class).one());
    }

    public String issue(long accountId, long visitorId) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putLong(visitorId);
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        b.put(random);
        b.put(mac(accountId, b.array(), Long.BYTES + RANDOM_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The id a key of this account was issued for; empty for anything else (another account's, forged, old). */
    public OptionalLong idOf(long accountId, String key) {
        if (key == null || key.length() != (LENGTH * 4 + 2) / 3) return OptionalLong.empty();
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (raw.length != LENGTH) return OptionalLong.empty();
        byte[] expected = mac(accountId, raw, Long.BYTES + RANDOM_BYTES);
        byte[] given = java.util.Arrays.copyOfRange(raw, Long.BYTES + RANDOM_BYTES, LENGTH);
        if (!MessageDigest.isEqual(expected, given)) return OptionalLong.empty();
        long id = ByteBuffer.wrap(raw).getLong();
        return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    }

    private byte[] mac(long accountId, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(accountId).array());
            mac.update(data, 0, length);
            return java.util.Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
