package app.parley.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the endpoint's secret>}. */
public final class Signature {
    public static final String HEADER = "X-Parley-Signature";

    private Signature() {}

    public static String of(String secret, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
