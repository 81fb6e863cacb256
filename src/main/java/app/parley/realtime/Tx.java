package app.parley.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * The transaction a batch of commands runs in. Commands write either directly ({@link #handle()}) or through
 * buffered parts that the journal flushes in one round trip each; events they emit get their sequence numbers
 * here, in the order the commands run, which is the commit order.
 */
public final class Tx {
    private final Handle handle;
    private final Map<Class<?>, TxPart> parts = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private long seq;
    private int writes;

    Tx(Handle handle, long lastSeq) {
        this.handle = handle;
        this.seq = lastSeq;
    }

    /** For direct writes: buffered parts are flushed first so that SQL sees them. */
    public Handle handle() {
        flushParts();
        writes++;
        return handle;
    }

    /** For reads that must see what this transaction has buffered. */
    public Handle reader() {
        flushParts();
        return handle;
    }

    @SuppressWarnings("unchecked")
    public <P extends TxPart> P part(Class<P> type, Function<Tx, P> factory) {
        return (P) parts.computeIfAbsent(type, t -> factory.apply(this));
    }

    /** Parts call this when they buffer a change, so the journal knows a failed command left something behind. */
    public void wrote() {
        writes++;
    }

    public long emit(String type, long accountId, Long conversationId, Long groupId, Long visitorId,
                     String agentPayload, String visitorPayload) {
        writes++;
        events.add(new Event(++seq, accountId, type, conversationId, groupId, visitorId, agentPayload, visitorPayload));
        return seq;
    }

    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void flushParts() {
        for (TxPart part : parts.values()) part.flush(handle);
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

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }
}
