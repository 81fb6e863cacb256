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
 * The event-log consumer that turns committed events into deliveries: one row in {@code webhook_deliveries} per
 * (event, subscribed endpoint) and one job per endpoint, written in the consumer's transaction, so each event
 * becomes each delivery exactly once. The row names the event ({@code account_id, event_seq}); its body is not
 * stored but rendered from the log when it is sent. Deliveries of one conversation to one endpoint share a queue key: they go out in order.
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

        List<Long> endpointIds = new ArrayList<>();
        List<Long> accountIds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<Long> conversations = new ArrayList<>();
        for (LoggedEvent e : events) {
            List<Endpoint> endpoints = byAccount.get(e.event().accountId());
            if (endpoints == null) continue;
            Optional<WebhookPayloads.Classified> out = WebhookPayloads.classify(e);
            if (out.isEmpty()) continue;
            for (Endpoint ep : endpoints) {
                // A consumer that lags must not hand a new endpoint what happened before it existed.
                if (!ep.events().contains(out.get().event().wire()) || e.at().isBefore(ep.createdAt())) continue;
                endpointIds.add(ep.id());
                accountIds.add(ep.accountId());
                names.add(out.get().event().wire());
                seqs.add(e.seq());
                conversations.add(out.get().conversationId());
            }
        }
        // No bodies: the sender renders each from the event log (account_id, event_seq) when it posts.
        insert(h, endpointIds, accountIds, names, seqs, conversations, null);
    }

    /**
     * Writes deliveries and their jobs in the caller's transaction (one query each, whatever their number); those
     * of an event already delivered to an endpoint ({@code seq} given) are skipped, so a batch handled twice makes
     * nothing twice. Deliveries of one conversation to one endpoint queue behind each other. {@code bodies} null:
     * deliveries made from the event log, whose bodies the sender renders from it ({@link WebhookPayloads#render});
     * else the bodies to store (deliveries that are not in the log: a visitor's arrival or departure).
     */
    static void insert(Handle h, List<Long> endpointIds, List<Long> accountIds, List<String> names, List<Long> seqs,
                       List<Long> conversations, List<String> bodies) {
        if (endpointIds.isEmpty()) return;
        record Made(long id, long endpointId, Long conversationId) {}
        String joined = bodies == null ? null : joined(bodies);
        String body = bodies == null ? "" : joined == null ? ", :body" : ", string_to_array(:body, chr(" + (int) SEPARATOR + "))";
        var insert = h.createQuery("""
                        INSERT INTO webhook_deliveries (endpoint_id, account_id, event, event_seq, conversation_id%s)
                        SELECT ep, acc, ev, seq, conv%s
                        FROM unnest(:ep, :acc, :ev, :seq, :conv%s) WITH ORDINALITY AS t(ep, acc, ev, seq, conv%s, n)
                        ORDER BY n
                        ON CONFLICT (endpoint_id, event_seq, event) WHERE event_seq IS NOT NULL DO NOTHING
                        RETURNING id, endpoint_id, conversation_id""".formatted(bodies == null ? "" : ", body",
                        bodies == null ? "" : ", body", body, bodies == null ? "" : ", body"))
                .bindArray("ep", Long.class, endpointIds).bindArray("acc", Long.class, accountIds)
                .bindArray("ev", String.class, names).bindArray("seq", Long.class, seqs)
                .bindArray("conv", Long.class, conversations);
        if (bodies != null && joined == null) insert.bindArray("body", String.class, bodies);
        else if (bodies != null) insert.bind("body", joined);
        List<Made> made = insert.map((rs, ctx) -> new Made(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3))).list();
        // One job per endpoint for the whole batch, its deliveries in event order (WebhookSender.BATCH).
        Map<Long, List<String>> byEndpoint = new java.util.LinkedHashMap<>();
        made.stream().sorted(java.util.Comparator.comparingLong(Made::id))
                .forEach(m -> byEndpoint.computeIfAbsent(m.endpointId(), e -> new ArrayList<>()).add(Long.toString(m.id())));
        Jobs.enqueueAll(h, WebhookSender.BATCH,
                byEndpoint.keySet().stream().map(WebhookSender::batchKey).toList(),
                byEndpoint.values().stream().map(ids -> String.join(",", ids)).toList());
    }

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
