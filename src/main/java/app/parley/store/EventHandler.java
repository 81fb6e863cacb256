package app.parley.store;

import java.util.List;
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
}
