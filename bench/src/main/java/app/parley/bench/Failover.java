package app.parley.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The failover phase of bench/run --nodes N (N ≥ 2): chat boxes spread round-robin over the nodes send an open-loop
 * load; the last node's JVM is killed with SIGKILL (never node 1: its JVM owns the embedded PostgreSQL). Each chat box
 * whose socket ends reconnects, as the same visitor, to a node still alive and resends every message it has not seen
 * acknowledged, with the same client id (Parley answers a known client id with the stored message). Measures the time
 * from the kill to the first ack on another node for a chat box of the killed node, and until every such chat box has
 * had one; then counts, over JDBC, that every acknowledged client id is stored exactly once.
 */
final class Failover {
    private static final long SEC = 1_000_000_000L;
    private static final String HOST = "127.0.0.1";
    /** Client ids of this phase: "FO<visitor>x<k>", letters between the numbers (Parley masks long digit runs). */
    private static final String PREFIX = "FO";

    record Result(int killedNode, long killedPid, double firstAckMs, double allAnsweredMs, int clientsOfKilled,
                  int answeredAgain, Histogram reconnect, long acked, long storedOnce, long duplicates, long missing,
                  long unackedAtEnd, long sent, long reconnectFailures, long errors, String errorSamples) {}

    private final int[] ports;
    private final long[] pids;
    private final String chatKey;
    private final String jdbcUrl;
    private final String pgPassword;

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnectFailures = new LongAdder();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final Histogram reconnect = new Histogram(60 * SEC, 3);
    private final AtomicLong firstAck = new AtomicLong(Long.MAX_VALUE);
    private volatile long killAt;
    private volatile int killed = -1;
    private volatile boolean stopping;
    private long deadline;

    Failover(int[] ports, long[] pids, String chatKey, String jdbcUrl, String pgPassword) {
        this.ports = ports;
        this.pids = pids;
        this.chatKey = chatKey;
        this.jdbcUrl = jdbcUrl;
        this.pgPassword = pgPassword;
    }

    /** One chat box: its socket moves to another node when its node dies. */
    final class Client {
        final int idx;
        final int home;
        final String visitorId;
        final Map<String, String> pending = new ConcurrentHashMap<>();
        volatile Ws ws;
        volatile int node;
        volatile long answeredAgainAt;
        volatile long lostAt;

        Client(int idx, int home, String visitorId, Ws ws) {
            this.idx = idx;
            this.home = home;
            this.visitorId = visitorId;
            this.ws = ws;
            this.node = home;
        }

        void send(String clientId, String frame) {
            pending.put(clientId, frame);
            try {
                ws.sendText(frame);
            } catch (IOException e) {
                // the reader reconnects and resends everything pending
            }
        }

        void read() {
            while (!stopping && System.nanoTime() < deadline) {
                Ws current = ws;
                try {
                    for (int n = 0; n < 10_000_000 && !stopping; n++) handle(current.readText());
                } catch (IOException | RuntimeException e) {
                    if (stopping) return;
                    lostAt = System.nanoTime();
                    if (!reconnect()) return;
                }
            }
        }

        private void handle(String f) {
            boolean ack = f.startsWith("{\"type\":\"ack\"");
            boolean error = f.startsWith("{\"type\":\"error\"");
            if (!ack && !error) return;
            String id = clientId(f);
            if (ack) {
                if (id == null || pending.remove(id) == null) return;
                acked.add(id);
                long now = System.nanoTime();
                if (killAt > 0 && home == killed && node != killed && answeredAgainAt == 0) {
                    answeredAgainAt = now;
                    firstAck.accumulateAndGet(now, Math::min);
                }
            } else if (id != null && (f.contains("\"rate_limited\"") || f.contains("\"unavailable\""))) {
                String frame = pending.get(id);
                if (frame != null) Thread.ofVirtual().start(() -> {
                    LockSupport.parkNanos(SEC / 5);
                    try {
                        ws.sendText(frame); // same client id: idempotent
                    } catch (IOException ignored) {
                        // resent after the reconnect
                    }
                });
            } else {
                errors.increment();
                if (errorSamples.size() < 5) errorSamples.add(f);
            }
        }

        /** To a node still alive, as the same visitor; then everything not acknowledged again, same client ids. */
        private boolean reconnect() {
            int[] alive = aliveNodes();
            String path = "/ws/visitor?key=" + URLEncoder.encode(chatKey, StandardCharsets.UTF_8)
                    + "&visitor=" + URLEncoder.encode(visitorId, StandardCharsets.UTF_8);
            for (int attempt = 0; attempt < 1000 && !stopping && System.nanoTime() < deadline; attempt++) {
                int to = alive[(idx + attempt) % alive.length];
                try {
                    Ws fresh = Ws.connect(HOST, ports[to], null, path, Map.of(), 10_000, 8192);
                    fresh.setReadTimeout(10_000);
                    String welcome = fresh.readText();
                    for (int f = 0; f < 10 && !welcome.startsWith("{\"type\":\"welcome\""); f++) welcome = fresh.readText();
                    if (!welcome.startsWith("{\"type\":\"welcome\"")) throw new IOException("no welcome: " + welcome);
                    fresh.setReadTimeout(0);
                    node = to;
                    ws = fresh;
                    synchronized (reconnect) {
                        reconnect.recordValue(Math.min(System.nanoTime() - lostAt, 60 * SEC));
                    }
                    for (String frame : List.copyOf(pending.values())) fresh.sendText(frame);
                    return true;
                } catch (IOException e) {
                    reconnectFailures.increment();
                    LockSupport.parkNanos(SEC / 10);
                }
            }
            return false;
        }
    }

    private int[] aliveNodes() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) if (i != killed) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String clientId(String frame) {
        int i = frame.indexOf("\"client_id\":\"");
        if (i < 0) return null;
        int from = i + 13;
        int to = frame.indexOf('"', from);
        return to < 0 ? null : frame.substring(from, to);
    }

    /**
     * {@code visitors} chat boxes round-robin over the nodes send {@code rate} msg/s in total at fixed times; the last
     * node is killed {@code beforeKill} s in; sending goes on for {@code afterKill} s; then ≤ 20 s for the last acks.
     */
    Result run(int visitors, double rate, int beforeKill, int afterKill, Bench.Logger log) throws Exception {
        deadline = System.nanoTime() + (beforeKill + afterKill + 200L) * SEC;
        String path = "/ws/visitor?key=" + URLEncoder.encode(chatKey, StandardCharsets.UTF_8);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < visitors; i++) {
            int node = i % ports.length;
            Ws ws = Ws.connect(HOST, ports[node], null, path, Map.of(), 10_000, 8192);
            ws.setReadTimeout(10_000);
            String welcome = ws.readText();
            for (int f = 0; f < 10 && !welcome.startsWith("{\"type\":\"welcome\""); f++) welcome = ws.readText();
            String id = Bench.welcomeVisitorId(welcome);
            if (id == null) throw new IOException("failover: no visitor id in " + welcome);
            ws.setReadTimeout(0);
            clients.add(new Client(i, node, id, ws));
        }
        List<Thread> readers = new ArrayList<>();
        for (Client c : clients) readers.add(Thread.ofVirtual().name("failover-" + c.idx).start(c::read));
        // Each chat box's first message creates its conversation: before the schedule.
        for (Client c : clients) c.send(PREFIX + c.idx + "p", "{\"type\":\"message\",\"client_id\":\"" + PREFIX + c.idx + "p\",\"text\":\"Hello\"}");
        long primeEnd = System.nanoTime() + 60 * SEC;
        while (clients.stream().anyMatch(c -> !c.pending.isEmpty()) && System.nanoTime() < primeEnd) Thread.sleep(20);
        int victim = ports.length - 1;
        log.log("failover: %d chat boxes over %d nodes, %,.0f msg/s open loop; kill -9 of node %d (pid %d, port %d) after %d s, then %d s more…",
                visitors, ports.length, rate, victim + 1, pids[victim], ports[victim], beforeKill, afterKill);
        long gap = (long) (SEC / rate);
        long t0 = System.nanoTime() + SEC / 10;
        long killTime = t0 + beforeKill * SEC;
        long end = killTime + afterKill * SEC;
        long sent = 0;
        boolean done = false;
        for (long k = 0; k < 10_000_000 && !done; k++) {
            long sched = t0 + k * gap;
            if (sched >= end) break;
            if (killAt == 0 && sched >= killTime) {
                killed = victim;
                killAt = System.nanoTime();
                ProcessHandle.of(pids[victim]).ifPresent(ProcessHandle::destroyForcibly);
            }
            long d;
            while ((d = sched - System.nanoTime()) > 0) LockSupport.parkNanos(d);
            Client c = clients.get((int) (k % clients.size()));
            String id = PREFIX + c.idx + "x" + k;
            c.send(id, "{\"type\":\"message\",\"client_id\":\"" + id + "\",\"text\":\"Still there? (" + k + ")\"}");
            sent++;
        }
        boolean gone = ProcessHandle.of(pids[victim]).map(p -> {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }).orElse(true);
        long settle = System.nanoTime() + 20 * SEC;
        while (clients.stream().anyMatch(c -> !c.pending.isEmpty()) && System.nanoTime() < settle) Thread.sleep(50);
        stopping = true;
        long unacked = clients.stream().mapToLong(c -> c.pending.size()).sum();
        for (Client c : clients) c.ws.closeQuietly();
        for (Thread t : readers) t.join(5_000);
        if (!gone) log.log("failover: node %d (pid %d) was still running 5 s after SIGKILL", victim + 1, pids[victim]);

        List<Client> ofKilled = clients.stream().filter(c -> c.home == victim).toList();
        long answered = ofKilled.stream().filter(c -> c.answeredAgainAt > 0).count();
        long lastAnswer = ofKilled.stream().mapToLong(c -> c.answeredAgainAt).max().orElse(0);
        double firstMs = firstAck.get() == Long.MAX_VALUE ? Double.NaN : (firstAck.get() - killAt) / 1e6;
        double allMs = answered < ofKilled.size() || lastAnswer == 0 ? Double.NaN : (lastAnswer - killAt) / 1e6;

        // Every acknowledged client id stored exactly once: counted in the database, not taken from the acks.
        Map<String, Long> stored = new HashMap<>();
        try (var conn = DriverManager.getConnection(jdbcUrl, "postgres", pgPassword); var st = conn.createStatement();
             var rs = st.executeQuery("SELECT client_id, count(*) FROM messages WHERE client_id LIKE '" + PREFIX + "%' GROUP BY client_id")) {
            while (rs.next()) stored.put(rs.getString(1), rs.getLong(2));
        }
        long once = 0;
        long missing = 0;
        for (String id : acked) {
            Long n = stored.get(id);
            if (n == null) missing++;
            else if (n == 1) once++;
        }
        long duplicates = stored.values().stream().filter(n -> n > 1).count();
        return new Result(victim + 1, pids[victim], firstMs, allMs, ofKilled.size(), (int) answered, reconnect, acked.size(),
                once, duplicates, missing, unacked, sent, reconnectFailures.sum(), errors.sum(), errorSamples.toString());
    }
}
