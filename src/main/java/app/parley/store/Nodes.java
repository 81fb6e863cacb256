package app.parley.store;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This running process among the Parley nodes on one database (issue #15): a random id, a row in {@code nodes}
 * kept fresh by a heartbeat, removed on an orderly stop. A node not seen for the timeout (killed, frozen, cut
 * off) is reaped by any live one, and with it every per-node row (ON DELETE CASCADE): what a node counted of its
 * sockets is then no longer counted. Before a node's rows go, each {@link Reaper} is told, in the same
 * transaction, so that what the dead node's sockets held (an agent present, a visitor connected) is noticed gone.
 *
 * <p>The heartbeat has its own thread: the housekeeping thread runs pruning that may take minutes, and a
 * heartbeat waiting behind it would get a live node reaped.
 */
public final class Nodes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Nodes.class);

    /** Told of nodes about to be deleted (their rows still there), in the reaping transaction. */
    @FunctionalInterface
    public interface Reaper {
        void reaping(Handle h, List<UUID> nodes);
    }

    private final Jdbi jdbi;
    private final UUID id = UUID.randomUUID();
    private final Duration timeout;
    private final List<Reaper> reapers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService beats =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-node-heartbeat").factory());
    private volatile boolean beating = true;

    public Nodes(Jdbi jdbi, Duration timeout) {
        this.jdbi = jdbi;
        this.timeout = timeout;
    }

    /** This node's id, the key of its per-node rows. */
    public UUID id() {
        return id;
    }

    /** How long a node may go unseen before it counts as dead. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * SQL that is true when the node named by {@code column} is alive: a row not yet reaped may still belong to a
     * node dead for longer than the timeout, and must not count. Takes the parameter {@code :nodeTimeout}.
     */
    public static String alive(String column) {
        return "EXISTS (SELECT 1 FROM nodes n WHERE n.id = " + column
                + " AND n.seen_at > now() - make_interval(secs => :nodeTimeout))";
    }

    /** The value of {@code :nodeTimeout} in {@link #alive}. */
    public double timeoutSeconds() {
        return timeout.toMillis() / 1000.0;
    }

    public void onReap(Reaper reaper) {
        reapers.add(reaper);
    }

    /** Writes this node's row and starts the heartbeat (a third of the timeout), which also reaps the dead. */
    public void start() {
        beat();
        long every = Math.max(200, timeout.toMillis() / 3);
        beats.scheduleWithFixedDelay(() -> {
            try {
                if (beating) beat();
                reap();
            } catch (RuntimeException e) {
                log.warn("Node heartbeat failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE nodes SET seen_at = now() WHERE id = :id").bind("id", id).execute());
        if (n > 0) return;
        // Reaped while alive (frozen longer than the timeout): what it counted is gone, and comes back as sockets reconnect.
        if (started) log.warn("This node {} was reaped by another while it lived; its counts start again", id);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO nodes (id) VALUES (:id) ON CONFLICT (id) DO UPDATE SET seen_at = now()")
                .bind("id", id).execute());
        started = true;
    }

    private volatile boolean started;

    /** Deletes nodes unseen for the timeout, telling the reapers first; one reaper per dead node (SKIP LOCKED). */
    public int reap() {
        return jdbi.inTransaction(h -> {
            List<UUID> dead = h.createQuery("""
                            SELECT id FROM nodes WHERE seen_at < now() - make_interval(secs => :t) AND id <> :me
                            FOR UPDATE SKIP LOCKED""")
                    .bind("t", timeoutSeconds()).bind("me", id).mapTo(UUID.class).list();
            if (dead.isEmpty()) return 0;
            for (Reaper r : reapers) r.reaping(h, dead);
            h.createUpdate("DELETE FROM nodes WHERE id = ANY(:ids)").bindArray("ids", UUID.class, dead).execute();
            log.info("Reaped {} node(s) not seen for {} s: {}", dead.size(), timeout.toSeconds(), dead);
            return dead.size();
        });
    }

    /** Tests: a node that froze (its heartbeat stops; it goes on serving), to be reaped by another. */
    public void stopHeartbeat() {
        beating = false;
    }

    /** An orderly stop: this node's rows go, and what they held is noticed gone as for a dead node. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            jdbi.useTransaction(h -> {
                boolean mine = h.createQuery("SELECT id FROM nodes WHERE id = :id FOR UPDATE").bind("id", id)
                        .mapTo(UUID.class).findOne().isPresent();
                if (!mine) return;
                for (Reaper r : reapers) r.reaping(h, List.of(id));
                h.createUpdate("DELETE FROM nodes WHERE id = :id").bind("id", id).execute();
            });
        } catch (RuntimeException e) {
            log.warn("Could not remove this node's row; another node reaps it after {} s", timeout.toSeconds(), e);
        }
    }
}
