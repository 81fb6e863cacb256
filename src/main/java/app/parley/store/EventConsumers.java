package app.parley.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable consumers of the event log. Each has a cursor in {@code event_consumers}; a batch is read after it,
 * handled and the cursor advanced in one transaction that holds the cursor row's lock, so of several Parley
 * processes on one database exactly one handles a given batch, and a crash resumes from the last committed
 * cursor. Consumers are woken after each journal commit ({@link #wake()}, cheap enough for the journal's thread)
 * and also poll slowly: the poll is the truth, the wake-up only makes it quick.
 */
public final class EventConsumers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventConsumers.class);

    /** Where a consumer seen for the first time starts: with what is committed from now on, or all the log holds. */
    public enum StartAt { NOW, OLDEST }

    private final Jdbi jdbi;
    private final Duration poll;
    private final Map<String, Runner> runners = new LinkedHashMap<>();
    private volatile boolean running;

    public EventConsumers(Jdbi jdbi, Duration poll) {
        this.jdbi = jdbi;
        this.poll = poll;
    }

    /** Adds a consumer (before {@link #start()}); its cursor row is created if it has none. */
    public void register(String name, StartAt startAt, EventHandler handler) {
        register(name, startAt, handler, () -> {});
    }

    /** As above, with {@code committed} run after each batch it commits (to wake whoever reads its writes). */
    public void register(String name, StartAt startAt, EventHandler handler, Runnable committed) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO event_consumers (name, last_seq)
                        VALUES (:n, CASE WHEN :now THEN (SELECT coalesce(max(seq), 0) FROM events) ELSE 0 END)
                        ON CONFLICT (name) DO NOTHING""")
                .bind("n", name).bind("now", startAt == StartAt.NOW).execute());
        runners.put(name, new Runner(name, handler, committed));
    }

    public void start() {
        running = true;
        for (Runner r : runners.values()) r.thread = Thread.ofVirtual().name("parley-consumer-" + r.name).start(r::loop);
    }

    /** After a commit: tells every consumer there is something to read. Never blocks. */
    public void wake() {
        for (Runner r : runners.values()) {
            if (r.wake.availablePermits() == 0) r.wake.release();
        }
    }

    /**
     * Handles one batch for the named consumer now, on the caller's thread; the number of events handled, or -1
     * when another process holds the consumer.
     */
    public int runOnce(String name) {
        Runner r = runners.get(name);
        if (r == null) throw new IllegalArgumentException("No consumer named " + name);
        return batch(r);
    }

    /** Every consumer's cursor, by name (all consumers in the database, not only this process's). */
    public static Map<String, Long> cursors(Handle h) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("SELECT name, last_seq FROM event_consumers ORDER BY name")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** How many events of the log each consumer (in the database, not only this process's) has not passed yet. */
    public static Map<String, Long> lag(Handle h) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("SELECT c.name, (SELECT count(*) FROM events e WHERE e.seq > c.last_seq) FROM event_consumers c ORDER BY c.name")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Called before pruning: a consumer whose cursor sits before events older than the retention keeps them in
     * the log (pruning never drops what a consumer has not passed), which is said loudly, once per consumer per
     * call, with how far behind it is. Returns the names of such consumers.
     */
    public static List<String> holdingBackPruning(Jdbi jdbi, int retentionDays) {
        record Lag(String name, long lastSeq, long behind, java.time.Instant oldest) {}
        List<Lag> lags = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.name, c.last_seq,
                               (SELECT count(*) FROM events e WHERE e.seq > c.last_seq),
                               (SELECT min(e.created_at) FROM events e WHERE e.seq > c.last_seq)
                        FROM event_consumers c
                        WHERE EXISTS (SELECT 1 FROM events e WHERE e.seq > c.last_seq
                                      AND e.created_at < now() - make_interval(days => :d))
                        ORDER BY c.name""")
                .bind("d", retentionDays)
                .map((rs, ctx) -> new Lag(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()))
                .list());
        for (Lag lag : lags) {
            log.error("Event consumer '{}' is {} events behind (cursor at seq {}, oldest unhandled event from {}): the event "
                    + "log keeps them past the {}-day retention until it catches up, or until its row is deleted from "
                    + "event_consumers", lag.name(), lag.behind(), lag.lastSeq(), lag.oldest(), retentionDays);
        }
        return lags.stream().map(Lag::name).toList();
    }

    private int batch(Runner r) {
        var handled = new java.util.concurrent.atomic.AtomicBoolean();
        int n = jdbi.inTransaction(h -> {
            // The cursor and the handler's writes commit or vanish together: a crash that loses this commit makes
            // the batch run again from the older cursor, so it need not wait for its own fsync.
            Jobs.relaxed(h);
            Long cursor = h.createQuery("SELECT last_seq FROM event_consumers WHERE name = :n FOR UPDATE SKIP LOCKED")
                    .bind("n", r.name).mapTo(Long.class).findOne().orElse(null);
            if (cursor == null) return -1;
            if (!r.handler.interested(h)) {
                h.createUpdate("""
                                UPDATE event_consumers SET last_seq = greatest(last_seq, (SELECT coalesce(max(seq), 0) FROM events)),
                                       updated_at = now() WHERE name = :n""")
                        .bind("n", r.name).execute();
                return 0;
            }
            int limit = r.handler.batchSize();
            // The window of events this batch looks over: the next `limit` after the cursor, whatever their type
            // (an index-only scan), so that the cursor passes events the handler does not want without reading them.
            record Window(Long upTo, int size) {}
            Window w = h.createQuery("SELECT max(seq), count(*) FROM (SELECT seq FROM events WHERE seq > :after ORDER BY seq LIMIT :limit) w")
                    .bind("after", cursor).bind("limit", limit)
                    .map((rs, ctx) -> new Window((Long) rs.getObject(1), rs.getInt(2))).one();
            if (w.upTo() == null) return 0;
            List<LoggedEvent> events = read(h, cursor, w.upTo(), r.handler.types(), r.handler.where());
            if (!events.isEmpty()) {
                r.handler.handle(h, events);
                handled.set(true);
            }
            h.createUpdate("UPDATE event_consumers SET last_seq = :s, updated_at = now() WHERE name = :n")
                    .bind("s", w.upTo()).bind("n", r.name).execute();
            return w.size();
        });
        // Whoever reads the handler's writes (the jobs it queued) is woken only when it had something to handle.
        if (handled.get()) r.committed.run();
        return n;
    }

    /** The events in {@code (after, upTo]} of these types (all when empty), in sequence order, with the payload each audience sees. */
    static List<LoggedEvent> read(Handle h, long after, long upTo, java.util.Set<EventType> types, String where) {
        List<LoggedEvent> out = new ArrayList<>();
        h.createQuery("""
                        SELECT seq, account_id, type, conversation_id, group_id, visitor_id, agent_payload,
                               CASE WHEN visitor_same THEN agent_payload ELSE visitor_payload END, created_at
                        FROM events e WHERE seq > :after AND seq <= :upTo AND (:all OR type = ANY(:types)) AND (%s)
                        ORDER BY seq""".formatted(where))
                .bind("after", after).bind("upTo", upTo).bind("all", types.isEmpty())
                .bindArray("types", String.class, types.stream().map(EventType::wire).toList())
                .map((rs, ctx) -> new LoggedEvent(new Event(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        (Long) rs.getObject(4), (Long) rs.getObject(5), (Long) rs.getObject(6), rs.getString(7),
                        rs.getString(8)), rs.getTimestamp(9).toInstant()))
                .forEach(out::add);
        return out;
    }

    /** Stops the consumers after the batch each is handling; what is not handled yet waits for the next start. */
    @Override
    public void close() {
        running = false;
        wake();
        for (Runner r : runners.values()) {
            if (r.thread == null) continue;
            try {
                if (!r.thread.join(Duration.ofSeconds(15))) log.warn("Consumer {} did not stop in time", r.name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Runner {
        final String name;
        final EventHandler handler;
        final Runnable committed;
        final Semaphore wake = new Semaphore(0);
        Thread thread;

        Runner(String name, EventHandler handler, Runnable committed) {
            this.name = name;
            this.handler = handler;
            this.committed = committed;
        }

        void loop() {
            long failures = 0;
            while (running) {
                int n;
                try {
                    n = batch(this);
                    failures = 0;
                } catch (RuntimeException e) {
                    // The batch rolled back with the cursor: it is read again, after a pause that grows.
                    failures++;
                    log.error("Event consumer {} failed a batch (attempt {}); it will try again", name, failures, e);
                    pause(Math.min(poll.toMillis() * failures, 60_000));
                    continue;
                }
                if (n >= handler.batchSize()) continue;
                pause(poll.toMillis());
                gather();
            }
        }

        /**
         * Wake-ups come after every journal commit: letting a few commits gather into one batch costs webhooks a
         * little latency and saves the database a transaction per commit.
         */
        private void gather() {
            try {
                Thread.sleep(handler.gather());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            wake.drainPermits();
        }

        private void pause(long millis) {
            try {
                if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
