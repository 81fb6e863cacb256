package app.parley.webhook;

import app.parley.core.Json;
import app.parley.store.Jobs;
import app.parley.store.Nodes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Smartsupp's {@code visitor.connected} and {@code visitor.disconnected} (docs/WEBHOOKS.md): a visitor is connected
 * from their first open chat box to their last one closing, give or take a grace period, so that going from one
 * page of the shop to the next (the chat box closes, the next page opens a new one within a second) is not a
 * disconnection. The last chat box closing enqueues a delayed job; a chat box opening within the grace deletes it.
 * Both are rows in the database, so a disconnection pending across a restart is still sent, once.
 *
 * <p>Several nodes (issue #15): the next page's chat box may reach another node than the last one's. Each node
 * counts its own chat boxes in memory and, for subscribed accounts, keeps a row in {@code visitor_boxes} while a
 * visitor has any open on it; "connected" and "left" are decided over every live node, under a lock per visitor
 * (one transaction at a time for a visitor across nodes), and the grace job checks the live nodes when it runs. A
 * dead node's rows go when it is reaped ({@link Nodes}); its visitors with no chat box elsewhere then start their grace.
 *
 * <p>Nothing is written for accounts without an endpoint subscribed to these events: a shop that does not ask pays
 * nothing per page view, and a script opening sockets leaves nothing behind.
 */
public final class VisitorPresence {
    private static final Logger log = LoggerFactory.getLogger(VisitorPresence.class);
    /** The grace's job kind; spelled out in this class's SQL too, so that the partial index (V9) serves it. */
    public static final String LEFT = "webhook.visitor_left";
    private static final Duration SUBSCRIPTIONS_FRESH = Duration.ofSeconds(2);

    private record Subscriptions(Set<Long> connected, Set<Long> disconnected, Instant read) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final Duration grace;
    private final Runnable wakeJobs;
    private final Nodes nodes;
    /** Open chat boxes per visitor on this node. */
    private final Map<Long, Integer> open = new ConcurrentHashMap<>();
    /** One thread, so that a visitor's opening and closing are written in the order they happened. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("parley-visitor-presence").factory());
    private volatile Subscriptions subscriptions = new Subscriptions(Set.of(), Set.of(), Instant.EPOCH);

    public VisitorPresence(Jdbi jdbi, Jobs.Gate gate, Duration grace, Runnable wakeJobs, Nodes nodes) {
        this.nodes = nodes;
        nodes.onReap(this::reaping);
        this.jdbi = jdbi;
        this.gate = gate;
        this.grace = grace;
        this.wakeJobs = wakeJobs;
    }

    /** An endpoint was made, changed or deleted: read the subscriptions again before the next connection. */
    public void subscriptionsChanged() {
        subscriptions = new Subscriptions(Set.of(), Set.of(), Instant.EPOCH);
    }

    /** A chat box opened; off the caller's thread, as it may write. */
    public void opened(long accountId, long visitorId) {
        boolean first = open.merge(visitorId, 1, Integer::sum) == 1;
        if (!first || !subscribed(accountId)) return;
        writer.execute(() -> {
            try {
                gate.call(() -> jdbi.inTransaction(h -> {
                    lock(h, visitorId);
                    boolean elsewhere = openOnLiveNode(h, visitorId, List.of());
                    h.createUpdate("""
                                    INSERT INTO visitor_boxes (visitor_id, node_id, account_id) VALUES (:v, :n, :a)
                                    ON CONFLICT DO NOTHING""")
                            .bind("v", visitorId).bind("n", nodes.id()).bind("a", accountId).execute();
                    // The grace's job still waiting: the visitor went to another page, they never left.
                    int cancelled = h.createUpdate("""
                                    DELETE FROM jobs WHERE kind = 'webhook.visitor_left' AND payload = :p AND state = 'pending'
                                      AND (locked_until IS NULL OR locked_until < now())""")
                            .bind("p", payload(accountId, visitorId)).execute();
                    // A chat box open on another live node: the visitor was connected already.
                    if (cancelled == 0 && !elsewhere) deliver(h, accountId, visitorId, WebhookEvent.VISITOR_CONNECTED, Instant.now());
                    return null;
                }));
                wakeJobs.run();
            } catch (RuntimeException e) {
                log.error("Recording that visitor {} connected failed", visitorId, e);
            }
        });
    }

    /** A chat box closed; the last one of the visitor here starts the grace. */
    public void closed(long accountId, long visitorId) {
        Integer left = open.computeIfPresent(visitorId, (v, n) -> n <= 1 ? null : n - 1);
        if (left != null || !subscribed(accountId)) return;
        writer.execute(() -> {
            try {
                gate.call(() -> jdbi.inTransaction(h -> {
                    lock(h, visitorId);
                    h.createUpdate("DELETE FROM visitor_boxes WHERE visitor_id = :v AND node_id = :n")
                            .bind("v", visitorId).bind("n", nodes.id()).execute();
                    if (openOnLiveNode(h, visitorId, List.of())) return null;
                    boolean waiting = h.createQuery("""
                                    SELECT EXISTS (SELECT 1 FROM jobs
                                                   WHERE kind = 'webhook.visitor_left' AND payload = :p AND state = 'pending')""")
                            .bind("p", payload(accountId, visitorId)).mapTo(Boolean.class).one();
                    if (!waiting) Jobs.enqueue(h, LEFT, null, payload(accountId, visitorId), Instant.now().plus(grace));
                    return null;
                }));
            } catch (RuntimeException e) {
                log.error("Recording that visitor {} left failed", visitorId, e);
            }
        });
    }

    /** The grace ran out with no chat box of the visitor opened again: they left. */
    public Jobs.Outcome left(Jobs.Job job) {
        String[] ids = job.payload().split(":", 2);
        long accountId = Long.parseLong(ids[0]);
        long visitorId = Long.parseLong(ids[1]);
        Instant at = Instant.now();
        return new Jobs.Outcome.Done(h -> {
            lock(h, visitorId);
            // A chat box opened meanwhile on a node whose opening did not find this job (it was running): still here.
            if (!openOnLiveNode(h, visitorId, List.of())) deliver(h, accountId, visitorId, WebhookEvent.VISITOR_DISCONNECTED, at);
        });
    }

    /** Nodes about to be deleted: their visitors with no chat box on another live node start their grace. */
    private void reaping(Handle h, List<UUID> dead) {
        List<long[]> gone = h.createQuery("""
                        SELECT DISTINCT b.account_id, b.visitor_id FROM visitor_boxes b WHERE b.node_id = ANY(:dead)""")
                .bindArray("dead", UUID.class, dead).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        for (long[] g : gone) {
            if (openOnLiveNode(h, g[1], dead)) continue;
            boolean waiting = h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM jobs
                                           WHERE kind = 'webhook.visitor_left' AND payload = :p AND state = 'pending')""")
                    .bind("p", payload(g[0], g[1])).mapTo(Boolean.class).one();
            if (!waiting) Jobs.enqueue(h, LEFT, null, payload(g[0], g[1]), Instant.now().plus(grace));
        }
        if (!gone.isEmpty()) wakeJobs.run();
    }

    /** Whether the visitor has a chat box on a live node other than those in {@code except} (this one's row is read too). */
    private boolean openOnLiveNode(Handle h, long visitorId, List<UUID> except) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM visitor_boxes b WHERE b.visitor_id = :v"
                        + " AND NOT (b.node_id = ANY(:except)) AND " + Nodes.alive("b.node_id") + ")")
                .bind("v", visitorId).bindArray("except", UUID.class, except)
                .bind("nodeTimeout", nodes.timeoutSeconds()).mapTo(Boolean.class).one();
    }

    /** One presence transaction at a time per visitor, across nodes (class 29: this migration's). */
    private static void lock(Handle h, long visitorId) {
        h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(29, hashtext(CAST(:v AS text)))) l").bind("v", visitorId)
                .mapTo(Integer.class).one();
    }

    /** The grace job's payload, also how a returning chat box finds it: {@code <account>:<visitor>}. */
    private static String payload(long accountId, long visitorId) {
        return accountId + ":" + visitorId;
    }

    private void deliver(Handle h, long accountId, long visitorId, WebhookEvent event, Instant at) {
        List<Long> endpoints = h.createQuery("""
                        SELECT id FROM webhook_endpoints WHERE account_id = :a AND active AND :ev = ANY(events) ORDER BY id""")
                .bind("a", accountId).bind("ev", event.wire()).mapTo(Long.class).list();
        if (endpoints.isEmpty()) return;
        ObjectNode data = Json.object();
        data.put("visitor_id", visitorId);
        ObjectNode visitor = data.putObject("visitor");
        visitor.put("id", visitorId);
        // A visitor who never wrote nor was named has no row yet: their id is all there is to tell.
        // The page now is tracking's: the visitors row keeps the page they were on when first stored.
        h.createQuery("""
                        SELECT v.name, v.email, v.contact_id, coalesce(va.current_url, v.current_url)
                        FROM visitors v LEFT JOIN visitor_activity va ON va.visitor_id = v.id WHERE v.id = :v""").bind("v", visitorId)
                .map((rs, ctx) -> {
                    visitor.put("name", rs.getString(1));
                    visitor.put("email", rs.getString(2));
                    visitor.put("contact_id", (Long) rs.getObject(3));
                    visitor.put("current_url", rs.getString(4));
                    return true;
                }).findOne();
        String body = WebhookPayloads.envelope(event.wire(), at, accountId, data);
        List<Long> accounts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> none = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            accounts.add(accountId);
            names.add(event.wire());
            none.add(null);
            bodies.add(body);
        }
        WebhookConsumer.insert(h, endpoints, accounts, names, none, none, bodies);
    }

    /** Whether the account has an active endpoint for either event, read at most every two seconds. */
    private boolean subscribed(long accountId) {
        Subscriptions s = subscriptions;
        if (Instant.now().isAfter(s.read().plus(SUBSCRIPTIONS_FRESH))) {
            try {
                s = gate.call(() -> jdbi.withHandle(h -> {
                    Set<Long> c = ConcurrentHashMap.newKeySet();
                    Set<Long> d = ConcurrentHashMap.newKeySet();
                    h.createQuery("SELECT account_id, events FROM webhook_endpoints WHERE active").map((rs, ctx) -> {
                        List<String> events = List.of((String[]) rs.getArray(2).getArray());
                        if (events.contains(WebhookEvent.VISITOR_CONNECTED.wire())) c.add(rs.getLong(1));
                        if (events.contains(WebhookEvent.VISITOR_DISCONNECTED.wire())) d.add(rs.getLong(1));
                        return true;
                    }).list();
                    return new Subscriptions(c, d, Instant.now());
                }));
                subscriptions = s;
            } catch (RuntimeException e) {
                log.error("Reading the webhook subscriptions failed", e);
                return false;
            }
        }
        return s.connected().contains(accountId) || s.disconnected().contains(accountId);
    }

    public void close() {
        writer.shutdown();
        try {
            // A closing node's last chat boxes are recorded before its row goes (Nodes.close), not lost with the pool.
            writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
