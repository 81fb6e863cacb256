package app.parley.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What a durable consumer does with events. It runs inside the transaction that moves the consumer's cursor past
 * them: writes made through {@code h} commit together with the cursor, so they happen exactly once. Anything it
 * does outside the database may happen again after a crash (at-least-once), so it must be idempotent.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Handle h, List<LoggedEvent> events);

    /**
     * False when nothing committed so far could interest the handler (a webhook consumer with no endpoint): the
     * consumer then moves its cursor to the end of the log without reading the events.
     */
    default boolean interested(Handle h) {
        return true;
    }

    /**
     * The event types the handler acts on, or an empty set for all of them. The consumer then reads only those rows
     * (their payloads are what costs), while its cursor still moves past every event it has looked over.
     */
    default Set<EventType> types() {
        return Set.of();
    }

    /**
     * How long the consumer lets commits gather after a wake-up before it reads them: one batch of many commits costs
     * the database a fraction of one per commit. Handlers that nobody waits on (an index, a mail two minutes later)
     * gather longer than those whose latency someone sees (webhooks).
     */
    default Duration gather() {
        return Duration.ofMillis(25);
    }

    /** The most events looked over in one batch (one transaction). */
    default int batchSize() {
        return 500;
    }
}
