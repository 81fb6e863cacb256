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

    /** The stretch of one account's log a batch passed: its events with {@code after < seq <= upTo}. */
    record Passed(long accountId, long after, long upTo) {}

    /**
     * As {@link #handle(Handle, List)}, told also which stretches of the log the batch passed: for a handler that
     * reads what it needs of a busy type's events itself, in SQL inside its transaction (the ids of new messages),
     * rather than have each of them sent and parsed; it leaves that type out of {@link #types()}. Called for every
     * batch that passed any event, with or without events of its types.
     */
    default void handle(Handle h, List<LoggedEvent> events, List<Passed> passed) {
        if (!events.isEmpty()) handle(h, events);
    }

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
     * A further condition on the rows read, in SQL over the event row {@code e} (e.g. only events of conversations
     * of one channel), so that what the handler would skip is neither sent nor parsed; {@code true} for all.
     */
    default String where() {
        return "true";
    }

    /**
     * A {@link #where()} that keeps the events whose agent payload has this string member at its top level or
     * below with this value, as {@code core.Json} writes it (compact). It only narrows what is read: the handler
     * still checks the parsed payload, so a visitor's text quoting it costs a parse and nothing else. Value and
     * member are constants of the code, never input.
     */
    static String payloadHas(String member, String value) {
        if (!member.matches("[a-z_]+") || !value.matches("[a-z_.]+")) throw new IllegalArgumentException(member + "=" + value);
        return "position('\"%s\":\"%s\"' in e.agent_payload) > 0".formatted(member, value);
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
