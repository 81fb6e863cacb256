package app.parley.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One process of idle chat boxes for the several-node idle phase (bench/run --nodes N). This container caps every
 * process at 20,000 open files (`ulimit -Hn`, which a process cannot raise), so the one load client cannot hold
 * 50,000 sockets: the load client starts as many of these as it needs, each holding at most ~18,000.
 * Sockets go round-robin over the nodes from 127.0.0.2–9. Talks to its parent by lines: prints
 * "opened N failed F [errors]" once open, then answers "count" with "alive N"; ends on "close", at end of input,
 * or after --max-seconds.
 */
public final class IdleHolder {
    private IdleHolder() {}

    /**
     * Parley closes a chat box silent for 90 s (docs/PROTOCOL.md), and the real one pings every 25 s: so do these,
     * spread evenly over the 25 s (opening 50,000 takes longer than 90 s here).
     */
    private static void startPinger(java.util.Collection<Ws> open) {
        Thread.ofPlatform().daemon().name("pinger").start(() -> {
            long period = TimeUnit.SECONDS.toNanos(25);
            for (int rounds = 0; rounds < 100_000; rounds++) {
                // This round's sockets only: one opened meanwhile is pinged next round (it has just spoken).
                java.util.List<Ws> round = java.util.List.copyOf(open);
                int n = Math.max(1, round.size());
                long start = System.nanoTime();
                int i = 0;
                for (Ws ws : round) {
                    if (!ws.isClosed()) {
                        try {
                            ws.sendText("{\"type\":\"ping\"}");
                        } catch (java.io.IOException ignored) {
                            // counted as not alive
                        }
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(start + period * ++i / n - System.nanoTime());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(start + period - System.nanoTime());
            }
        });
    }

    /** A new chat box on this node: connected once its welcome came. */
    private static Ws openOne(int port, InetAddress from, String path) throws java.io.IOException {
        Ws ws = Ws.connect("127.0.0.1", port, from, path, Map.of(), 20_000, 1024);
        ws.setReadTimeout(20_000);
        String welcome = ws.readText();
        for (int f = 0; f < 10 && !welcome.startsWith("{\"type\":\"welcome\""); f++) welcome = ws.readText();
        if (!welcome.startsWith("{\"type\":\"welcome\"")) {
            ws.closeQuietly();
            throw new java.io.IOException("no welcome: " + welcome);
        }
        ws.setReadTimeout(0);
        return ws;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].substring(2), args[i + 1]);
        int[] ports = java.util.Arrays.stream(opt.get("ports").split(",")).mapToInt(Integer::parseInt).toArray();
        int count = Integer.parseInt(opt.get("count"));
        int offset = Integer.parseInt(opt.getOrDefault("offset", "0"));
        long maxSeconds = Long.parseLong(opt.getOrDefault("max-seconds", "600"));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
            } catch (InterruptedException ignored) {
                return;
            }
            System.exit(3);
        });
        String path = "/ws/visitor?key=" + URLEncoder.encode(opt.get("key"), StandardCharsets.UTF_8);
        InetAddress[] sources = new InetAddress[8];
        for (int i = 0; i < sources.length; i++) sources[i] = InetAddress.getByName("127.0.0." + (2 + i));
        ConcurrentLinkedQueue<Ws> open = new ConcurrentLinkedQueue<>();
        LongAdder failed = new LongAdder();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        LongAdder ended = new LongAdder();
        // The load client splits one budget of concurrent upgrades (200, as the one-node idle phase) between its holders.
        Semaphore slots = new Semaphore(Integer.parseInt(opt.getOrDefault("concurrency", "200")));
        LongAdder refused = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, count / 50));
        startPinger(open); // from the start: the first sockets would be silent for 90 s before the last opens
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                slots.acquire();
                int k = offset + i;
                pool.submit(() -> {
                    try {
                        // A chat box whose upgrade fails tries again (twice, a second apart), as the real one
                        // reconnects; every refused attempt is counted and printed.
                        for (int attempt = 0; attempt < 3; attempt++) {
                            try {
                                if (attempt > 0) Thread.sleep(1000);
                                Ws ws = openOne(ports[k % ports.length], sources[k % sources.length], path);
                                open.add(ws);
                                // Reads (answers pings) until the socket ends.
                                Thread.ofVirtual().start(() -> {
                                    try {
                                        for (int n = 0; n < 1_000_000; n++) ws.readText();
                                    } catch (Exception e) {
                                        ended.increment();
                                    }
                                });
                                return;
                            } catch (java.io.IOException | RuntimeException e) {
                                refused.increment();
                                if (errors.size() < 3) errors.add(e.toString());
                            }
                        }
                        failed.increment();
                    } catch (InterruptedException e) {
                        failed.increment();
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        System.out.println("opened " + open.size() + " failed " + failed.sum() + " (refused attempts " + refused.sum() + ")"
                + (errors.isEmpty() ? "" : " " + errors));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("close"); line = in.readLine()) {
            if (line.equals("count")) {
                long alive = open.stream().filter(w -> !w.isClosed()).count();
                System.out.println("alive " + alive);
                System.out.flush();
            }
        }
        for (Ws ws : open) ws.closeQuietly();
        System.exit(0);
    }
}
