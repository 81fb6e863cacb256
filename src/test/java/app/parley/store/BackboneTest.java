package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The durable backbone on a real database: consumers resume from their cursor, run each batch once between
 * several runners, and hold back pruning; jobs wait for their due time, retry, survive a lost lease, and run
 * once between several runners, in order per queue key.
 */
class BackboneTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final AtomicInteger NAMES = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        jdbi = app.parley().database().jdbi();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // --- consumers ---

    @Test
    void aConsumerResumesAfterItsCursorAndSeesAFailedBatchAgain() {
        String name = "test.resume." + NAMES.incrementAndGet();
        List<Long> seen = new CopyOnWriteArrayList<>();
        EventConsumers first = new EventConsumers(jdbi, Duration.ofSeconds(60));
        first.register(name, EventConsumers.StartAt.NOW, (h, events) -> events.forEach(e -> seen.add(e.seq())));
        makeEvents(3);
        assertThat(first.runOnce(name)).isEqualTo(3);
        long cursor = cursor(name);
        assertThat(cursor).isEqualTo(seen.getLast());
        first.close();

        // Another process (or this one after a restart): it starts after the cursor, not from the beginning.
        makeEvents(2);
        List<Long> again = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger(1);
        EventConsumers second = new EventConsumers(jdbi, Duration.ofSeconds(60));
        second.register(name, EventConsumers.StartAt.OLDEST, (h, events) -> {
            events.forEach(e -> again.add(e.seq()));
            if (failures.getAndDecrement() > 0) throw new IllegalStateException("a handler that fails once");
        });
        try {
            second.runOnce(name);
        } catch (IllegalStateException expected) {
            assertThat(cursor(name)).isEqualTo(cursor);
        }
        assertThat(second.runOnce(name)).isEqualTo(2);
        assertThat(again).hasSize(4);
        assertThat(again.subList(0, 2)).isEqualTo(again.subList(2, 4)).allMatch(s -> s > cursor);
        assertThat(cursor(name)).isEqualTo(again.getLast());
        second.close();
    }

    @Test
    void aConsumerReadsOnlyItsTypesAndItsCursorPassesTheRest() {
        String name = "test.types." + NAMES.incrementAndGet();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        EventConsumers c = new EventConsumers(jdbi, Duration.ofSeconds(60));
        c.register(name, EventConsumers.StartAt.NOW, new EventHandler() {
            @Override
            public void handle(org.jdbi.v3.core.Handle h, List<LoggedEvent> events) {
                calls.incrementAndGet();
                events.forEach(e -> seen.add(e.event().type()));
            }

            @Override
            public java.util.Set<EventType> types() {
                return java.util.Set.of(EventType.TAG_UPDATED);
            }
        });
        makeEvents(3);
        // Three tag events looked over, none read: the handler is not called and the cursor is past them.
        assertThat(c.runOnce(name)).isEqualTo(3);
        assertThat(calls).hasValue(0);
        assertThat(cursor(name)).isEqualTo(app.parley().journal().lastSeq(account()));
        long tag = owner.expect(201, "POST", "/v2/tags", Map.of("name", "typed-" + NAMES.incrementAndGet())).path("id").asLong();
        owner.expect(200, "PATCH", "/v2/tags/" + tag, Map.of("name", "typed-" + NAMES.incrementAndGet()));
        makeEvents(1);
        assertThat(c.runOnce(name)).isEqualTo(3);
        assertThat(calls).hasValue(1);
        assertThat(seen).containsExactly(EventType.TAG_UPDATED.wire());
        assertThat(cursor(name)).isEqualTo(app.parley().journal().lastSeq(account()));
        c.close();
    }

    @Test
    void twoRunnersOfOneConsumerHandleEachEventOnceBetweenThem() {
        String name = "test.twice." + NAMES.incrementAndGet();
        Map<Long, Integer> handled = new ConcurrentHashMap<>();
        List<EventConsumers> runners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EventConsumers c = new EventConsumers(jdbi, Duration.ofMillis(20));
            c.register(name, EventConsumers.StartAt.NOW, (h, events) -> events.forEach(e -> handled.merge(e.seq(), 1, Integer::sum)));
            c.start();
            runners.add(c);
        }
        long from = app.parley().journal().lastSeq(account());
        makeEvents(30);
        long to = app.parley().journal().lastSeq(account());
        await("both runners to pass every event", () -> cursor(name) >= to);
        runners.forEach(EventConsumers::close);
        assertThat(handled.keySet().stream().filter(s -> s > from && s <= to)).hasSize((int) (to - from));
        assertThat(handled.values()).containsOnly(1);
    }

    @Test
    void pruningKeepsWhatAConsumerHasNotPassedAndSaysSo() {
        String name = "test.prune." + NAMES.incrementAndGet();
        EventConsumers c = new EventConsumers(jdbi, Duration.ofSeconds(60));
        c.register(name, EventConsumers.StartAt.NOW, (h, events) -> {});
        long behind = cursor(name);
        makeEvents(3);
        // All events look ten days old: past a seven-day retention.
        jdbi.useHandle(h -> h.execute("UPDATE events SET created_at = now() - interval '10 days'"));
        makeEvents(1);
        long kept = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM events WHERE seq > :s").bind("s", behind)
                .mapTo(Long.class).one());
        assertThat(kept).isEqualTo(4);

        assertThat(EventConsumers.holdingBackPruning(jdbi, 7)).contains(name);
        EventLog.prune(jdbi, 7);
        assertThat(count("SELECT count(*) FROM events WHERE seq > " + behind)).isEqualTo(kept);

        // Caught up, it holds back nothing: the old events go (those before it, not the newest).
        while (c.runOnce(name) > 0) {
            assertThat(cursor(name)).isGreaterThan(behind);
        }
        assertThat(EventConsumers.holdingBackPruning(jdbi, 7)).doesNotContain(name);
        jdbi.useHandle(h -> h.execute("DELETE FROM event_consumers WHERE name LIKE 'test.%' AND name <> ?", name));
        consumersCaughtUp();
        assertThat(EventLog.prune(jdbi, 7)).isPositive();
        c.close();
    }

    // --- jobs ---

    @Test
    void aJobWaitsForItsDueTimeAndARetryComesBack() {
        String kind = "test.due." + NAMES.incrementAndGet();
        List<Instant> ran = new CopyOnWriteArrayList<>();
        Jobs jobs = new Jobs(jdbi, Duration.ofSeconds(60), Duration.ofSeconds(30), 4);
        jobs.register(kind, job -> {
            ran.add(Instant.now());
            return job.attempts() == 1
                    ? new Jobs.Outcome.RetryAt(Instant.now().plusMillis(200), "first try fails", Jobs.Write.NOTHING)
                    : new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        });
        Instant due = Instant.now().plusMillis(300);
        long id = jdbi.inTransaction(h -> Jobs.enqueue(h, kind, null, "{}", due));
        assertThat(jobs.drain()).isZero();
        await("the first run", () -> jobs.drain() > 0);
        assertThat(ran.getFirst()).isAfterOrEqualTo(due);
        String lastError = jdbi.withHandle(h -> h.createQuery("SELECT last_error FROM jobs WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
        assertThat(lastError).isEqualTo("first try fails");
        await("the retry", () -> jobs.drain() > 0);
        assertThat(ran).hasSize(2);
        assertThat(count("SELECT count(*) FROM jobs WHERE id = " + id)).isZero();
        jobs.close();
    }

    @Test
    void aJobWhoseRunnerLostTheLeaseRunsElsewhereAndTheLateOutcomeIsIgnored() {
        String kind = "test.lease." + NAMES.incrementAndGet();
        Jobs slow = new Jobs(jdbi, Duration.ofSeconds(60), Duration.ofMillis(200), 1);
        Jobs other = new Jobs(jdbi, Duration.ofSeconds(60), Duration.ofSeconds(30), 1);
        AtomicInteger runs = new AtomicInteger();
        slow.register(kind, job -> new Jobs.Outcome.Done(Jobs.Write.NOTHING));
        other.register(kind, job -> {
            runs.incrementAndGet();
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        });
        jdbi.useTransaction(h -> Jobs.enqueue(h, kind, null, "{}", null));
        List<Jobs.Job> taken = slow.pick(1);
        assertThat(taken).hasSize(1);
        assertThat(other.pick(1)).as("leased to the first runner").isEmpty();
        // The first runner stalls past its lease (a long GC pause, a dead process): the other takes the job.
        await("the lease to expire", () -> other.drain() > 0);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(slow.runJob(taken.getFirst())).isFalse();
        slow.close();
        other.close();
    }

    @Test
    void twoRunnersRunEachJobOnceAndAQueueKeyInOrder() {
        String kind = "test.two." + NAMES.incrementAndGet();
        Map<Long, Integer> runs = new ConcurrentHashMap<>();
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        List<Jobs> runners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Jobs j = new Jobs(jdbi, Duration.ofMillis(20), Duration.ofSeconds(30), 8);
            j.register(kind, job -> {
                runs.merge(job.id(), 1, Integer::sum);
                if (job.queueKey() != null) {
                    order.computeIfAbsent(job.queueKey(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(Integer.parseInt(job.payload()));
                }
                return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
            });
            runners.add(j);
        }
        int n = 120;
        List<String> keys = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(i % 3 == 0 ? null : kind + ":q" + (i % 3));
            payloads.add(Integer.toString(i));
        }
        jdbi.useTransaction(h -> Jobs.enqueueAll(h, kind, keys, payloads));
        runners.forEach(Jobs::start);
        await("every job", () -> runs.size() == n && jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM jobs WHERE kind = :k").bind("k", kind).mapTo(Long.class).one()) == 0);
        runners.forEach(Jobs::close);
        assertThat(runs.values()).containsOnly(1);
        for (List<Integer> q : order.values()) assertThat(q).isSorted().doesNotHaveDuplicates();
        assertThat(order).hasSize(2);
    }

    @Test
    void batchRunnersRecordEachOutcomeOnceKeepAQueueKeyInOrderAndCommitTheBatchWrite() {
        String kind = "test.batch." + NAMES.incrementAndGet();
        jdbi.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS test_batch_log (kind text, payload int)"));
        Map<Long, Integer> runs = new ConcurrentHashMap<>();
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        List<Integer> biggest = new CopyOnWriteArrayList<>();
        List<Jobs> runners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Jobs j = new Jobs(jdbi, Duration.ofMillis(20), Duration.ofSeconds(30), 64);
            j.registerBatch(kind, batch -> {
                biggest.add(batch.size());
                List<Jobs.Outcome> outcomes = new ArrayList<>();
                List<Integer> done = new ArrayList<>();
                for (Jobs.Job job : batch) {
                    int p = Integer.parseInt(job.payload());
                    runs.merge(job.id(), 1, Integer::sum);
                    if (job.queueKey() != null) order.computeIfAbsent(job.queueKey(),
                            k -> Collections.synchronizedList(new ArrayList<>())).add(p);
                    // Every tenth job fails once and comes back; every 25th is dead at once; the rest are done.
                    if (p % 25 == 0) outcomes.add(new Jobs.Outcome.Dead("given up", Jobs.Write.NOTHING));
                    else if (p % 10 == 0 && job.attempts() == 1)
                        outcomes.add(new Jobs.Outcome.RetryAt(Instant.now(), "once more", Jobs.Write.NOTHING));
                    else {
                        outcomes.add(new Jobs.Outcome.Done(Jobs.Write.NOTHING));
                        done.add(p);
                    }
                }
                return new Jobs.Batch(outcomes, h -> h.createUpdate(
                                "INSERT INTO test_batch_log SELECT :k, unnest(:p)")
                        .bind("k", kind).bindArray("p", Integer.class, done).execute());
            });
            runners.add(j);
        }
        int n = 300;
        List<String> keys = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            keys.add(i % 4 == 0 ? null : kind + ":q" + (i % 4));
            payloads.add(Integer.toString(i));
        }
        jdbi.useTransaction(h -> Jobs.enqueueAll(h, kind, keys, payloads));
        runners.forEach(Jobs::start);
        await("every job done or dead", () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM jobs WHERE kind = :k AND state <> 'dead'").bind("k", kind).mapTo(Long.class).one()) == 0);
        runners.forEach(Jobs::close);
        long dead = n / 25;
        assertThat(count("SELECT count(*) FROM jobs WHERE state = 'dead' AND kind = '" + kind + "'")).isEqualTo(dead);
        // Each job ran once, but those that failed once ran twice; the batch writes hold each done job once.
        long retried = java.util.stream.IntStream.rangeClosed(1, n).filter(p -> p % 10 == 0 && p % 25 != 0).count();
        assertThat(runs.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n + retried);
        assertThat(count("SELECT count(*) FROM test_batch_log WHERE kind = '" + kind + "'")).isEqualTo(n - dead);
        assertThat(count("SELECT count(DISTINCT payload) FROM test_batch_log WHERE kind = '" + kind + "'")).isEqualTo(n - dead);
        // A key's jobs ran in order: a retried job ran again before any later job of its key.
        for (List<Integer> q : order.values()) assertThat(q).isSorted();
        assertThat(order).hasSize(3);
        assertThat(biggest).as("jobs were handed over several at a time").anyMatch(size -> size > 1);
    }

    @Test
    void aCoalescingKindGetsAKeysQueuedJobsWithItsHeadInOneCallInOrder() {
        String kind = "test.coalesce." + NAMES.incrementAndGet();
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Jobs jobs = new Jobs(jdbi, Duration.ofSeconds(60), Duration.ofSeconds(30), 8);
        jobs.registerCoalescing(kind, batch -> {
            calls.add(batch.stream().map(Jobs.Job::payload).toList());
            return new Jobs.Batch(batch.stream().map(j -> (Jobs.Outcome) new Jobs.Outcome.Done(Jobs.Write.NOTHING)).toList(),
                    Jobs.Write.NOTHING);
        });
        // One key's head and four behind it, and another key's single job.
        jdbi.useTransaction(h -> Jobs.enqueueAll(h, kind, List.of(kind + ":a", kind + ":a", kind + ":a", kind + ":b", kind + ":a", kind + ":a"),
                List.of("a1", "a2", "a3", "b1", "a4", "a5")));
        assertThat(count("SELECT count(*) FROM jobs WHERE state = 'queued' AND kind = '" + kind + "'")).isEqualTo(4);
        assertThat(jobs.drain()).isEqualTo(6);
        // Both keys' jobs fit one call (keys are never split between calls); each in id order.
        assertThat(calls).containsExactly(List.of("a1", "a2", "a3", "b1", "a4", "a5"));
        assertThat(count("SELECT count(*) FROM jobs WHERE kind = '" + kind + "'")).isZero();
        jobs.close();
    }

    @Test
    void aCoalescingBacklogIsTakenInBoundedRunsInOrder() {
        String kind = "test.coalesce." + NAMES.incrementAndGet();
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Jobs jobs = new Jobs(jdbi, Duration.ofSeconds(60), Duration.ofSeconds(30), 8).coalescedPerKey(4);
        jobs.registerCoalescing(kind, batch -> {
            calls.add(batch.stream().map(Jobs.Job::payload).toList());
            return new Jobs.Batch(batch.stream().map(j -> (Jobs.Outcome) new Jobs.Outcome.Done(Jobs.Write.NOTHING)).toList(),
                    Jobs.Write.NOTHING);
        });
        List<String> payloads = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "j" + i).toList();
        jdbi.useTransaction(h -> Jobs.enqueueAll(h, kind, java.util.Collections.nCopies(12, kind + ":k"), payloads));
        assertThat(jobs.drain()).isEqualTo(12);
        // A head and at most four behind it per run: three runs of five, five and two, the key's order kept.
        assertThat(calls).containsExactly(payloads.subList(0, 5), payloads.subList(5, 10), payloads.subList(10, 12));
        assertThat(count("SELECT count(*) FROM jobs WHERE kind = '" + kind + "'")).isZero();
        jobs.close();
    }

    private static void makeEvents(int n) {
        for (int i = 0; i < n; i++) owner.expect(201, "POST", "/v2/tags", Map.of("name", "backbone-" + NAMES.incrementAndGet()));
    }

    /** Parley's own consumers (webhooks) pass every event quickly; wait for them so they hold back nothing. */
    private static void consumersCaughtUp() {
        long last = app.parley().journal().lastSeq(account());
        await("Parley's consumers to pass the last event", () -> jdbi.withHandle(h -> EventConsumers.cursors(h, account()))
                .values().stream().allMatch(s -> s >= last));
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static long cursor(String name) {
        return jdbi.withHandle(h -> EventConsumers.cursors(h, account()).get(name));
    }

    /** The owner's account: sequence numbers are per account. */
    private static long account() {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM agents WHERE email = :e")
                .bind("e", TestParley.OWNER_EMAIL).mapTo(Long.class).one());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
