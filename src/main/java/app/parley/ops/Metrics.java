package app.parley.ops;

import app.parley.store.Event;
import app.parley.store.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * This node's Prometheus metrics (docs/OPERATIONS.md): messages stored, open sockets, journal batches, consumer lag,
 * jobs, HTTP responses and the JVM. One registry per node, built by the composition root; labels hold only
 * names Parley chooses (route templates, consumer and job kinds), never a caller's value or a secret.
 */
public final class Metrics implements AutoCloseable {
    private static final String MESSAGE_CREATED = EventType.MESSAGE_CREATED.wire();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter messages;
    private final JournalMetrics journal;
    private final Backlog backlog;

    public Metrics(Jdbi jdbi, Duration backlogMaxAge) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.messages = Counter.builder("parley.messages.stored")
                .description("Messages this node's journal committed (every channel, agents' and visitors')").register(registry);
        this.journal = new JournalMetrics(registry);
        this.backlog = new Backlog(jdbi, registry, backlogMaxAge);
    }

    /** The open sockets of one kind (who is at the other end: agent, visitor), read when scraped. */
    public void sockets(String kind, IntSupplier open) {
        Gauge.builder("parley.sockets.open", open::getAsInt).description("Open WebSockets by kind")
                .tag("kind", kind).strongReference(true).register(registry);
    }

    /** Called with each batch of committed events (the journal's publisher), on the journal's thread: counts only. */
    public void published(List<Event> events) {
        int n = 0;
        for (Event e : events) if (MESSAGE_CREATED.equals(e.type())) n++;
        if (n > 0) messages.increment(n);
    }

    public JournalMetrics journal() {
        return journal;
    }

    /**
     * One HTTP response. {@code route} is the matched path template ({@code /v2/conversations/{id}}), never the raw
     * path, so the number of series stays the number of routes.
     */
    public void response(String method, String route, int status, long nanos) {
        Timer.builder("parley.http.requests").description("HTTP responses by route template, method and status class")
                .tag("method", method).tag("route", route).tag("status", (status / 100) + "xx")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every metric, consumer lag and job counts read again if stale. */
    public String scrape() {
        backlog.refreshIfStale();
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
