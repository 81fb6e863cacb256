package app.parley.ops;

import app.parley.store.EventConsumers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits in the database: each event consumer's lag and the jobs by kind (queued, due now, failed for good).
 * Read at scrape time, at most once per {@code maxAge}: a burst of scrapes (several Prometheus servers, a curl
 * loop) costs one pair of queries, and a scrape while the database is down shows the last values it read.
 */
public final class Backlog {
    private static final Logger log = LoggerFactory.getLogger(Backlog.class);

    private record JobCounts(String kind, long queued, long due, long failed) {}

    private final Jdbi jdbi;
    private final Duration maxAge;
    private final MultiGauge lag;
    private final MultiGauge queued;
    private final MultiGauge due;
    private final MultiGauge failed;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile long readAt = Long.MIN_VALUE;

    public Backlog(Jdbi jdbi, MeterRegistry registry, Duration maxAge) {
        this.jdbi = jdbi;
        this.maxAge = maxAge;
        this.lag = MultiGauge.builder("parley.consumer.lag").description("Events of the log a consumer has not passed yet")
                .baseUnit("events").register(registry);
        this.queued = MultiGauge.builder("parley.jobs.queued").description("Jobs waiting, due or not, by kind").register(registry);
        this.due = MultiGauge.builder("parley.jobs.due").description("Jobs due now and not yet run, by kind").register(registry);
        this.failed = MultiGauge.builder("parley.jobs.failed").description("Jobs that failed for good (dead), by kind").register(registry);
    }

    /** Reads again if the last read is older than {@code maxAge}; concurrent callers do not wait for it, nor read twice. */
    public void refreshIfStale() {
        if (System.nanoTime() - readAt < maxAge.toNanos() && readAt != Long.MIN_VALUE) return;
        if (!reading.tryLock()) return;
        try {
            if (readAt != Long.MIN_VALUE && System.nanoTime() - readAt < maxAge.toNanos()) return;
            read();
            readAt = System.nanoTime();
        } catch (RuntimeException e) {
            // The database is away: readiness says so; the gauges keep their last values rather than fail the scrape.
            log.warn("Reading consumer lag and job counts failed: {}", e.getMessage());
        } finally {
            reading.unlock();
        }
    }

    private void read() {
        Map<String, Long> lags = jdbi.withHandle(EventConsumers::lag);
        List<JobCounts> jobs = jdbi.withHandle(h -> h.createQuery("""
                        SELECT kind,
                               count(*) FILTER (WHERE state IN ('pending', 'queued')),
                               count(*) FILTER (WHERE state = 'pending' AND due_at <= now()),
                               count(*) FILTER (WHERE state = 'dead')
                        FROM jobs GROUP BY kind ORDER BY kind""")
                .map((rs, ctx) -> new JobCounts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).list());
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        lags.forEach((name, n) -> lagRows.add(MultiGauge.Row.of(Tags.of("consumer", name), n)));
        lag.register(lagRows, true);
        queued.register(jobs.stream().<MultiGauge.Row<?>>map(j -> MultiGauge.Row.of(Tags.of("kind", j.kind()), j.queued())).toList(), true);
        due.register(jobs.stream().<MultiGauge.Row<?>>map(j -> MultiGauge.Row.of(Tags.of("kind", j.kind()), j.due())).toList(), true);
        failed.register(jobs.stream().<MultiGauge.Row<?>>map(j -> MultiGauge.Row.of(Tags.of("kind", j.kind()), j.failed())).toList(), true);
    }
}
