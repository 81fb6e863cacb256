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
 * Durable consumers of the event log. Each has a row in {@code event_consumers} and a place in each account's log
 * ({@code event_consumer_positions}); a batch is read after them, handled and the positions advanced in one
 * transaction that holds the consumer row's lock, so of several Parley nodes on one database exactly one handles
 * a given batch, and a crash resumes from the last committed positions. Consumers are woken after each journal commit ({@link #wake()}, cheap enough for the journal's thread)
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

    /** As above, with {@code committed} run after each batch it commits with events of its types (to wake whoever reads its writes). */
    public void register(String name, StartAt startAt, EventHandler handler, Runnable committed) {
        jdbi.useTransaction(h -> {
            boolean first = h.createUpdate("INSERT INTO event_consumers (name) VALUES (:n) ON CONFLICT (name) DO NOTHING")
                    .bind("n", name).execute() == 1;
            // A new consumer's place in each account's log; an account created later has no row and starts at its
            // beginning, which is after the consumer came.
            if (first) {
                h.createUpdate("""
                                INSERT INTO event_consumer_positions (name, account_id, last_seq)
                                SELECT :n, account_id, CASE WHEN :now THEN seq ELSE 0 END FROM account_seqs
                                ON CONFLICT DO NOTHING""")
                        .bind("n", name).bind("now", startAt == StartAt.NOW).execute();
            }
        });
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

    /** Where each consumer (in the database, not only this process's) stands in one account's log, by name. */
    public static Map<String, Long> cursors(Handle h, long accountId) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT c.name, coalesce(p.last_seq, 0) FROM event_consumers c
                        LEFT JOIN event_consumer_positions p ON p.name = c.name AND p.account_id = :a ORDER BY c.name""")
                .bind("a", accountId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** How many sequence numbers of the log each consumer (in the database, not only this process's) has not passed yet. */
    public static Map<String, Long> lag(Handle h) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT c.name, (SELECT coalesce(sum(s.seq - coalesce(p.last_seq, 0)), 0) FROM account_seqs s
                                        LEFT JOIN event_consumer_positions p ON p.name = c.name AND p.account_id = s.account_id)
                        FROM event_consumers c ORDER BY c.name""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Called before pruning: a consumer whose cursor sits before events older than the retention keeps them in
     * the log (pruning never drops what a consumer has not passed), which is said loudly, once per consumer per
     * call, with how far behind it is. Returns the names of such consumers.
     */
    public static List<String> holdingBackPruning(Jdbi jdbi, int retentionDays) {
        record Lag(String name, long behind, java.time.Instant oldest) {}
        List<Lag> lags = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.name, count(*), min(e.created_at)
                        FROM event_consumers c CROSS JOIN events e
                        LEFT JOIN event_consumer_positions p ON p.name = c.name AND p.account_id = e.account_id
                        WHERE e.seq > coalesce(p.last_seq, 0) AND e.created_at < now() - make_interval(days => :d)
                        GROUP BY c.name ORDER BY c.name""")
                .bind("d", retentionDays)
                .map((rs, ctx) -> new Lag(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                .list());
        for (Lag lag : lags) {
            log.error("Event consumer '{}' has {} events older than the retention still to handle (the oldest from {}): the "
                    + "event log keeps them past the {}-day retention until it catches up, or until its row is deleted "
                    + "from event_consumers", lag.name(), lag.behind(), lag.oldest(), retentionDays);
        }
        return lags.stream().map(Lag::name).toList();
    }

    private int batch(Runner r) {
        var handled = new java.util.concurrent.atomic.AtomicBoolean();
        int n = jdbi.inTransaction(h -> {
            // The positions and the handler's writes commit or vanish together: a crash that loses this commit makes
            // the batch run again from the older positions, so it need not wait for its own fsync.
            Jobs.relaxed(h);
            boolean mine = h.createQuery("SELECT name FROM event_consumers WHERE name = :n FOR UPDATE SKIP LOCKED")
                    .bind("n", r.name).mapTo(String.class).findOne().isPresent();
            if (!mine) return -1;
            if (!r.handler.interested(h)) {
                h.createUpdate("""
                                INSERT INTO event_consumer_positions AS p (name, account_id, last_seq)
                                SELECT :n, s.account_id, s.seq FROM account_seqs s
                                ON CONFLICT (name, account_id) DO UPDATE SET last_seq = excluded.last_seq
                                WHERE p.last_seq < excluded.last_seq""")
                        .bind("n", r.name).execute();
                return 0;
            }
            // Each account's log is read after this consumer's place in it, up to the account's committed sequence
            // (its batches commit in sequence order, so nothing below it can still appear).
            record Pending(long account, long after, long upTo) {}
            List<Pending> pending = h.createQuery("""
                            SELECT s.account_id, coalesce(p.last_seq, 0), s.seq FROM account_seqs s
                            LEFT JOIN event_consumer_positions p ON p.name = :n AND p.account_id = s.account_id
                            WHERE s.seq > coalesce(p.last_seq, 0) ORDER BY s.account_id LIMIT 1000""")
                    .bind("n", r.name).map((rs, ctx) -> new Pending(rs.getLong(1), rs.getLong(2), rs.getLong(3))).list();
            if (pending.isEmpty()) return 0;
            int limit = r.handler.batchSize();
            // One query for every account behind: the next `limit` events after each one's place (an index range
            // each), with the payloads of only those the handler wants, so the places pass the others unread.
            record Row(long account, long seq, LoggedEvent wanted) {}
            List<Row> rows = h.createQuery("""
                            SELECT p.a, w.seq, w.wanted, w.type, w.conversation_id, w.group_id, w.visitor_id,
                                   CASE WHEN w.wanted THEN w.agent_payload END,
                                   CASE WHEN w.wanted THEN CASE WHEN w.visitor_same THEN w.agent_payload ELSE w.visitor_payload END END,
                                   w.created_at
                            FROM unnest(:accounts, :afters, :upTos) AS p(a, after_seq, up_to)
                            CROSS JOIN LATERAL (
                                SELECT e.*, (:all OR e.type = ANY(:types)) AND (%s) AS wanted FROM events e
                                WHERE e.account_id = p.a AND e.seq > p.after_seq AND e.seq <= p.up_to
                                ORDER BY e.seq LIMIT :limit) w
                            ORDER BY p.a, w.seq""".formatted(r.handler.where()))
                    .bindArray("accounts", Long.class, pending.stream().map(Pending::account).toList())
                    .bindArray("afters", Long.class, pending.stream().map(Pending::after).toList())
                    .bindArray("upTos", Long.class, pending.stream().map(Pending::upTo).toList())
                    .bind("all", r.handler.types().isEmpty())
                    .bindArray("types", String.class, r.handler.types().stream().map(EventType::wire).toList())
                    .bind("limit", limit)
                    .map((rs, ctx) -> {
                        long account = rs.getLong(1);
                        long seq = rs.getLong(2);
                        LoggedEvent e = !rs.getBoolean(3) ? null : new LoggedEvent(new Event(seq, account, rs.getString(4),
                                (Long) rs.getObject(5), (Long) rs.getObject(6), (Long) rs.getObject(7), rs.getString(8),
                                rs.getString(9)), rs.getTimestamp(10).toInstant());
                        return new Row(account, seq, e);
                    }).list();
            Map<Long, List<Row>> byAccount = new LinkedHashMap<>();
            for (Row row : rows) byAccount.computeIfAbsent(row.account(), a -> new ArrayList<>()).add(row);
            int size = 0;
            List<LoggedEvent> events = new ArrayList<>();
            List<Long> accounts = new ArrayList<>();
            List<Long> passed = new ArrayList<>();
            List<EventHandler.Passed> stretches = new ArrayList<>();
            for (Pending p : pending) {
                if (size >= limit) break;
                List<Row> window = byAccount.getOrDefault(p.account(), List.of());
                int take = Math.min(window.size(), limit - size);
                for (Row row : window.subList(0, take)) if (row.wanted() != null) events.add(row.wanted());
                // All of the account's events up to its sequence were taken (or none is left: pruned): the place moves
                // to that sequence; else to the last one taken.
                accounts.add(p.account());
                passed.add(take == window.size() && window.size() < limit ? p.upTo() : window.get(take - 1).seq());
                stretches.add(new EventHandler.Passed(p.account(), p.after(), passed.getLast()));
                size += take;
            }
            r.handler.handle(h, events, stretches);
            handled.set(!events.isEmpty());
            h.createUpdate("""
                            INSERT INTO event_consumer_positions AS p (name, account_id, last_seq)
                            SELECT :n, a, s FROM unnest(:accounts, :passed) AS u(a, s)
                            ON CONFLICT (name, account_id) DO UPDATE SET last_seq = excluded.last_seq""")
                    .bind("n", r.name).bindArray("accounts", Long.class, accounts).bindArray("passed", Long.class, passed).execute();
            return size;
        });
        // Whoever reads the handler's writes (the jobs it queued) is woken only when it had something to handle.
        if (handled.get()) r.committed.run();
        return n;
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
