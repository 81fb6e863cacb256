package app.parley.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with a text secret: what signs a webhook's body, checks Meta's signature of a Messenger webhook and
 * checks a shop's signature of its customer's identity. Comparing signatures is the caller's, in constant time.
 */
public final class Hmac {
    private Hmac() {}

    public static byte[] sha256(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
