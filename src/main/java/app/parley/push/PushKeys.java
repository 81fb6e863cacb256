package app.parley.push;

import com.interaso.webpush.VapidKeys;
import java.util.Base64;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's VAPID key pair (RFC 8292), made at the first start and kept in the database: browsers bind each
 * subscription to the public key, so a new pair would silence every device. Of two processes starting together on
 * one database, the first insert wins and both read it back.
 */
public final class PushKeys {
    private final VapidKeys keys;

    private PushKeys(VapidKeys keys) {
        this.keys = keys;
    }

    public static PushKeys loadOrCreate(Jdbi jdbi) {
        return jdbi.inTransaction(h -> {
            VapidKeys fresh = VapidKeys.generate();
            h.createUpdate("""
                            INSERT INTO push_vapid_keys (public_key, private_key) VALUES (:pub, :priv)
                            ON CONFLICT (id) DO NOTHING""")
                    .bind("pub", fresh.getX509PublicKey()).bind("priv", fresh.getPkcs8PrivateKey()).execute();
            return h.createQuery("SELECT public_key, private_key FROM push_vapid_keys")
                    .map((rs, ctx) -> new PushKeys(VapidKeys.create(rs.getString(1), rs.getString(2)))).one();
        });
    }

    /** What a browser's {@code pushManager.subscribe} takes as {@code applicationServerKey}: the raw point, base64url. */
    public String applicationServerKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getApplicationServerKey());
    }

    VapidKeys vapid() {
        return keys;
    }
}
