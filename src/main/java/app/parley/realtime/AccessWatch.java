package app.parley.realtime;

import app.parley.account.AccessChanges;
import app.parley.account.AccessReview;
import app.parley.account.Credential;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps open dashboard sockets honest: each remembers how it signed in, and is checked again right after a change
 * made here (logout, token revocation, deactivation, role or groups) and by a sweep every second, which catches
 * what another Parley process or a hand-written SQL statement changed. A socket whose credential ended is closed
 * (4401 signed out, 4403 access ended); one whose rights changed is closed with 4409, and the dashboard reconnects
 * at once, resumes from its last sequence and fetches again with the new rights.
 */
public final class AccessWatch implements AccessChanges, AutoCloseable {
    public static final int SIGNED_OUT = 4401;
    public static final int ACCESS_ENDED = 4403;
    public static final int ACCESS_CHANGED = 4409;
    private static final Logger log = LoggerFactory.getLogger(AccessWatch.class);

    private final Jdbi jdbi;
    private final Map<Client, Credential> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean failing;

    public AccessWatch(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-housekeeping-access").factory());
    }

    /** Starts the sweep; called once the server is up, so that a failed start leaves nothing running. */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public void watch(Client client, Credential credential) {
        open.put(client, credential);
    }

    public void forget(Client client) {
        open.remove(client);
    }

    @Override
    public void recheck(long accountId) {
        review(c -> c.accountId() == accountId);
    }

    private void sweep() {
        try {
            review(c -> true);
            if (failing) log.info("Checking open agent sockets works again");
            failing = false;
        } catch (RuntimeException e) {
            // Once per outage: the database being away is reported elsewhere, and sockets stay as they are meanwhile.
            if (!failing) log.warn("Checking open agent sockets failed; will retry every second", e);
            failing = true;
        }
    }

    private void review(Predicate<Client> which) {
        List<Map.Entry<Client, Credential>> batch = open.entrySet().stream().filter(e -> which.test(e.getKey())).toList();
        if (batch.isEmpty()) return;
        Map<Credential, AccessReview.Verdict> verdicts =
                jdbi.withHandle(h -> AccessReview.of(h, batch.stream().map(Map.Entry::getValue).distinct().toList()));
        for (var entry : batch) {
            Client client = entry.getKey();
            switch (verdicts.get(entry.getValue())) {
                case AccessReview.Holds(var viewer) -> {
                    if (!viewer.equals(client.viewer())) end(client, ACCESS_CHANGED, "Access changed; reconnect");
                }
                case AccessReview.SignedOut() -> end(client, SIGNED_OUT, "Signed out");
                case AccessReview.Ended() -> end(client, ACCESS_ENDED, "Access ended");
            }
        }
    }

    private void end(Client client, int code, String reason) {
        // Forgotten at once, not when the close completes: the next sweep must not close it again.
        open.remove(client);
        client.end(code, reason);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
