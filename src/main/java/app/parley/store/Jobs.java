package app.parley.store;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delayed and retried work that survives restarts ("2 minutes later, unless…", "retry with back-off"). A job is
 * a row in {@code jobs}; a process takes due jobs with {@code FOR UPDATE SKIP LOCKED} and a lease, runs them
 * outside any transaction, then records the outcome only if it still holds the lease. A process that dies
 * mid-job loses the lease and another runs the job again: at-least-once, so handlers must be idempotent. Jobs
 * with the same queue key run one at a time in id order; a job being retried holds back the later ones of its key:
 * only a key's head is 'pending', the rest wait as 'queued' until the one ahead is done or dead.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    /** A job as a handler sees it; {@code attempts} counts this run. */
    public record Job(long id, String kind, String queueKey, String payload, int attempts) {}

    /** Writes that commit together with a job's outcome (a delivery's log line). */
    @FunctionalInterface
    public interface Write {
        void apply(Handle h);

        Write NOTHING = h -> {};
    }

    /** What became of a run: done (the row goes), again at a time, or dead (kept, with its error, for people). */
    public sealed interface Outcome {
        Write write();

        record Done(Write write) implements Outcome {}

        record RetryAt(Instant at, String error, Write write) implements Outcome {}

        record Dead(String error, Write write) implements Outcome {}
    }

    @FunctionalInterface
    public interface Handler {
        /** Runs one job, outside any transaction; an exception counts as a retry in a minute. */
        Outcome run(Job job);
    }

    /**
     * Runs several due jobs of its kind together, for work done at a high rate (a webhook delivery per chat
     * message) where a job's own reads and writes would cost more than its work: the handler reads what the jobs
     * need in one query, and their outcomes are recorded in one transaction with the batch's {@link Batch#write}.
     */
    @FunctionalInterface
    public interface BatchHandler {
        /** One outcome per job, in the jobs' order; outside any transaction. An exception retries them all in a minute. */
        Batch runAll(List<Job> jobs);
    }

    /** The outcomes of a batch, and one write that records them all (it commits with them, like {@link Outcome#write}). */
    public record Batch(List<Outcome> outcomes, Write write) {}

    /** How many jobs a batch handler is given at once. */
    static final int BATCH = 64;

    /**
     * Bounds how many job threads use the database at once. Jobs wait on the network (a webhook endpoint) far more
     * than on the database, so many may be in flight, but they share the connection pool with the chat's write
     * path and must never take most of it.
     */
    public static final class Gate {
        private final Semaphore permits;

        Gate(int permits) {
            this.permits = new Semaphore(permits);
        }

        public <T> T call(java.util.function.Supplier<T> work) {
            permits.acquireUninterruptibly();
            try {
                return work.get();
            } finally {
                permits.release();
            }
        }
    }

    private static final int DATABASE_PERMITS = 3;

    private final Jdbi jdbi;
    private final Gate gate = new Gate(DATABASE_PERMITS);
    private final Duration poll;
    private final Duration lease;
    private final Map<String, Handler> handlers = new HashMap<>();
    private final Map<String, BatchHandler> batchHandlers = new HashMap<>();
    private final java.util.Set<String> coalescing = new java.util.HashSet<>();
    private final String owner = UUID.randomUUID().toString();
    private final Semaphore wake = new Semaphore(0);
    private final Semaphore slots;
    private final int concurrency;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-job-", 0).factory());
    private Thread loop;
    private volatile boolean running;
    private long lastRepair = System.nanoTime();
    /** How many jobs queued behind a coalescing head one run takes with it. */
    private int coalescedPerKey = 256;

    public Jobs(Jdbi jdbi, Duration poll, Duration lease, int concurrency) {
        this.jdbi = jdbi;
        this.poll = poll;
        this.lease = lease;
        this.slots = new Semaphore(concurrency);
        this.concurrency = concurrency;
    }

    /** Adds a job in the caller's transaction: it exists exactly when the caller's other writes do. */
    public static long enqueue(Handle h, String kind, String queueKey, String payload, Instant dueAt) {
        return h.createQuery("""
                        INSERT INTO jobs (kind, queue_key, payload, due_at, state)
                        VALUES (:k, :q, :p, coalesce(:due, now()),
                                CASE WHEN EXISTS (SELECT 1 FROM jobs e WHERE e.queue_key = :q AND e.state IN ('pending', 'queued'))
                                     THEN 'queued' ELSE 'pending' END)
                        RETURNING id""")
                .bind("k", kind).bind("q", queueKey).bind("p", payload).bind("due", dueAt == null ? null : java.sql.Timestamp.from(dueAt))
                .mapTo(Long.class).one();
    }

    /**
     * Removes jobs not started yet (a safety net whose work was done another way); a job already leased is left to
     * finish. Jobs with a queue key are not for this: their queue's next job would not be promoted.
     */
    public static void cancel(Handle h, java.util.Collection<Long> ids) {
        if (ids.isEmpty()) return;
        h.createUpdate("DELETE FROM jobs WHERE id = ANY(:ids) AND queue_key IS NULL AND state = 'pending' AND locked_by IS NULL")
                .bindArray("ids", Long.class, List.copyOf(ids)).execute();
    }

    /** Adds many jobs of one kind, due now, in the given order (their ids follow it, and so does a key's queue). */
    public static void enqueueAll(Handle h, String kind, List<String> queueKeys, List<String> payloads) {
        if (payloads.isEmpty()) return;
        // A key's first job in this batch may be its head; the later ones wait behind it whatever the table holds.
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Boolean> first = queueKeys.stream().map(q -> q == null || seen.add(q)).toList();
        h.createUpdate("""
                        INSERT INTO jobs (kind, queue_key, payload, state)
                        SELECT :k, q, p,
                               CASE WHEN q IS NULL THEN 'pending'
                                    WHEN NOT f OR EXISTS (SELECT 1 FROM jobs e WHERE e.queue_key = t.q AND e.state IN ('pending', 'queued'))
                                    THEN 'queued' ELSE 'pending' END
                        FROM unnest(:q, :p, :f) WITH ORDINALITY AS t(q, p, f, n) ORDER BY n""")
                .bind("k", kind).bindArray("q", String.class, queueKeys).bindArray("p", String.class, payloads)
                .bindArray("f", Boolean.class, first).execute();
    }

    /** Tests: a smaller run behind a coalescing head, to see a backlog taken in several runs. */
    Jobs coalescedPerKey(int n) {
        this.coalescedPerKey = n;
        return this;
    }

    /** For handlers: wrap each database use in it (see {@link Gate}). */
    public Gate gate() {
        return gate;
    }

    public void register(String kind, Handler handler) {
        handlers.put(kind, handler);
    }

    public void registerBatch(String kind, BatchHandler handler) {
        batchHandlers.put(kind, handler);
    }

    /**
     * A batch kind whose jobs of one queue key are handed over together: when a key's head is due, the jobs queued
     * behind it come with it, in order, in the same call. Work that arrives while a key's job runs then goes out
     * in one batch after it rather than one job at a time.
     */
    public void registerCoalescing(String kind, BatchHandler handler) {
        registerBatch(kind, handler);
        coalescing.add(kind);
    }

    private List<String> kinds() {
        List<String> kinds = new java.util.ArrayList<>(handlers.keySet());
        kinds.addAll(batchHandlers.keySet());
        return kinds;
    }

    public void start() {
        running = true;
        loop = Thread.ofVirtual().name("parley-jobs").start(this::loop);
    }

    /** Something was enqueued or finished: look for due jobs now rather than at the next poll. Never blocks. */
    public void wake() {
        if (wake.availablePermits() == 0) wake.release();
    }

    /** Takes up to {@code max} due jobs of the kinds this process runs, leasing them to it. */
    List<Job> pick(int max) {
        if ((handlers.isEmpty() && batchHandlers.isEmpty()) || max <= 0) return List.of();
        return gate.call(() -> jdbi.inTransaction(h -> {
            List<Job> picked = new java.util.ArrayList<>(relaxed(h).createQuery("""
                            UPDATE jobs SET locked_by = CAST(:me AS uuid), locked_until = now() + make_interval(secs => :lease),
                                            attempts = attempts + 1
                            WHERE id IN (
                                SELECT j.id FROM jobs j
                                WHERE j.state = 'pending' AND j.due_at <= now() AND j.kind = ANY(:kinds)
                                  AND (j.locked_until IS NULL OR j.locked_until < now())
                                ORDER BY j.due_at, j.id LIMIT :max
                                FOR UPDATE SKIP LOCKED)
                            RETURNING id, kind, queue_key, payload, attempts""")
                    .bind("me", owner).bind("lease", (double) lease.toMillis() / 1000.0)
                    .bindArray("kinds", String.class, kinds()).bind("max", max)
                    .map(Jobs::job).list());
            List<String> keys = picked.stream().filter(j -> coalescing.contains(j.kind()) && j.queueKey() != null)
                    .map(Job::queueKey).distinct().toList();
            // The jobs queued behind a coalescing head are leased with it (they stay 'queued', so nothing promotes them),
            // the first coalescedPerKey of each key: a backlog is taken in runs that end well within their lease. The
            // rest stay queued; when the head's run is recorded, the first of them becomes the key's next head. Each key's
            // first ones are read by its index in order (numbering every queued job of the key cost a scan of a backlog
            // of 100,000 Messenger bodies per run).
            if (!keys.isEmpty()) picked.addAll(h.createQuery("""
                            UPDATE jobs SET locked_by = CAST(:me AS uuid), locked_until = now() + make_interval(secs => :lease),
                                            attempts = attempts + 1
                            WHERE id IN (
                                SELECT j.id FROM jobs j
                                WHERE j.id IN (SELECT behind.id FROM unnest(CAST(:keys AS text[])) AS k(key)
                                          CROSS JOIN LATERAL (SELECT id FROM jobs WHERE state = 'queued' AND queue_key = k.key
                                                              ORDER BY id LIMIT :per) behind)
                                  AND j.state = 'queued' AND j.kind = ANY(:kinds)
                                  AND (j.locked_until IS NULL OR j.locked_until < now())
                                ORDER BY j.id FOR UPDATE SKIP LOCKED)
                            RETURNING id, kind, queue_key, payload, attempts""")
                    .bind("me", owner).bind("lease", (double) lease.toMillis() / 1000.0).bind("per", coalescedPerKey)
                    .bindArray("keys", String.class, keys).bindArray("kinds", String.class, List.copyOf(coalescing))
                    .map(Jobs::job).list());
            return picked;
        })).stream().sorted(java.util.Comparator.comparingLong(Job::id)).toList();
    }

    private static Job job(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5));
    }

    /** Runs one job and records its outcome; false if the lease was lost meanwhile (another process has it). */
    boolean runJob(Job job) {
        Outcome outcome;
        try {
            outcome = handlers.get(job.kind()).run(job);
        } catch (RuntimeException e) {
            log.error("Job {} ({}) failed; trying again in a minute", job.id(), job.kind(), e);
            outcome = retryInAMinute(e);
        }
        return record(List.of(job), List.of(outcome), Write.NOTHING) == 1;
    }

    /** Runs jobs of one batch kind together and records their outcomes; how many were still this process's. */
    int runBatch(List<Job> jobs) {
        Batch batch;
        try {
            batch = batchHandlers.get(jobs.getFirst().kind()).runAll(jobs);
            if (batch.outcomes().size() != jobs.size()) throw new IllegalStateException(
                    "A batch of " + jobs.size() + " jobs gave " + batch.outcomes().size() + " outcomes");
        } catch (RuntimeException e) {
            log.error("A batch of {} jobs ({}) failed; trying them again in a minute", jobs.size(), jobs.getFirst().kind(), e);
            Outcome again = retryInAMinute(e);
            batch = new Batch(jobs.stream().map(j -> again).toList(), Write.NOTHING);
        }
        return record(jobs, batch.outcomes(), batch.write());
    }

    private static Outcome retryInAMinute(RuntimeException e) {
        return new Outcome.RetryAt(Instant.now().plusSeconds(60), String.valueOf(e.getMessage()), Write.NOTHING);
    }

    /**
     * Records outcomes in one transaction, a statement per kind of outcome whatever the number of jobs: jobs whose
     * lease this process lost are left to the one that has them (their own writes are skipped); the batch's write
     * is applied whatever, as it records what did happen. Returns how many jobs were still this process's.
     */
    private int record(List<Job> jobs, List<Outcome> outcomes, Write batchWrite) {
        List<Long> done = new java.util.ArrayList<>();
        List<Long> retry = new java.util.ArrayList<>();
        List<Long> retryAt = new java.util.ArrayList<>(); // epoch milliseconds: Jdbi binds no arrays of timestamps
        List<String> retryError = new java.util.ArrayList<>();
        List<Long> dead = new java.util.ArrayList<>();
        List<String> deadError = new java.util.ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            long id = jobs.get(i).id();
            switch (outcomes.get(i)) {
                case Outcome.Done d -> done.add(id);
                case Outcome.RetryAt r -> {
                    retry.add(id);
                    retryAt.add(r.at().toEpochMilli());
                    retryError.add(r.error());
                }
                case Outcome.Dead d -> {
                    dead.add(id);
                    deadError.add(d.error());
                }
            }
        }
        return gate.call(() -> jdbi.inTransaction(h -> {
            relaxed(h);
            java.util.Set<Long> mine = new java.util.HashSet<>();
            if (!done.isEmpty()) mine.addAll(h.createQuery(
                            "DELETE FROM jobs WHERE id = ANY(:ids) AND locked_by = CAST(:me AS uuid) RETURNING id")
                    .bindArray("ids", Long.class, done).bind("me", owner).mapTo(Long.class).list());
            if (!retry.isEmpty()) mine.addAll(h.createQuery("""
                            UPDATE jobs j SET due_at = to_timestamp(t.at / 1000.0), last_error = t.e, locked_by = NULL, locked_until = NULL
                            FROM unnest(:ids, :at, :e) AS t(id, at, e)
                            WHERE j.id = t.id AND j.locked_by = CAST(:me AS uuid) RETURNING j.id""")
                    .bindArray("ids", Long.class, retry).bindArray("at", Long.class, retryAt)
                    .bindArray("e", String.class, retryError).bind("me", owner).mapTo(Long.class).list());
            if (!dead.isEmpty()) mine.addAll(h.createQuery("""
                            UPDATE jobs j SET state = 'dead', last_error = t.e, locked_by = NULL, locked_until = NULL
                            FROM unnest(:ids, :e) AS t(id, e)
                            WHERE j.id = t.id AND j.locked_by = CAST(:me AS uuid) RETURNING j.id""")
                    .bindArray("ids", Long.class, dead).bindArray("e", String.class, deadError).bind("me", owner)
                    .mapTo(Long.class).list());
            java.util.Set<String> moveOn = new java.util.LinkedHashSet<>();
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                if (!mine.contains(job.id())) {
                    log.warn("Job {} ({}) outlived its lease; another process runs it", job.id(), job.kind());
                    continue;
                }
                if (job.queueKey() != null && !(outcomes.get(i) instanceof Outcome.RetryAt)) moveOn.add(job.queueKey());
            }
            if (!moveOn.isEmpty()) promoteNext(h, List.copyOf(moveOn));
            for (int i = 0; i < jobs.size(); i++) if (mine.contains(jobs.get(i).id())) outcomes.get(i).write().apply(h);
            batchWrite.apply(h);
            return mine.size();
        }));
    }

    /** The keys' queues move on: each key's next job, if nothing of the key is pending, becomes pickable. */
    private static void promoteNext(Handle h, List<String> queueKeys) {
        h.createUpdate("""
                        UPDATE jobs j SET state = 'pending'
                        WHERE j.id IN (SELECT DISTINCT ON (queue_key) id FROM jobs
                                       WHERE queue_key = ANY(:q) AND state = 'queued' ORDER BY queue_key, id)
                          AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.queue_key = j.queue_key AND e.state = 'pending')""")
                .bindArray("q", String.class, queueKeys).execute();
    }

    /**
     * A key whose head finished while a job was being queued behind it (two transactions that did not see each
     * other) has no pending job: its first queued one is promoted here, on the slow poll. Order still holds.
     */
    int promoteOrphans() {
        return gate.call(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE jobs j SET state = 'pending'
                        WHERE j.id IN (SELECT DISTINCT ON (queue_key) id FROM jobs WHERE state = 'queued' ORDER BY queue_key, id)
                          AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.queue_key = j.queue_key AND e.state = 'pending')""")
                .execute()));
    }

    /**
     * A lease or an outcome lost in a crash only makes a job run again, which at-least-once allows: these commits
     * need not wait for their own fsync (PostgreSQL still writes them in order, with the next durable commit).
     */
    static Handle relaxed(Handle h) {
        h.execute("SET LOCAL synchronous_commit = off");
        return h;
    }

    /** Picks and runs due jobs on the caller's thread until none is due; how many ran (tests, tools). */
    public int drain() {
        promoteOrphans();
        int total = 0;
        for (List<Job> jobs = pick(BATCH); !jobs.isEmpty(); jobs = pick(BATCH)) {
            for (List<Job> batch : batches(jobs)) runBatch(batch);
            for (Job j : jobs) if (handlers.containsKey(j.kind())) runJob(j);
            total += jobs.size();
        }
        return total;
    }

    private void loop() {
        while (running) {
            List<Job> jobs;
            try {
                jobs = pick(slots.availablePermits());
            } catch (RuntimeException e) {
                log.error("Picking jobs failed; trying again", e);
                pause(poll.toMillis());
                continue;
            }
            for (List<Job> batch : batches(jobs)) {
                // A coalesced key may bring more jobs than there are slots: it counts as at most all of them.
                int permits = Math.min(batch.size(), concurrency);
                slots.acquireUninterruptibly(permits);
                workers.execute(() -> {
                    try {
                        runBatch(batch);
                    } catch (RuntimeException e) {
                        log.error("Recording the outcomes of {} jobs failed; they run again after their lease", batch.size(), e);
                    } finally {
                        slots.release(permits);
                        wake();
                    }
                });
            }
            for (Job job : jobs) {
                if (!handlers.containsKey(job.kind())) continue;
                slots.acquireUninterruptibly();
                workers.execute(() -> {
                    try {
                        runJob(job);
                    } catch (RuntimeException e) {
                        log.error("Recording the outcome of job {} failed; it runs again after its lease", job.id(), e);
                    } finally {
                        slots.release();
                        wake();
                    }
                });
            }
            if (jobs.isEmpty()) pause(untilNextDue());
            if (System.nanoTime() - lastRepair > poll.toNanos()) {
                lastRepair = System.nanoTime();
                try {
                    if (promoteOrphans() > 0) wake();
                } catch (RuntimeException e) {
                    log.error("Promoting queued jobs failed", e);
                }
            }
        }
    }

    /**
     * The picked jobs of batch kinds, by kind, in chunks of about {@link #BATCH}, each in id order. Jobs of one queue
     * key stay in one chunk, whatever its size: chunks run side by side, and a key's jobs must not.
     */
    private List<List<Job>> batches(List<Job> jobs) {
        Map<String, Map<String, List<Job>>> byKind = new java.util.LinkedHashMap<>();
        for (Job j : jobs) {
            if (!batchHandlers.containsKey(j.kind())) continue;
            String unit = j.queueKey() == null ? "job:" + j.id() : j.queueKey();
            byKind.computeIfAbsent(j.kind(), k -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(unit, u -> new java.util.ArrayList<>()).add(j);
        }
        List<List<Job>> chunks = new java.util.ArrayList<>();
        for (Map<String, List<Job>> units : byKind.values()) {
            List<Job> chunk = new java.util.ArrayList<>();
            for (List<Job> unit : units.values()) {
                if (!chunk.isEmpty() && chunk.size() + unit.size() > BATCH) {
                    chunks.add(chunk);
                    chunk = new java.util.ArrayList<>();
                }
                chunk.addAll(unit);
            }
            if (!chunk.isEmpty()) chunks.add(chunk);
        }
        for (List<Job> c : chunks) c.sort(java.util.Comparator.comparingLong(Job::id));
        return chunks;
    }

    /** Until the next retry is due, at most the poll interval (other processes' jobs and wake-ups we missed). */
    private long untilNextDue() {
        try {
            Instant next = gate.call(() -> jdbi.withHandle(h -> h.createQuery(
                            "SELECT min(due_at) FROM jobs WHERE state = 'pending' AND due_at > now()")
                    .mapTo(java.sql.Timestamp.class).findOne().map(java.sql.Timestamp::toInstant).orElse(null)));
            if (next == null) return poll.toMillis();
            return Math.max(1, Math.min(poll.toMillis(), Duration.between(Instant.now(), next).toMillis() + 1));
        } catch (RuntimeException e) {
            log.error("Reading the next due job failed", e);
            return poll.toMillis();
        }
    }

    private void pause(long millis) {
        try {
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops picking, lets running jobs finish and record their outcome; the rest waits in the table. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            if (loop != null && !loop.join(Duration.ofSeconds(15))) log.warn("The job loop did not stop in time");
            workers.shutdown();
            if (!workers.awaitTermination(20, TimeUnit.SECONDS)) log.warn("Jobs still running at shutdown; their leases will expire");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
