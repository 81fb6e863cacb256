package app.parley.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the endpoint's secret>}. */
public final class Signature {
    public static final String HEADER = "X-Parley-Signature";
    /**
     * A keyed Mac per endpoint secret, cloned for each body: a Mac's provider look-up and key set-up cost more than
     * signing a chat message, and a delivery per message signs at the chat's rate. Bounded: cleared when full.
     */
    private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();
    private static final int MAX_KEYED = 1024;

    private Signature() {}

    public static String of(String secret, String body) {
        return of(secret, body.getBytes(StandardCharsets.UTF_8));
    }

    public static String of(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac(secret).doFinal(body));
    }

    private static Mac mac(String secret) {
        Mac keyed = KEYED.get(secret);
        try {
            if (keyed == null) {
                keyed = Mac.getInstance("HmacSHA256");
                keyed.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                if (KEYED.size() >= MAX_KEYED) KEYED.clear();
                KEYED.put(secret, keyed);
            }
            return (Mac) keyed.clone();
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK, and its Mac can be cloned", e);
        }
    }
}
