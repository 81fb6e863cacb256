package app.parley.webhook;

import app.parley.account.Tokens;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.Jobs;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An account's webhook endpoints and their delivery log (docs/WEBHOOKS.md). Callers check full access first.
 * The secret is shown once, in the answer to the creation; it is kept only to sign.
 */
public final class Webhooks {
    public static final int MAX_ENDPOINTS = 20;
    private static final int MAX_URL = 2048;

    public record Endpoint(long id, String url, List<String> events, boolean active, long deadDeliveries,
                           OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    /** The answer to a creation: the only time the secret leaves Parley. */
    public record Created(long id, String url, List<String> events, boolean active, long deadDeliveries,
                          OffsetDateTime createdAt, OffsetDateTime updatedAt, String secret) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Delivery(long id, long webhookId, String event, Long conversationId, String state, int attempts,
                           Integer lastStatus, String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
                           OffsetDateTime deliveredAt, @JsonRawValue String body) {}

    private final Jdbi jdbi;
    private final Runnable wakeJobs;
    private final Runnable subscriptionsChanged;

    /** {@code subscriptionsChanged}: told after an endpoint is made, changed or deleted (VisitorPresence's cache). */
    public Webhooks(Jdbi jdbi, Runnable wakeJobs, Runnable subscriptionsChanged) {
        this.jdbi = jdbi;
        this.wakeJobs = wakeJobs;
        this.subscriptionsChanged = subscriptionsChanged;
    }

    public List<Endpoint> list(long accountId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE e.account_id = :a ORDER BY e.id")
                .bind("a", accountId).map((rs, ctx) -> endpoint(rs)).list());
    }

    public Created create(long accountId, String url, List<String> events, String secret, Boolean active) {
        String u = url(url);
        if (u == null) throw Refusal.invalid("url", "url is required.");
        List<String> ev = events(events, true);
        String s = secret == null ? "whsec_" + Tokens.random(24) : secret(secret);
        Created made = jdbi.inTransaction(h -> {
            // One account's endpoints change one at a time, so the limit holds under concurrent creations.
            h.createQuery("SELECT id FROM accounts WHERE id = :a FOR UPDATE").bind("a", accountId).mapTo(Long.class).one();
            long n = h.createQuery("SELECT count(*) FROM webhook_endpoints WHERE account_id = :a").bind("a", accountId)
                    .mapTo(Long.class).one();
            if (n >= MAX_ENDPOINTS) throw Refusal.conflict("An account has at most " + MAX_ENDPOINTS + " webhooks.");
            long id = h.createQuery("""
                            INSERT INTO webhook_endpoints (account_id, url, secret, events, active)
                            VALUES (:a, :u, :s, :ev, :act) RETURNING id""")
                    .bind("a", accountId).bind("u", u).bind("s", s).bindArray("ev", String.class, ev)
                    .bind("act", active == null || active).mapTo(Long.class).one();
            Endpoint e = byId(h, accountId, id);
            return new Created(e.id(), e.url(), e.events(), e.active(), e.deadDeliveries(), e.createdAt(), e.updatedAt(), s);
        });
        subscriptionsChanged.run();
        return made;
    }

    public Endpoint update(long accountId, long id, String url, List<String> events, Boolean active) {
        String u = url(url);
        if (url != null && u == null) throw Refusal.invalid("url", "url cannot be empty.");
        List<String> ev = events == null ? null : events(events, true);
        Endpoint updated = jdbi.inTransaction(h -> {
            byId(h, accountId, id);
            var update = h.createUpdate("""
                            UPDATE webhook_endpoints SET url = coalesce(:u, url), events = coalesce(CAST(:ev AS text[]), events),
                                   active = coalesce(:act, active), updated_at = now()
                            WHERE id = :id AND account_id = :a""")
                    .bind("u", u).bind("act", active).bind("id", id).bind("a", accountId);
            if (ev == null) update.bindNull("ev", java.sql.Types.ARRAY);
            else update.bindArray("ev", String.class, ev);
            update.execute();
            return byId(h, accountId, id);
        });
        subscriptionsChanged.run();
        return updated;
    }

    public void delete(long accountId, long id) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhook_endpoints WHERE id = :id AND account_id = :a")
                .bind("id", id).bind("a", accountId).execute());
        if (n == 0) throw Refusal.notFound("The webhook");
        subscriptionsChanged.run();
    }

    /**
     * Forgets delivered deliveries older than the retention (the event log's); dead ones stay for the admin
     * until their endpoint is deleted. Returns how many went.
     */
    public static int prune(Jdbi jdbi, int retentionDays) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM webhook_deliveries
                        WHERE state = 'delivered' AND created_at < now() - make_interval(days => :d)""")
                .bind("d", retentionDays).execute());
    }

    /** The endpoint's deliveries, newest first. */
    public List<Delivery> deliveries(long accountId, long id, Long before, int limit) {
        return jdbi.withHandle(h -> {
            byId(h, accountId, id);
            return h.createQuery(DELIVERIES + " WHERE d.endpoint_id = :id AND (CAST(:before AS bigint) IS NULL OR d.id < :before) ORDER BY d.id DESC LIMIT :n")
                    .bind("id", id).bind("before", before).bind("n", limit).map((rs, ctx) -> delivery(rs)).list();
        });
    }

    /** Queues a {@code webhook.test} delivery to this endpoint, whatever events it subscribed to. */
    public Delivery sendTest(long accountId, long id) {
        Delivery d = jdbi.inTransaction(h -> {
            byId(h, accountId, id);
            var data = Json.object();
            data.put("webhook_id", id);
            data.put("message", "This is a test event from Parley.");
            String body = WebhookPayloads.envelope(WebhookEvent.TEST, Instant.now(), accountId, data);
            long deliveryId = h.createQuery("""
                            INSERT INTO webhook_deliveries (endpoint_id, account_id, event, body)
                            VALUES (:e, :a, :ev, :b) RETURNING id""")
                    .bind("e", id).bind("a", accountId).bind("ev", WebhookEvent.TEST).bind("b", body)
                    .mapTo(Long.class).one();
            Jobs.enqueue(h, WebhookSender.KIND, null, Long.toString(deliveryId), null);
            return deliveryById(h, deliveryId);
        });
        wakeJobs.run();
        return d;
    }

    /**
     * Sends a delivery again with the same body and delivery id (receivers that keep ids ignore a repeat), with
     * a fresh round of retries. It jumps the conversation's queue: an admin's explicit request.
     */
    public Delivery resend(long accountId, long id, long deliveryId) {
        Delivery d = jdbi.inTransaction(h -> {
            byId(h, accountId, id);
            int n = h.createUpdate("""
                            UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
                            WHERE id = :d AND endpoint_id = :e AND state <> 'pending'""")
                    .bind("d", deliveryId).bind("e", id).execute();
            if (n == 0) {
                boolean exists = h.createQuery("SELECT count(*) > 0 FROM webhook_deliveries WHERE id = :d AND endpoint_id = :e")
                        .bind("d", deliveryId).bind("e", id).mapTo(Boolean.class).one();
                if (!exists) throw Refusal.notFound("The delivery");
                throw Refusal.conflict("This delivery is already waiting to be sent.");
            }
            Jobs.enqueue(h, WebhookSender.KIND, null, Long.toString(deliveryId), null);
            return deliveryById(h, deliveryId);
        });
        wakeJobs.run();
        return d;
    }

    private static final String SELECT = """
            SELECT e.id, e.url, e.events, e.active,
                   (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'dead'),
                   e.created_at, e.updated_at
            FROM webhook_endpoints e""";

    /** A delivery made from the event log has no stored body: it is rendered from its event, as the sender does. */
    private static final String DELIVERIES = """
            SELECT d.id, d.endpoint_id, d.event, d.conversation_id, d.state, d.attempts, d.last_status, d.last_error,
                   d.next_attempt_at, d.created_at, d.delivered_at, d.body, d.account_id, ev.type, ev.created_at, ev.agent_payload
            FROM webhook_deliveries d
            LEFT JOIN LATERAL (SELECT type, created_at, agent_payload FROM events
                               WHERE d.body IS NULL AND account_id = d.account_id AND seq = d.event_seq LIMIT 1) ev ON true""";

    private static Endpoint byId(Handle h, long accountId, long id) {
        return h.createQuery(SELECT + " WHERE e.id = :id AND e.account_id = :a").bind("id", id).bind("a", accountId)
                .map((rs, ctx) -> endpoint(rs)).findOne().orElseThrow(() -> Refusal.notFound("The webhook"));
    }

    private static Delivery deliveryById(Handle h, long id) {
        return h.createQuery(DELIVERIES + " WHERE d.id = :id").bind("id", id).map((rs, ctx) -> delivery(rs)).one();
    }

    private static Endpoint endpoint(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Endpoint(rs.getLong(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                rs.getBoolean(4), rs.getLong(5), rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class));
    }

    private static Delivery delivery(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Delivery(rs.getLong(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4), rs.getString(5),
                rs.getInt(6), (Integer) rs.getObject(7), rs.getString(8), rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class), body(rs));
    }

    /** The stored body, or the one rendered from the delivery's event; null if that has left the log. */
    private static String body(java.sql.ResultSet rs) throws java.sql.SQLException {
        String stored = rs.getString(12);
        if (stored != null || rs.getString(14) == null) return stored;
        return WebhookPayloads.render(rs.getString(3), rs.getString(14), rs.getTimestamp(15).toInstant(), rs.getLong(13),
                (Long) rs.getObject(4), rs.getString(16));
    }

    /** An absolute http(s) address with a host; null for null or blank. */
    static String url(String value) {
        if (value == null || value.isBlank()) return null;
        String u = value.strip();
        if (u.length() > MAX_URL) throw Refusal.invalid("url", "url may have at most " + MAX_URL + " characters.");
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw Refusal.invalid("url", "url is not a valid address.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw Refusal.invalid("url", "url must start with http:// or https://.");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) throw Refusal.invalid("url", "url needs a host name.");
        if (uri.getRawUserInfo() != null) throw Refusal.invalid("url", "url may not carry a user name or password.");
        return u;
    }

    static List<String> events(List<String> events, boolean required) {
        if (events == null || events.isEmpty()) {
            if (required) throw Refusal.invalid("events", "Choose at least one event.");
            return null;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String e : events) {
            if (e == null || WebhookEvent.parse(e).isEmpty()) {
                throw Refusal.invalid("events", "Unknown event '" + e + "'; see docs/WEBHOOKS.md for the names.");
            }
            out.add(e);
        }
        return new ArrayList<>(out);
    }

    static String secret(String value) {
        if (value.length() < 16 || value.length() > 200 || value.isBlank()) {
            throw Refusal.invalid("secret", "secret has 16 to 200 characters.");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw Refusal.invalid("secret", "secret may not contain control characters.");
        }
        return value;
    }
}
