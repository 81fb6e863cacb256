package app.parley.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door through which committed events reach this node's sockets and in-memory state, exactly once each and
 * in each account's sequence order, whichever node committed them (issue #15, docs/ARCHITECTURE.md).
 *
 * <p>This node's own batches are offered by its journal right after their commit. Other nodes' batches are read
 * from the log: each of their commits sends one notification (account and last sequence), and a slow poll of
 * {@code account_seqs} is the truth, so a lost notification costs latency, never an event. An event that does not
 * follow the last one published for its account (an earlier one is still unread) is left to the tail, which
 * reads the account's log from there: nothing is published out of order or twice.
 */
public final class LogTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogTail.class);
    static final String CHANNEL = "parley_events";
    /** Ephemeral signals between nodes (typing): "node payload", never stored. */
    private static final String SIGNALS = "parley_signals";
    private static final int READ = 1_000;

    private final Jdbi jdbi;
    private final DataSource listenOn;
    private final String node;
    private final Consumer<List<Event>> downstream;
    private final long pollMillis;
    /** Per account, the last sequence published here. An account missing from it is younger than this node: 0. */
    private final Map<Long, Long> published = new ConcurrentHashMap<>();
    /** Per account, the last sequence this node's journal committed (it publishes it itself, soon). */
    private final Map<Long, Long> committedHere = new ConcurrentHashMap<>();
    private final Set<Long> behind = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    private Thread tail;
    private Thread listener;
    private volatile Connection listening;
    private volatile Consumer<List<Event>> beforeRead = events -> {};
    private volatile Consumer<List<Event>> afterCommitHere = events -> {};
    private volatile Consumer<String> signals = payload -> {};

    /**
     * {@code node}: this node's name in the notifications (null when Parley runs alone: nothing is listened to and
     * the poll only catches what this node's own delivery missed, such as a commit whose answer the database lost).
     */
    public LogTail(Jdbi jdbi, DataSource listenOn, String node, long pollMillis, Consumer<List<Event>> downstream) {
        this.jdbi = jdbi;
        this.listenOn = listenOn;
        this.node = node;
        this.pollMillis = pollMillis;
        this.downstream = downstream;
        // Everything committed before this node starts is history: clients read it from the log when they connect.
        jdbi.useHandle(h -> h.createQuery("SELECT account_id, seq FROM account_seqs")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2))).forEach(e -> published.put(e.getKey(), e.getValue())));
    }

    public void start() {
        tail = Thread.ofVirtual().name("parley-log-tail").start(this::loop);
        if (node != null) listener = Thread.ofPlatform().daemon().name("parley-log-listen").start(this::listen);
    }

    /**
     * Told of the events read from the log (other nodes' commits) before they are published: what this node's own
     * commands do right after theirs (closing sockets whose access a change ended) happens for those here.
     */
    public void beforeReading(Consumer<List<Event>> hook) {
        this.beforeRead = hook;
    }

    /** Where the other nodes' ephemeral signals go (their payload as sent). */
    public void onSignal(Consumer<String> receiver) {
        this.signals = receiver;
    }

    /**
     * Sends an ephemeral signal to the other nodes (nothing when Parley runs alone). Not stored: a node that is down
     * or not listening misses it, as a socket that is not connected misses a typing signal.
     */
    public void signal(String payload) {
        if (node == null) return;
        try {
            jdbi.useHandle(h -> h.createQuery("SELECT pg_notify('" + SIGNALS + "', :p)").bind("p", node + " " + payload)
                    .mapTo(String.class).one());
        } catch (RuntimeException e) {
            log.debug("A signal for the other nodes was not sent: {}", e.getMessage());
        }
    }

    /** The last sequence of the account published here: the state an ephemeral signal describes. */
    public long published(long accountId) {
        return published.getOrDefault(accountId, 0L);
    }

    /** Called by this node's journal right after a commit, before it publishes the events: the tail need not read them. */
    public void committed(List<Event> events) {
        for (Event e : events) committedHere.merge(e.accountId(), e.seq(), Math::max);
        afterCommitHere.accept(events);
    }

    /** Told of the events this node's own journal committed (on its writer thread: it must be quick), for metrics. */
    public void afterCommitHere(Consumer<List<Event>> hook) {
        this.afterCommitHere = hook;
    }

    /** Publishes what follows each account's last published event; leaves the rest to the tail. */
    public synchronized void offer(List<Event> events) {
        List<Event> next = new ArrayList<>(events.size());
        for (Event e : events) {
            long last = published(e.accountId());
            if (e.seq() <= last) continue;
            if (e.seq() != last + 1) {
                behind.add(e.accountId());
                continue;
            }
            published.put(e.accountId(), e.seq());
            next.add(e);
        }
        if (!behind.isEmpty()) wake.release();
        if (next.isEmpty()) return;
        try {
            downstream.accept(next);
        } catch (RuntimeException e) {
            // Clients that missed these will get them from the log when they resume.
            log.error("Publishing {} events failed", next.size(), e);
        }
    }

    private void loop() {
        long polled = System.nanoTime();
        while (running) {
            try {
                if (wake.tryAcquire(pollMillis, TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (!running) return;
            try {
                Set<Long> accounts = new HashSet<>(behind);
                behind.removeAll(accounts);
                // Notifications may keep it busy: the poll still runs at its pace.
                if (System.nanoTime() - polled >= TimeUnit.MILLISECONDS.toNanos(pollMillis)) {
                    polled = System.nanoTime();
                    accounts.addAll(movedAccounts());
                }
                for (long account : accounts) catchUp(account);
            } catch (RuntimeException e) {
                if (running) log.warn("Reading the event log failed; trying again in {} ms: {}", pollMillis, e.getMessage());
            }
        }
    }

    /** The poll: accounts whose row is past what was published here, and not because of this node's own commit. */
    private List<Long> movedAccounts() {
        List<Long> moved = new ArrayList<>();
        jdbi.useHandle(h -> h.createQuery("SELECT account_id, seq FROM account_seqs").map((rs, ctx) -> {
            long account = rs.getLong(1);
            long seq = rs.getLong(2);
            if (seq > published(account) && seq > committedHere.getOrDefault(account, 0L)) moved.add(account);
            return account;
        }).forEach(a -> {}));
        return moved;
    }

    /** Reads the account's log after its last published event and offers it, until there is no more. */
    void catchUp(long account) {
        while (running) {
            long after = published(account);
            List<Event> events = jdbi.withHandle(h -> h.createQuery("""
                            SELECT seq, account_id, type, conversation_id, group_id, visitor_id, agent_payload,
                                   CASE WHEN visitor_same THEN agent_payload ELSE visitor_payload END, other_group_ids
                            FROM events WHERE account_id = :a AND seq > :after ORDER BY seq LIMIT :limit""")
                    .bind("a", account).bind("after", after).bind("limit", READ)
                    .map((rs, ctx) -> new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4),
                            (Long) rs.getObject(5), (Long) rs.getObject(6), rs.getString(7), rs.getString(8),
                            EventLog.groups(rs.getArray(9))))
                    .list());
            if (events.isEmpty()) return;
            // An account's batches commit in sequence order, so what is missing below a committed event never comes
            // (pruned while this node lagged): go on from there rather than wait for it forever.
            if (events.getFirst().seq() > after + 1) {
                log.warn("Events {}..{} of account {} are no longer in the log; publishing from {}", after + 1,
                        events.getFirst().seq() - 1, account, events.getFirst().seq());
                published.merge(account, events.getFirst().seq() - 1, Math::max);
            }
            try {
                beforeRead.accept(events);
            } catch (RuntimeException e) {
                log.warn("Reacting to {} events read from the log failed", events.size(), e);
            }
            offer(events);
            if (events.size() < READ) return;
        }
    }

    /** Other nodes' commits, one notification per batch: "node account:seq account:seq …". */
    private void listen() {
        long backoff = 100;
        while (running) {
            try (Connection c = listenOn.getConnection()) {
                listening = c;
                try (var s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + SIGNALS);
                }
                // What was committed while nobody listened is found by the poll; one now makes it quick.
                wake.release();
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1_000);
                    if (notes == null || notes.length == 0) continue;
                    boolean any = false;
                    for (PGNotification n : notes) {
                        if (SIGNALS.equals(n.getName())) relayed(n.getParameter());
                        else any |= heard(n.getParameter());
                    }
                    if (any) wake.release();
                }
            } catch (Exception e) {
                if (!running) return;
                log.warn("Listening for other nodes' commits failed ({}); the poll covers it; again in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            } finally {
                listening = null;
            }
        }
    }

    private void relayed(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.startsWith(node + " ")) return;
        try {
            signals.accept(payload.substring(space + 1));
        } catch (RuntimeException e) {
            log.warn("Passing on a signal from another node failed", e);
        }
    }

    private boolean heard(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length == 0 || parts[0].equals(node)) return false;
        boolean any = false;
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon < 0) continue;
            try {
                long account = Long.parseLong(parts[i], 0, colon, 10);
                long seq = Long.parseLong(parts[i], colon + 1, parts[i].length(), 10);
                if (seq > published(account)) {
                    behind.add(account);
                    any = true;
                }
            } catch (NumberFormatException ignored) {
                // Not one of ours.
            }
        }
        return any;
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        Connection c = listening;
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // Closing anyway.
        }
        try {
            if (tail != null) tail.join(5_000);
            if (listener != null) listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
