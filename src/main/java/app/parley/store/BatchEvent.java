package app.parley.store;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One batch of the journal, as a Flight Recorder event: where a message's time went between arriving at the writer
 * and being handed to the sockets. Free when no recording asks for it; with one
 * ({@code -XX:StartFlightRecording}, bench/README.md) {@code jfr print --events parley.JournalBatch} lists them.
 */
@Name("parley.JournalBatch")
@Label("Journal batch")
@Category("Parley")
@Description("A batch of commands run, committed and delivered by the journal's writer")
@StackTrace(false)
final class BatchEvent extends Event {
    @Label("Commands")
    int commands;

    @Label("Events")
    int events;

    @Label("Oldest wait")
    @Description("How long the batch's first command waited in the queue for the writer")
    @Timespan
    long waited;

    @Label("Execute")
    @Description("Running the commands (reads included), before the commit")
    @Timespan
    long executed;

    @Label("Commit")
    @Description("Sending the buffered writes and committing: one round trip and PostgreSQL's WAL flush")
    @Timespan
    long committed;

    @Label("Delivered by the writer")
    @Description("True when the writer delivered the batch itself, false when it went to the dispatcher")
    boolean inline;
}
