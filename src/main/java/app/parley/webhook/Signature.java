package app.parley.webhook;

import app.parley.core.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** {@code X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the endpoint's secret>}. */
public final class Signature {
    public static final String HEADER = "X-Parley-Signature";

    private Signature() {}

    public static String of(String secret, String body) {
        return "sha256=" + HexFormat.of().formatHex(Hmac.sha256(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

}
