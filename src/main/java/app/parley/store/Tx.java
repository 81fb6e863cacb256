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
    private boolean begun;
    private long seq;
    private int writes;

    Tx(Handle handle, long lastSeq, Map<Class<?>, Object> lasting, boolean careful) {
        this.handle = handle;
        this.seq = lastSeq;
        this.lasting = lasting;
        this.careful = careful;
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
        events.add(new Event(++seq, accountId, type.wire(), conversationId, groupId, visitorId, agentPayload, visitorPayload,
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
        events.add(new Event(++seq, accountId, type.wire(), null, groupId, null, agentPayload, null, others));
        return seq;
    }

    /** Sends every buffered write and the events, then commits: one round trip, two if a transaction is open. */
    void commit() {
        Flush f = new Flush();
        for (TxPart part : parts.values()) part.flush(f);
        EventLog.insert(f, events);
        f.execute(handle);
        if (begun) handle.commit();
        for (TxPart part : parts.values()) part.committed();
    }

    void rollback() {
        if (begun) handle.rollback();
    }

    int writes() {
        return writes;
    }

    long seq() {
        return seq;
    }

    List<Event> events() {
        return events;
    }
}
