package app.parley.push;

import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * The devices an agent turned notifications on for: each a browser's push subscription (endpoint and keys, as
 * {@code PushSubscription.toJSON()} gives them). The same endpoint subscribed again (a phone handed to a colleague,
 * keys renewed) is one device, now theirs.
 */
public final class PushDevices {
    /** A device as its agent sees it: never its endpoint's keys. */
    public record Device(long id, String label, String service, OffsetDateTime createdAt, OffsetDateTime lastSentAt) {}

    private static final int MAX_PER_AGENT = 20;
    private static final int MAX_ENDPOINT = 2048;

    private final Jdbi jdbi;
    private final boolean allowHttp;
    private final Runnable wakeJobs;

    public PushDevices(Jdbi jdbi, boolean allowHttp, Runnable wakeJobs) {
        this.jdbi = jdbi;
        this.allowHttp = allowHttp;
        this.wakeJobs = wakeJobs;
    }

    public Device subscribe(long accountId, long agentId, String endpoint, String p256dh, String auth, String label) {
        URI uri = endpoint(endpoint);
        String publicKey = key("keys.p256dh", p256dh, 65);
        String secret = key("keys.auth", auth, 16);
        String name = label == null ? "" : label.strip();
        if (name.length() > 100) throw Refusal.invalid("label", "A device's name is at most 100 characters.");
        return jdbi.inTransaction(h -> {
            int others = h.createQuery("SELECT count(*) FROM push_devices WHERE agent_id = :a AND endpoint <> :e")
                    .bind("a", agentId).bind("e", uri.toString()).mapTo(Integer.class).one();
            if (others >= MAX_PER_AGENT) {
                throw new Refusal(Refusal.Kind.CONFLICT, "too_many_devices",
                        "Notifications are on for " + MAX_PER_AGENT + " devices already; turn one off first.");
            }
            long id = h.createQuery("""
                            INSERT INTO push_devices (account_id, agent_id, endpoint, p256dh, auth, label)
                            VALUES (:acc, :a, :e, :k, :s, :l)
                            ON CONFLICT (endpoint) DO UPDATE SET account_id = :acc, agent_id = :a, p256dh = :k, auth = :s, label = :l
                            RETURNING id""")
                    .bind("acc", accountId).bind("a", agentId).bind("e", uri.toString()).bind("k", publicKey).bind("s", secret)
                    .bind("l", name).mapTo(Long.class).one();
            return list(h, agentId).stream().filter(d -> d.id() == id).findFirst().orElseThrow();
        });
    }

    public List<Device> list(long agentId) {
        return jdbi.withHandle(h -> list(h, agentId));
    }

    /** Turns a device off; only its own agent may. */
    public void remove(long agentId, long deviceId) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM push_devices WHERE id = :d AND agent_id = :a")
                .bind("d", deviceId).bind("a", agentId).execute());
        if (n == 0) throw Refusal.notFound("device");
    }

    /** Queues a test notification to one of the agent's own devices (the settings screen's "Send a test"). */
    public void test(long agentId, long deviceId) {
        jdbi.useTransaction(h -> {
            boolean owns = h.createQuery("SELECT count(*) > 0 FROM push_devices WHERE id = :d AND agent_id = :a")
                    .bind("d", deviceId).bind("a", agentId).mapTo(Boolean.class).one();
            if (!owns) throw Refusal.notFound("device");
            ObjectNode p = Json.object();
            p.put("device_id", deviceId);
            p.set("notice", Json.tree(new Notice("Parley", "Notifications work on this device.", "/app/#/settings/notifications",
                    "parley-test").json()));
            Jobs.enqueue(h, PushSend.KIND, null, Json.write(p), null);
        });
        wakeJobs.run();
    }

    private static List<Device> list(org.jdbi.v3.core.Handle h, long agentId) {
        return h.createQuery("""
                        SELECT id, label, endpoint, created_at, last_sent_at FROM push_devices WHERE agent_id = :a ORDER BY id""")
                .bind("a", agentId)
                .map((rs, ctx) -> new Device(rs.getLong(1), rs.getString(2), URI.create(rs.getString(3)).getHost(),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class)))
                .list();
    }

    private URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) throw Refusal.invalid("endpoint", "The subscription's endpoint is missing.");
        if (endpoint.length() > MAX_ENDPOINT) throw Refusal.invalid("endpoint", "The subscription's endpoint is too long.");
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (java.net.URISyntaxException e) {
            throw Refusal.invalid("endpoint", "The subscription's endpoint is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // RFC 8030 push services speak HTTPS; a plain-http endpoint would send the VAPID token in clear.
        boolean ok = "https".equals(scheme) || ("http".equals(scheme) && allowHttp);
        if (!ok || uri.getHost() == null || uri.getUserInfo() != null) {
            throw Refusal.invalid("endpoint", "The subscription's endpoint must be an https: URL of a push service.");
        }
        return uri;
    }

    /** Keys are base64url (RFC 8291 §3.2 via the Push API); {@code bytes} is their decoded length. */
    private static String key(String field, String value, int bytes) {
        String plain = value == null ? null : value.strip().replace("=", "");
        byte[] raw;
        try {
            raw = plain == null ? null : Base64.getUrlDecoder().decode(plain);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != bytes || (bytes == 65 && raw[0] != 4)) {
            throw Refusal.invalid(field, field.equals("keys.auth") ? "The subscription's auth secret must be 16 bytes, base64url."
                    : "The subscription's p256dh key must be an uncompressed P-256 point (65 bytes), base64url.");
        }
        return plain;
    }
}
