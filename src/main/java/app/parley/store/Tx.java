package app.parley.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The transaction a batch of commands runs in. Commands write either directly ({@link #handle()}) or through
 * buffered parts that the journal sends in one round trip; events they emit get their sequence numbers here, in
 * the order the commands run, which is the commit order.
 *
 * <p>A batch whose commands only buffer (a visitor writing in a conversation the journal already knows) never
 * opens a transaction: its parts and events go out as one multi-statement {@link Flush} that commits on its own.
 * The first direct read or write opens one.
 */
public final class Tx {
    private final Handle handle;
    private final Map<Class<?>, Object> lasting;
    private final boolean careful;
    private final Map<Class<?>, TxPart> parts = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    /** Per account written: the sequence it stood at and the last one this batch handed out. */
    private final Map<Long, long[]> claims = new java.util.TreeMap<>();
    private final String notifyFrom;
    private boolean begun;
    private int writes;

    Tx(Handle handle, Map<Class<?>, Object> lasting, boolean careful, String notifyFrom) {
        this.handle = handle;
        this.lasting = lasting;
        this.careful = careful;
        this.notifyFrom = notifyFrom;
    }

    /**
     * The last sequence of each account as this node committed it. It is a cache of committed state like the
     * others: it describes the accounts only while no other node writes them, which each batch's claim checks.
     */
    static final class KnownSeqs extends java.util.HashMap<Long, Long> {}

    private KnownSeqs known() {
        return lasting(KnownSeqs.class, KnownSeqs::new);
    }

    /**
     * Locks these accounts' sequence rows now, before any command runs (accounts another node writes too): no other
     * node commits them until this batch does. When one moved since this node last wrote it, the caches forget what
     * the other node's events touched before any command reads them. Returns the accounts that had moved.
     */
    java.util.Set<Long> lock(java.util.Collection<Long> accounts) {
        if (accounts.isEmpty()) return java.util.Set.of();
        KnownSeqs known = known();
        List<long[]> moved = new ArrayList<>();
        for (long[] row : reader().createQuery("SELECT account_id, seq FROM account_seqs WHERE account_id = ANY(:a) ORDER BY account_id FOR UPDATE")
                .bindArray("a", Long.class, List.copyOf(accounts))
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list()) {
            claims.put(row[0], new long[] {row[1], row[1]});
            Long last = known.get(row[0]);
            if (last == null || last != row[1]) moved.add(new long[] {row[0], last == null ? -1 : last, row[1]});
        }
        if (moved.isEmpty()) return java.util.Set.of();
        forgetWhatMoved(moved);
        // The caches now describe these accounts as they stand: the next batch need not read their events again.
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (long[] m : moved) {
            known.put(m[0], m[2]);
            out.add(m[0]);
        }
        return out;
    }

    /**
     * Another node wrote these accounts since this node last did ({account, last known or -1, now}): the caches of
     * committed rows forget the conversations and visitors its events were about (read under the lock, so the list
     * is complete). An event that may have changed conversations it does not name (a group deleted, contacts
     * merged), or an account this node never wrote, drops the caches whole.
     */
    private void forgetWhatMoved(List<long[]> moved) {
        java.util.Set<Long> conversations = new java.util.HashSet<>();
        java.util.Set<Long> visitors = new java.util.HashSet<>();
        boolean all = false;
        for (long[] m : moved) {
            if (m[1] < 0 || m[2] - m[1] > 10_000) {
                all = true;
                break;
            }
            for (Object[] e : reader().createQuery("""
                            SELECT type, conversation_id, visitor_id FROM events WHERE account_id = :a AND seq > :from AND seq <= :to""")
                    .bind("a", m[0]).bind("from", m[1]).bind("to", m[2])
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getObject(2), rs.getObject(3)}).list()) {
                String type = (String) e[0];
                if (e[1] != null) conversations.add(((Number) e[1]).longValue());
                if (e[2] != null) visitors.add(((Number) e[2]).longValue());
                if (e[1] == null && e[2] == null && !type.startsWith("agent.") && !type.startsWith("tag.")) all = true;
            }
        }
        if (all) {
            lasting.values().removeIf(v -> v instanceof CommittedRows);
            return;
        }
        for (Object v : lasting.values()) if (v instanceof CommittedRows rows) rows.forget(conversations, visitors);
    }

    /** The next sequence number of the account, in the order events are emitted (which is the commit order). */
    private long next(long accountId) {
        long[] claim = claims.get(accountId);
        if (claim == null) {
            Long last = known().get(accountId);
            if (last == null) {
                last = reader().createQuery("SELECT seq FROM account_seqs WHERE account_id = :a").bind("a", accountId)
                        .mapTo(Long.class).findOne().orElseThrow(() -> new IllegalStateException("No account " + accountId));
            }
            claim = new long[] {last, last};
            claims.put(accountId, claim);
        }
        return ++claim[1];
    }

    /**
     * Whether other nodes may write the same database (issue #15): state carried from batch to batch that orders
     * rows across accounts' commits (a block of message ids) must then be taken afresh in each batch.
     */
    public boolean severalNodes() {
        return notifyFrom != null;
    }

    /** The accounts this batch wrote or locked, for the journal to lock at the start of a second run. */
    java.util.Set<Long> accounts() {
        return claims.keySet();
    }

    /** For direct writes: buffered parts are sent first so that SQL sees them. */
    public Handle handle() {
        Handle h = reader();
        writes++;
        return h;
    }

    /** For reads that must see what this transaction has buffered. */
    public Handle reader() {
        if (!begun) {
            handle.begin();
            begun = true;
        }
        Flush f = new Flush();
        for (TxPart part : parts.values()) part.flush(f);
        f.execute(handle);
        return handle;
    }

    @SuppressWarnings("unchecked")
    public <P extends TxPart> P part(Class<P> type, Function<Tx, P> factory) {
        return (P) parts.computeIfAbsent(type, t -> factory.apply(this));
    }

    /**
     * State the journal keeps from batch to batch (a cache of committed rows, a block of ids). It must only
     * describe what is committed: the journal drops all of it whenever a batch rolls back.
     */
    @SuppressWarnings("unchecked")
    public <T> T lasting(Class<T> type, Supplier<T> factory) {
        return (T) lasting.computeIfAbsent(type, t -> factory.get());
    }

    /**
     * False on a batch's first run, which trusts that client ids are new (the unique index refuses a repeat, and
     * the journal runs the batch again); true on that second run, when commands look their client ids up.
     */
    public boolean careful() {
        return careful;
    }

    /** Parts call this when they buffer a change, so the journal knows a failed command left something behind. */
    public void wrote() {
        writes++;
    }

    public long emit(EventType type, long accountId, Long conversationId, Long groupId, Long visitorId,
                     String agentPayload, String visitorPayload) {
        return emit(type, accountId, conversationId, groupId, visitorId, agentPayload, visitorPayload, null);
    }

    /** An event whose agent payload is a conversation summary: {@code placement} lets each agent's frame name its tabs. */
    public long emit(EventType type, long accountId, Long conversationId, Long groupId, Long visitorId,
                     String agentPayload, String visitorPayload, Event.Placement placement) {
        writes++;
        long seq = next(accountId);
        events.add(new Event(seq, accountId, type.wire(), conversationId, groupId, visitorId, agentPayload, visitorPayload,
                null, placement));
        return seq;
    }

    /**
     * An event for agents only, seen by those who see {@code groupId} or any of {@code otherGroupIds} (null or
     * empty: none more): one event, so an agent who sees several of the groups still gets it once.
     */
    public long emitToGroups(EventType type, long accountId, Long groupId, List<Long> otherGroupIds, String agentPayload) {
        writes++;
        List<Long> others = otherGroupIds == null || otherGroupIds.isEmpty() ? null : List.copyOf(otherGroupIds);
        long seq = next(accountId);
        events.add(new Event(seq, accountId, type.wire(), null, groupId, null, agentPayload, null, others));
        return seq;
    }

    /** Sends every buffered write and the events, then commits: one round trip, two if a transaction is open. */
    void commit() {
        Flush f = new Flush();
        claim(f);
        for (TxPart part : parts.values()) part.flush(f);
        EventLog.insert(f, events);
        notify(f);
        f.execute(handle);
        if (begun) handle.commit();
        KnownSeqs known = known();
        claims.forEach((account, claim) -> known.put(account, claim[1]));
        for (TxPart part : parts.values()) part.committed();
    }

    /**
     * First in the batch's statements: moves each written account's sequence row from what this node knew to the
     * last number handed out, or fails the whole batch (SQLSTATE PA001) if another node wrote the account since.
     * The row stays locked until the commit, so an account's numbers follow its commit order across nodes.
     */
    private void claim(Flush f) {
        List<Long> accounts = new ArrayList<>(claims.size());
        List<Long> expected = new ArrayList<>(claims.size());
        List<Long> claimed = new ArrayList<>(claims.size());
        claims.forEach((account, claim) -> {
            if (claim[1] == claim[0]) return;
            accounts.add(account);
            expected.add(claim[0]);
            claimed.add(claim[1]);
        });
        if (accounts.isEmpty()) return;
        f.add("SELECT claim_seqs(:s_accounts, :s_expected, :s_claimed)",
                new Flush.Column("s_accounts", "bigint", accounts.toArray()),
                new Flush.Column("s_expected", "bigint", expected.toArray()),
                new Flush.Column("s_claimed", "bigint", claimed.toArray()));
    }

    /** One notification per batch for the other nodes (store.LogTail): who sent it and each account's last sequence. */
    private void notify(Flush f) {
        if (notifyFrom == null || events.isEmpty()) return;
        StringBuilder payload = new StringBuilder(notifyFrom);
        claims.forEach((account, claim) -> {
            if (claim[1] != claim[0]) payload.append(' ').append(account).append(':').append(claim[1]);
        });
        f.add("SELECT pg_notify('" + LogTail.CHANNEL + "', (:n_payload)[1])", new Flush.Column("n_payload", "text", new Object[] {payload.toString()}));
    }

    void rollback() {
        if (begun) handle.rollback();
    }

    int writes() {
        return writes;
    }

    List<Event> events() {
        return events;
    }
}
