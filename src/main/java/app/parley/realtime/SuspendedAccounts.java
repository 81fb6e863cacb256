package app.parley.realtime;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts an instance administrator has suspended, as this node last read them: read again right after a
 * suspension made here and every second (a suspension made on another node or by the command-line tool), and every
 * open socket of such an account is closed (chat boxes with {@link #CHAT_UNAVAILABLE}, dashboards with
 * {@link AccessWatch#ACCESS_ENDED}). Sockets ask it, in memory, before each frame they take.
 */
public final class SuspendedAccounts implements AutoCloseable {
    public static final int CHAT_UNAVAILABLE = 4423;
    private static final Logger log = LoggerFactory.getLogger(SuspendedAccounts.class);

    private final Jdbi jdbi;
    private final Hub hub;
    private final ScheduledExecutorService sweeper;
    private volatile Set<Long> suspended = Set.of();
    private volatile boolean failing;

    public SuspendedAccounts(Jdbi jdbi, Hub hub) {
        this.jdbi = jdbi;
        this.hub = hub;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-housekeeping-suspended").factory());
    }

    public void start() {
        refresh();
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public boolean contains(long accountId) {
        if (!suspended.contains(accountId)) return false;
        // The set may be up to a second old (unsuspended on another node or by the command-line tool): a socket that
        // opened after the unsuspension must not be closed for good on the old word. The database has the last one.
        return jdbi.withHandle(h -> app.parley.account.Agents.suspended(h, accountId));
    }

    /** Reads the suspended accounts again and closes what they hold open on this node. */
    public void refresh() {
        Set<Long> now = new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT id FROM accounts WHERE suspended_at IS NOT NULL")
                .mapTo(Long.class).list()));
        suspended = Set.copyOf(now);
        for (long accountId : now) {
            for (Client c : hub.visitors(accountId)) c.end(CHAT_UNAVAILABLE, "Chat unavailable");
            for (Client c : hub.agents(accountId)) c.end(AccessWatch.ACCESS_ENDED, "Access ended");
        }
    }

    /** The close code for a socket of a suspended account. */
    public static int closeCode(Client c) {
        return c.isAgent() ? AccessWatch.ACCESS_ENDED : CHAT_UNAVAILABLE;
    }

    private void sweep() {
        try {
            refresh();
            if (failing) log.info("Reading suspended accounts works again");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("Reading suspended accounts failed; will retry every second", e);
            failing = true;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
