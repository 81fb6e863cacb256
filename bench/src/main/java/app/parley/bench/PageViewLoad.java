package app.parley.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Browsing shoppers (issue #11): {@code sockets} chat boxes that report a page view each, paced so
 * that together they offer {@code rate} page views a second, from browser user agents and public test addresses
 * (through the trusted proxy header when the server trusts 127.0.0.1). What Parley stored is counted in
 * PostgreSQL ({@code page_views}), not what was sent. The first {@code returning} of them wrote one message first (a
 * returning customer is a stored visitor with a conversation); the others never chat.
 */
final class PageViewLoad implements AutoCloseable {
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String[] ADDRESSES = {"81.2.69.142", "77.75.77.222", "8.8.8.8", "1.1.1.1", "185.199.108.153"};

    final LongAdder sent = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final List<Ws> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    /** While true, the views sent are ones Parley reads and drops (not http(s)): the transport's and parsing's floor. */
    volatile boolean discard;
    /** While true, nothing is sent (the loops without views, with the same sockets open). */
    volatile boolean paused;

    PageViewLoad(String host, int port, String chatKey, int n, int returning, double rate) throws IOException {
        String path = "/ws/visitor?key=" + URLEncoder.encode(chatKey, StandardCharsets.UTF_8);
        InetAddress[] sources = new InetAddress[8];
        for (int i = 0; i < sources.length; i++) sources[i] = InetAddress.getByName("127.0.0." + (2 + i));
        long gapNanos = (long) (n / rate * 1e9);
        for (int i = 0; i < n; i++) {
            Ws ws = Ws.connect(host, port, sources[i % sources.length], path,
                    Map.of("User-Agent", CHROME, "X-Forwarded-For", ADDRESSES[i % ADDRESSES.length]), 20_000, 4096);
            ws.setReadTimeout(20_000);
            ws.readText(); // welcome
            if (i < returning) {
                // A returning customer: stored, with a conversation, like a shopper who chatted before and browses on.
                ws.sendText("{\"type\":\"message\",\"client_id\":\"r" + i + "\",\"text\":\"Hello again, just looking around\"}");
                while (!ws.readText().contains("\"ack\"")) {
                    // the conversation's own events come first or after: only the ack says it is stored
                }
            }
            ws.setReadTimeout(0);
            sockets.add(ws);
            int k = i;
            threads.add(Thread.ofVirtual().name("browse-" + i).start(() -> {
                try {
                    while (!stop) ws.readText(); // nothing is answered to a page frame but errors
                } catch (IOException | RuntimeException e) {
                    if (!stop) errors.increment();
                }
            }));
        }
        // One thread paces every socket (a view every gap / n, round robin, what is due sent together once a
        // millisecond) rather than a sleeping thread per socket: the load client shares the server's cores, and a
        // wake-up per view cost it more than the view's write.
        long step = Math.max(1, gapNanos / Math.max(1, n));
        threads.add(Thread.ofPlatform().name("browse-send").daemon().start(() -> {
            long[] page = new long[n];
            long next = System.nanoTime();
            int k = 0;
            while (!stop) {
                if (paused) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    next = System.nanoTime();
                    continue;
                }
                long wait = next - System.nanoTime();
                if (wait > 1_000_000) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    continue;
                }
                next += step;
                long p = ++page[k];
                // A discarded view (the floor): a page that is not http(s) is read, parsed and validated, then dropped.
                String url = discard ? "about:blank#v" + k + "/p" + p : "https://shop.test/v" + k + "/p" + p;
                try {
                    sockets.get(k).sendText("{\"type\":\"page\",\"url\":\"" + url + "\",\"title\":\"Product " + p
                            + "\",\"referrer\":\"https://shop.test/v" + k + "/p" + (p - 1) + "\"}");
                    sent.increment();
                } catch (IOException | RuntimeException e) {
                    if (!stop) errors.increment();
                }
                k = (k + 1) % n;
            }
        }));
    }

    @Override
    public void close() {
        stop = true;
        for (Ws ws : sockets) ws.closeQuietly();
    }
}
