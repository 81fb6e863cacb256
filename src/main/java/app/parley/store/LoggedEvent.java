package app.parley.store;

import java.time.Instant;

/** An event as read back from the log by a consumer: the committed event and when it was committed. */
public record LoggedEvent(Event event, Instant at) {
    public long seq() {
        return event.seq();
    }
}
