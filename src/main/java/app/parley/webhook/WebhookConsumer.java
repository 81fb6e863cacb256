package app.parley.webhook;

import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.Jobs;
import app.parley.store.LoggedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that turns committed events into deliveries: one job per endpoint and batch, written in
 * the consumer's transaction, naming each (event, subscribed endpoint) delivery with an id drawn there, so each event
 * becomes each delivery exactly once. No row is written here: the sender writes a delivery's row once, with its
 * outcome, and renders its body from the log when it posts ({@link WebhookSender}). Deliveries of one conversation to one endpoint share a queue key: they go out in order.
 */
public final class WebhookConsumer implements EventHandler {
    public static final String NAME = "webhooks";

    private record Endpoint(long id, long accountId, Set<String> events, java.time.Instant createdAt) {}

    /** The events {@link WebhookPayloads#of} turns into a webhook; the rest (read marks, conversation updates) are not read. */
    private static final Set<EventType> TYPES = Set.of(EventType.MESSAGE_CREATED, EventType.MESSAGE_UPDATED,
            EventType.CONVERSATION_CREATED, EventType.CONTACT_CREATED, EventType.CONTACT_UPDATED);

    @Override
    public Set<EventType> types() {
        return TYPES;
    }

    @Override
    public boolean interested(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE active)").mapTo(Boolean.class).one();
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        Set<Long> accounts = new HashSet<>();
        for (LoggedEvent e : events) accounts.add(e.event().accountId());
        Map<Long, List<Endpoint>> byAccount = new HashMap<>();
        // A suspended account's events are sent nowhere (issue #15: an instance administrator suspended the shop).
        h.createQuery("""
                        SELECT id, account_id, events, created_at FROM webhook_endpoints e WHERE active AND account_id = ANY(:a)
                          AND NOT EXISTS (SELECT 1 FROM accounts acc WHERE acc.id = e.account_id AND acc.suspended_at IS NOT NULL)
                        ORDER BY id""")
                .bindArray("a", Long.class, List.copyOf(accounts))
                .map((rs, ctx) -> new Endpoint(rs.getLong(1), rs.getLong(2),
                        Set.of((String[]) rs.getArray(3).getArray()), rs.getTimestamp(4).toInstant()))
                .forEach(ep -> byAccount.computeIfAbsent(ep.accountId(), a -> new ArrayList<>()).add(ep));
        if (byAccount.isEmpty()) return;

        // Each endpoint's deliveries of the batch, in event order. No row yet: a delivery's row is written once, with
        // its outcome, by the sender (WebhookSender.BATCH), which renders the body from the event log.
        Map<Long, List<String>> byEndpoint = new java.util.LinkedHashMap<>();
        int count = 0;
        for (LoggedEvent e : events) {
            List<Endpoint> endpoints = byAccount.get(e.event().accountId());
            if (endpoints == null) continue;
            Optional<WebhookPayloads.Classified> out = WebhookPayloads.classify(e);
            if (out.isEmpty()) continue;
            for (Endpoint ep : endpoints) {
                // A consumer that lags must not hand a new endpoint what happened before it existed.
                if (!ep.events().contains(out.get().event().wire()) || e.at().isBefore(ep.createdAt())) continue;
                Long conversation = out.get().conversationId();
                byEndpoint.computeIfAbsent(ep.id(), x -> new ArrayList<>())
                        .add(e.seq() + ":" + (conversation == null ? "" : conversation) + ":" + out.get().event().wire());
                count++;
            }
        }
        if (count == 0) return;
        // The delivery ids are drawn now, in event order, and travel in the job: every attempt of a delivery, after a
        // crash too, carries the same X-Parley-Delivery, and its row is written under that id at most once.
        // Drawn in blocks: the sequence steps by ID_BLOCK (V32), so one nextval reserves that many ids.
        List<Long> blocks = h.createQuery("SELECT nextval('webhook_deliveries_id_seq') FROM generate_series(1, :n) ORDER BY 1")
                .bind("n", (count + ID_BLOCK - 1) / ID_BLOCK).mapTo(Long.class).list();
        java.util.PrimitiveIterator.OfLong ids = blocks.stream()
                .flatMapToLong(b -> java.util.stream.LongStream.range(b, b + ID_BLOCK)).iterator();
        List<String> keys = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        byEndpoint.forEach((endpoint, entries) -> {
            StringBuilder payload = new StringBuilder(entries.size() * 48);
            for (String entry : entries) {
                if (!payload.isEmpty()) payload.append(',');
                payload.append(ids.nextLong()).append(':').append(entry);
            }
            keys.add(WebhookSender.batchKey(endpoint));
            payloads.add(payload.toString());
        });
        Jobs.enqueueAll(h, WebhookSender.BATCH, keys, payloads);
    }

    /**
     * Writes deliveries that are not made from the event log (a visitor's arrival or departure), with their bodies,
     * and their jobs, in the caller's transaction (one query each, whatever their number). Their jobs name the rows
     * ({@code id,id,…}); the sender updates each row with its outcome. Deliveries of one conversation to one endpoint
     * queue behind each other.
     */
    static void insert(Handle h, List<Long> endpointIds, List<Long> accountIds, List<String> names, List<Long> seqs,
                       List<Long> conversations, List<String> bodies) {
        if (bodies.isEmpty()) return;
        record Made(long id, long endpointId, Long conversationId) {}
        String joined = joined(bodies);
        var insert = h.createQuery("""
                        INSERT INTO webhook_deliveries (endpoint_id, account_id, event, event_seq, conversation_id, body)
                        SELECT ep, acc, ev, seq, conv, body
                        FROM unnest(:ep, :acc, :ev, :seq, :conv, %s) WITH ORDINALITY AS t(ep, acc, ev, seq, conv, body, n)
                        ORDER BY n
                        RETURNING id, endpoint_id, conversation_id""".formatted(
                        joined == null ? ":body" : "string_to_array(:body, chr(" + (int) SEPARATOR + "))"))
                .bindArray("ep", Long.class, endpointIds).bindArray("acc", Long.class, accountIds)
                .bindArray("ev", String.class, names).bindArray("seq", Long.class, seqs)
                .bindArray("conv", Long.class, conversations);
        if (joined == null) insert.bindArray("body", String.class, bodies);
        else insert.bind("body", joined);
        List<Made> made = insert.map((rs, ctx) -> new Made(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3))).list();
        // One job per endpoint for the whole batch, its deliveries in event order (WebhookSender.BATCH).
        Map<Long, List<String>> byEndpoint = new java.util.LinkedHashMap<>();
        made.stream().sorted(java.util.Comparator.comparingLong(Made::id))
                .forEach(m -> byEndpoint.computeIfAbsent(m.endpointId(), e -> new ArrayList<>()).add(Long.toString(m.id())));
        Jobs.enqueueAll(h, WebhookSender.BATCH,
                byEndpoint.keySet().stream().map(WebhookSender::batchKey).toList(),
                byEndpoint.values().stream().map(ids -> String.join(",", ids)).toList());
    }

    /** How many delivery ids one draw of {@code webhook_deliveries_id_seq} reserves (its increment, V32). */
    static final int ID_BLOCK = 1000;

    /** ASCII's record separator: a control character, which JSON text never holds unescaped. */
    private static final char SEPARATOR = 0x1e;

    /**
     * The bodies as one text, for the database to split: the driver sends a text as it is, while a text array is
     * escaped character by character, which for a batch of JSON bodies cost more than building them. Null if a body
     * holds the separator after all (then they go as an array).
     */
    private static String joined(List<String> bodies) {
        int length = bodies.size();
        for (String b : bodies) {
            if (b.isEmpty() || b.indexOf(SEPARATOR) >= 0) return null;
            length += b.length();
        }
        StringBuilder out = new StringBuilder(length);
        for (String b : bodies) {
            if (!out.isEmpty()) out.append(SEPARATOR);
            out.append(b);
        }
        return out.toString();
    }
}
