package app.parley.ops;

import app.parley.store.Journal;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The journal's batches as metrics: commands per batch, and the time a batch's first command waited, the batch
 * ran and its commit took. It also learns the writer thread from the first batch it is told of (the observer runs
 * on that thread), which is how liveness knows the writer still runs without reaching into the journal.
 */
public final class JournalMetrics implements Journal.BatchObserver {
    private final DistributionSummary commands;
    private final DistributionSummary events;
    private final Timer waited;
    private final Timer executed;
    private final Timer committed;
    private volatile Thread writer;

    public JournalMetrics(MeterRegistry registry) {
        this.commands = DistributionSummary.builder("parley.journal.batch.commands")
                .description("Commands committed together in one journal batch").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(512.0).register(registry);
        this.events = DistributionSummary.builder("parley.journal.batch.events")
                .description("Events one journal batch committed").register(registry);
        this.waited = timer(registry, "parley.journal.batch.wait", "How long a batch's first command waited for the writer");
        this.executed = timer(registry, "parley.journal.batch.execute", "How long a batch's commands ran in its transaction");
        this.committed = timer(registry, "parley.journal.batch.commit", "How long a batch's commit took");
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    @Override
    public void committed(int commands, int events, long waitedNanos, long executedNanos, long committedNanos) {
        if (writer == null) writer = Thread.currentThread();
        this.commands.record(commands);
        this.events.record(events);
        waited.record(waitedNanos, TimeUnit.NANOSECONDS);
        executed.record(executedNanos, TimeUnit.NANOSECONDS);
        committed.record(committedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Submits an empty command so the writer shows itself at once, rather than with the first chat message. It
     * goes through the writer like any other: it costs one empty transaction at start.
     */
    public void meetWriter(Journal journal) {
        journal.submit(tx -> null);
    }

    /** Whether the writer runs; true until it is known (a node just started, its first batch not yet done). */
    public boolean writerAlive() {
        Thread t = writer;
        return t == null || t.isAlive();
    }
}
