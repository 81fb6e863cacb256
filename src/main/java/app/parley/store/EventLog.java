package app.parley.store;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Reads the event log for clients that catch up, and forgets what is older than the retention. */
public final class EventLog {
    /** What a client missed: the events after its sequence, as of the log's last sequence {@code asOf}. */
    public record Backlog(long asOf, List<Event> events, boolean resync) {}

    /** More missed events than this and the client is told to load afresh: cheaper than replaying them. */
    public static final int MAX_BACKLOG = 5_000;

    private EventLog() {}

    /**
     * Runs {@code snapshot} in one repeatable-read transaction together with reading the account's last sequence,
     * so the state it loads is exactly the state as of that sequence: an account's batches commit in sequence order.
     */
    public static <T> T asOf(Jdbi jdbi, long accountId, SnapshotReader<T> snapshot) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long seq = h.createQuery("SELECT seq FROM account_seqs WHERE account_id = :a").bind("a", accountId)
                    .mapTo(Long.class).findOne().orElse(0L);
            return snapshot.read(h, seq);
        });
    }

    @FunctionalInterface
    public interface SnapshotReader<T> {
        T read(Handle h, long asOf);
    }

    public static Backlog since(Handle h, long asOf, long after, long accountId, Long visitorId) {
        // An account whose log holds nothing (all pruned, or none since the numbers became per account) starts after asOf.
        long oldest = h.createQuery("SELECT coalesce(min(seq), :asOf + 1) FROM events WHERE account_id = :a").bind("a", accountId)
                .bind("asOf", asOf).mapTo(Long.class).one();
        if (after > asOf || after < oldest - 1) return new Backlog(asOf, List.of(), true);
        String where = visitorId == null
                ? "agent_payload IS NOT NULL"
                : "visitor_id = :v AND (visitor_payload IS NOT NULL OR visitor_same)";
        List<Event> events = h.createQuery("""
                        SELECT seq, account_id, type, conversation_id, group_id, visitor_id, agent_payload,
                               CASE WHEN visitor_same THEN agent_payload ELSE visitor_payload END, other_group_ids
                        FROM events WHERE account_id = :a AND seq > :after AND seq <= :asOf""" + " AND " + where + " ORDER BY seq LIMIT :limit")
                .bind("after", after).bind("asOf", asOf).bind("a", accountId).bind("v", visitorId)
                .bind("limit", MAX_BACKLOG + 1)
                .map((rs, ctx) -> new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4),
                        (Long) rs.getObject(5), (Long) rs.getObject(6), rs.getString(7), rs.getString(8), groups(rs.getArray(9))))
                .list();
        if (events.size() > MAX_BACKLOG) return new Backlog(asOf, List.of(), true);
        return new Backlog(asOf, events, false);
    }

    /** Adds the events to the batch's flush, as one multi-row insert. */
    static void insert(Flush out, List<Event> events) {
        if (events.isEmpty()) return;
        out.add("""
                INSERT INTO events (seq, account_id, type, conversation_id, group_id, visitor_id, agent_payload,
                                    visitor_payload, visitor_same, other_group_ids)
                SELECT s, a, t, c, g, v, ap, vp, same, CAST(og AS bigint[])
                FROM unnest(:e_seq, :e_account, :e_type, :e_conversation, :e_group, :e_visitor, :e_agent,
                            :e_visitor_payload, :e_same, :e_other_groups) AS u(s, a, t, c, g, v, ap, vp, same, og)""",
                Flush.Column.of("e_seq", "bigint", events, Event::seq),
                Flush.Column.of("e_account", "bigint", events, Event::accountId),
                Flush.Column.of("e_type", "text", events, Event::type),
                Flush.Column.of("e_conversation", "bigint", events, Event::conversationId),
                Flush.Column.of("e_group", "bigint", events, Event::groupId),
                Flush.Column.of("e_visitor", "bigint", events, Event::visitorId),
                Flush.Column.of("e_agent", "text", events, Event::agentPayload),
                // Agents and visitor mostly see the same payload (a message): store it once.
                Flush.Column.of("e_visitor_payload", "text", events, e -> sameForBoth(e) ? null : e.visitorPayload()),
                Flush.Column.of("e_same", "boolean", events, EventLog::sameForBoth),
                // A column of arrays cannot be unnested: each list goes as its text form, cast back above.
                Flush.Column.of("e_other_groups", "text", events, e -> pgArray(e.otherGroupIds())));
    }

    private static String pgArray(List<Long> ids) {
        if (ids == null) return null;
        StringBuilder s = new StringBuilder("{");
        for (Long id : ids) s.append(s.length() > 1 ? "," : "").append(id == null ? "NULL" : id);
        return s.append('}').toString();
    }

    static List<Long> groups(java.sql.Array array) throws java.sql.SQLException {
        if (array == null) return null;
        List<Long> out = new java.util.ArrayList<>();
        for (Object o : (Object[]) array.getArray()) out.add(o == null ? null : ((Number) o).longValue());
        return out;
    }

    private static boolean sameForBoth(Event e) {
        return e.visitorPayload() != null && e.visitorPayload().equals(e.agentPayload());
    }

    /**
     * Deletes events older than the retention, keeping each account's last one (its oldest sequence tells a client
     * too far behind to resync); a client further behind is told to resync. Events a durable consumer
     * (store.EventConsumers) has not passed yet are kept whatever their age: it would lose them.
     */
    public static int prune(Jdbi jdbi, int retentionDays) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM events e USING account_seqs s
                        WHERE s.account_id = e.account_id AND e.seq < s.seq
                          AND e.created_at < now() - make_interval(days => :d)
                          AND e.seq <= coalesce((SELECT min(coalesce(p.last_seq, 0)) FROM event_consumers c
                                                 LEFT JOIN event_consumer_positions p ON p.name = c.name AND p.account_id = e.account_id),
                                                9223372036854775807)""")
                .bind("d", retentionDays).execute());
    }
}
