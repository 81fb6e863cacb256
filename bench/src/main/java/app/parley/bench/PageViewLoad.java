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
            threads.add(Thread.ofVirtual().name("browse-send-" + i).start(() -> {
                long next = System.nanoTime() + (long) (Math.random() * gapNanos);
                long page = 0;
                try {
                    while (!stop) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        next += gapNanos;
                        page++;
                        ws.sendText("{\"type\":\"page\",\"url\":\"https://shop.test/v" + k + "/p" + page
                                + "\",\"title\":\"Product " + page + "\",\"referrer\":\"https://shop.test/v" + k + "/p" + (page - 1) + "\"}");
                        sent.increment();
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    if (!stop) errors.increment();
                }
            }));
        }
    }

    @Override
    public void close() {
        stop = true;
        for (Ws ws : sockets) ws.closeQuietly();
    }
}
