package app.parley.store;

import app.parley.core.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change clients can see is a command run here, by one writer thread. It takes whatever commands are
 * waiting, runs them in one transaction and commits once (group commit: one fsync for many messages), so
 * event sequence numbers are handed out in commit order. Only after the commit are callers answered and
 * events published: a message a client saw acknowledged is on disk, and a client that resumes after the last
 * sequence it saw misses nothing. Delivery (fan-out to sockets, answering callers) runs in commit order on one
 * dispatcher thread while the writer already runs the next batch; a small batch with nothing ahead of it is
 * delivered by the writer itself, which is quicker than waking the dispatcher.
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final int MAX_BATCH = 512;
    /** Batches of at most this many commands are delivered by the writer itself when the dispatcher is idle. */
    private static final int DELIVER_INLINE = 8;

    /** A change: runs inside the journal's transaction; must have no effect outside {@link Tx} (it may run twice). */
    @FunctionalInterface
    public interface Command<T> {
        T execute(Tx tx);

        /** Called for every command of a batch before any runs, so they can ask for rows in one query. */
        default void prepare(Tx tx) {}
    }

    /** A submitted command, with when it was submitted ({@link System#nanoTime()}). */
    private record Pending<T>(Command<T> command, CompletableFuture<T> future, long submitted) {
        Pending(Command<T> command, CompletableFuture<T> future) {
            this(command, future, System.nanoTime());
        }
    }

    // One per journal: a restarted Parley in the same JVM must wait for its own queue to drain.
    private final Pending<Void> stop = new Pending<>(tx -> null, new CompletableFuture<>());

    private final Jdbi jdbi;
    private final Consumer<List<Event>> publisher;
    private final Consumer<List<Event>> committed;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final java.util.concurrent.ExecutorService dispatcher =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-dispatch").factory());
    // Only the writer thread touches it (Tx.lasting): caches of committed state, dropped on any rollback.
    private final java.util.Map<Class<?>, Object> lasting = new java.util.HashMap<>();
    private final String node;
    /**
     * Accounts another node wrote lately, until when: a batch locks their sequence rows before its commands run
     * rather than finding out at its commit and running again. Only the writer thread touches it.
     */
    private final java.util.Map<Long, Long> shared = new java.util.HashMap<>();
    private static final long SHARED_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final java.util.concurrent.atomic.AtomicLong conflicts = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong repeatedRuns = new java.util.concurrent.atomic.AtomicLong();
    // Batches handed to the dispatcher and not yet delivered: while there are any, later ones must queue behind them.
    private final java.util.concurrent.atomic.AtomicInteger delivering = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean accepting = true;
    private volatile BatchObserver observer = BatchObserver.NONE;

    /** Told of every committed batch, on the writer's thread (so it must be quick): for metrics. */
    @FunctionalInterface
    public interface BatchObserver {
        BatchObserver NONE = (commands, events, waitedNanos, executedNanos, committedNanos) -> {};

        void committed(int commands, int events, long waitedNanos, long executedNanos, long committedNanos);
    }

    public void observe(BatchObserver observer) {
        this.observer = observer;
    }

    public Journal(Jdbi jdbi, Consumer<List<Event>> publisher) {
        this(jdbi, publisher, events -> {}, null);
    }

    /**
     * Events go through the node's {@link LogTail}, which also publishes other nodes' commits. {@code node}: this
     * node's name in the notification each batch sends to the other nodes' tails; null when Parley runs alone.
     */
    public Journal(Jdbi jdbi, LogTail tail, String node) {
        this(jdbi, tail::offer, tail::committed, node);
    }

    private Journal(Jdbi jdbi, Consumer<List<Event>> publisher, Consumer<List<Event>> committed, String node) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.committed = committed;
        this.node = node;
        this.writer = Thread.ofPlatform().name("parley-journal").unstarted(this::loop);
        writer.start();
    }

    public <T> CompletableFuture<T> submit(Command<T> command) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (!accepting) {
            future.completeExceptionally(Refusal.unavailable("shutting_down", "Parley is restarting; try again in a moment."));
            return future;
        }
        queue.add(new Pending<>(command, future));
        return future;
    }

    /** Submits and waits; a command's {@link Refusal} is thrown as it was. */
    public <T> T run(Command<T> command) {
        try {
            return submit(command).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** Commands waiting for the writer. */
    public int waiting() {
        return queue.size();
    }

    /** How many batches ran a second time because a client id was already stored (a client retried a send). */
    public long repeatedRuns() {
        return repeatedRuns.get();
    }

    /** How many batches ran again because another node had written one of their accounts meanwhile. */
    public long conflicts() {
        return conflicts.get();
    }

    /** The sequence of the account's last committed event. */
    public long lastSeq(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM account_seqs WHERE account_id = :a").bind("a", accountId)
                .mapTo(Long.class).findOne().orElse(0L));
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stopping = batch.remove(stop);
            try {
                if (!batch.isEmpty()) process(batch);
            } catch (RuntimeException | Error e) {
                // The writer must outlive any batch: without it no command would ever be answered again.
                log.error("A batch failed unexpectedly", e);
                for (Pending<?> p : batch) p.future().completeExceptionally(e);
            }
            batch.clear();
            if (stopping) {
                stop.future().complete(null);
                return;
            }
        }
    }

    private void process(List<Pending<?>> batch) {
        RuntimeException failure;
        try {
            if (resync) resync();
            runAgain(batch, false);
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        if (Database.unreachable(failure)) {
            // Running each command alone would wait out the pool's timeout once per command: the whole batch fails
            // at once, retryably (a client resends with the same client id, so a batch that did commit is not
            // stored twice). Whether the lost commit went through is unknown: read the sequence again first.
            resync = true;
            log.warn("The database is not reachable: {} command(s) refused ({})", batch.size(), failure.getMessage());
            for (Pending<?> p : batch) p.future().completeExceptionally(unavailable());
            return;
        }
        if (repeatedClientId(failure)) {
            // A client sent again what is already stored (it did not see the ack): run the batch once more,
            // looking client ids up this time, so that send is answered with the stored message.
            repeatedRuns.incrementAndGet();
            try {
                runAgain(batch, true);
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (batch.size() == 1) {
            fail(batch.get(0), failure);
            return;
        }
        // One command broke the shared transaction: run each alone so only that one fails.
        for (int i = 0; i < batch.size(); i++) {
            Pending<?> p = batch.get(i);
            try {
                runAgain(List.of(p), true);
            } catch (RuntimeException single) {
                if (Database.unreachable(single)) {
                    resync = true;
                    for (Pending<?> rest : batch.subList(i, batch.size())) rest.future().completeExceptionally(unavailable());
                    return;
                }
                fail(p, single);
            }
        }
    }

    /** Whether the last batch lost its connection: the next one starts from the database's own sequence. */
    private boolean resync;

    private void resync() {
        lasting.clear();
        resync = false;
    }

    /**
     * Runs the batch; if another node wrote one of its accounts since this node last did (the claim failed), the
     * accounts it touched are marked shared and it runs again with their rows locked from the start, a few times
     * at most (each run may meet yet another account).
     */
    private void runAgain(List<Pending<?>> batch, boolean careful) {
        for (int attempt = 1; ; attempt++) {
            try {
                runBatch(batch, careful);
                return;
            } catch (RuntimeException e) {
                if (!writtenElsewhere(e) || attempt == 4) throw e;
                conflicts.incrementAndGet();
                long until = System.nanoTime() + SHARED_NANOS;
                for (long account : touched) shared.put(account, until);
            }
        }
    }

    /** The accounts the last batch run wrote or locked (set even when it failed). */
    private java.util.Set<Long> touched = java.util.Set.of();

    /** Whether a batch failed because another node had written one of its accounts (claim_seqs, V28). */
    private static boolean writtenElsewhere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && "PA001".equals(s.getSQLState())) return true;
        }
        return false;
    }

    private java.util.List<Long> sharedNow() {
        if (shared.isEmpty()) return List.of();
        long now = System.nanoTime();
        shared.values().removeIf(until -> until - now < 0);
        return List.copyOf(shared.keySet());
    }

    static Refusal unavailable() {
        return Refusal.unavailable("unavailable", "The database is not reachable right now; try again in a moment.");
    }

    private static void fail(Pending<?> p, RuntimeException e) {
        if (!(e instanceof Refusal)) log.error("Command failed", e);
        p.future().completeExceptionally(e);
    }

    /** Whether PostgreSQL refused a message because its (conversation, client id) is already stored. */
    private static boolean repeatedClientId(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException p && "23505".equals(p.getSQLState())
                    && p.getServerErrorMessage() != null
                    && "messages_client_id".equals(p.getServerErrorMessage().getConstraint())) {
                return true;
            }
        }
        return false;
    }

    private void runBatch(List<Pending<?>> batch, boolean careful) {
        BatchEvent trace = new BatchEvent();
        trace.begin();
        long started = System.nanoTime();
        long executed = started;
        List<Object> results = new ArrayList<>(batch.size());
        List<RuntimeException> refusals = new ArrayList<>(batch.size());
        Tx tx;
        try (Handle handle = jdbi.open()) {
            tx = new Tx(handle, lasting, careful, node);
            try {
                // Accounts other nodes write too: their rows are locked first; what others changed is forgotten, and
                // an account still written elsewhere stays shared (else its next conflict would drop the caches whole).
                long until = System.nanoTime() + SHARED_NANOS;
                for (long account : tx.lock(sharedNow())) shared.put(account, until);
                for (Pending<?> p : batch) p.command().prepare(tx);
                for (Pending<?> p : batch) {
                    int before = tx.writes();
                    try {
                        results.add(p.command().execute(tx));
                        refusals.add(null);
                    } catch (Refusal refused) {
                        // A command that refused before writing anything fails alone; the batch goes on.
                        if (tx.writes() != before || batch.size() == 1) throw refused;
                        results.add(null);
                        refusals.add(refused);
                    }
                }
                executed = System.nanoTime();
                tx.commit();
            } catch (RuntimeException e) {
                touched = java.util.Set.copyOf(tx.accounts());
                lasting.clear();
                try {
                    tx.rollback();
                } catch (RuntimeException lost) {
                    // A connection the database dropped cannot roll back either: what failed first says why.
                    e.addSuppressed(lost);
                }
                throw e;
            }
        }
        if (!tx.events().isEmpty()) committed.accept(tx.events());
        List<Pending<?>> done = List.copyOf(batch);
        Runnable deliver = () -> {
            publish(tx.events());
            for (int i = 0; i < done.size(); i++) complete(done.get(i), results.get(i), refusals.get(i));
        };
        boolean inline = done.size() <= DELIVER_INLINE && delivering.get() == 0;
        long now = System.nanoTime();
        observer.committed(done.size(), tx.events().size(), started - done.getFirst().submitted(), executed - started, now - executed);
        if (trace.shouldCommit()) {
            trace.commands = done.size();
            trace.events = tx.events().size();
            trace.waited = started - done.getFirst().submitted();
            trace.executed = executed - started;
            trace.committed = now - executed;
            trace.inline = inline;
            trace.commit();
        }
        if (inline) {
            // A small batch while nothing earlier is still being delivered: delivering it here, in commit order,
            // costs the writer less than waking the dispatcher would cost the messages.
            deliver.run();
            return;
        }
        delivering.incrementAndGet();
        dispatcher.execute(() -> {
            try {
                deliver.run();
            } finally {
                delivering.decrementAndGet();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, RuntimeException refusal) {
        if (refusal != null) p.future().completeExceptionally(refusal);
        else p.future().complete((T) result);
    }

    private void publish(List<Event> events) {
        if (events.isEmpty()) return;
        try {
            publisher.accept(events);
        } catch (RuntimeException e) {
            // Clients that missed these will get them from the log when they resume.
            log.error("Publishing {} events failed", events.size(), e);
        }
    }

    /** Stops taking commands, finishes every one already accepted, then stops the writer. */
    @Override
    public void close() {
        accepting = false;
        queue.add(stop);
        try {
            stop.future().get(30, TimeUnit.SECONDS);
            writer.join(5_000);
            dispatcher.shutdown();
            dispatcher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Journal did not stop cleanly", e);
        }
    }
}
