package app.parley.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code --messenger 1}: Facebook Messenger load beside the chat. A stand-in Graph API on loopback (the port
 * bench/run gave the server as PARLEY_GRAPH_API_URL) answers the page check and profile look-ups; a page is
 * connected through Parley's API; then {@code senders} threads post signed webhook bodies of 10 customer messages
 * each, as Meta does, to {@code /webhooks/messenger}, each as soon as the previous one was answered. What counts
 * is how many events Parley has processed (stored as messages), read from its database, not how many POSTs it
 * answered (that is only the store-then-answer step).
 */
final class MessengerLoad implements AutoCloseable {
    static final String SECRET = "bench-messenger-app-secret";
    static final String PAGE = "104857291736482";
    private static final String TOKEN = "bench-page-token";

    final LongAdder posted = new LongAdder();
    final LongAdder refused = new LongAdder();
    /** Events offered (POSTs started), by the flood and the paced mode alike. */
    final LongAdder offered = new LongAdder();
    /** Events the agent socket saw stored (message.created with a bench mid). */
    final LongAdder processed = new LongAdder();
    /** --messenger-rate: bodies due that could not start because 256 POSTs were still open (the client saturated). */
    final LongAdder skipped = new LongAdder();
    /** Acceptance (200) → message.created on the agent socket, per event. */
    final Recorder lag = new Recorder(600 * 1_000_000_000L, 3);
    // When each body was answered 200 (System.nanoTime), by body number: the lag is measured from there.
    private final AtomicLongArray acceptedAt = new AtomicLongArray(1 << 21);
    private final AtomicLong bodies = new AtomicLong();
    private final Semaphore open = new Semaphore(256);
    private final HttpServer graph;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    MessengerLoad(int graphPort, String base) throws IOException {
        this.base = base;
        graph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), graphPort), 256);
        graph.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        graph.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/v19.0/me")
                    ? "{\"id\":\"" + PAGE + "\",\"name\":\"Bench Page\"}"
                    : "{\"first_name\":\"Bench\",\"last_name\":\"Customer\",\"id\":\"" + path.substring(path.lastIndexOf('/') + 1) + "\"}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        graph.start();
    }

    /** Connects the page as an admin would (Parley checks the token with the stand-in Graph API). */
    void connect(String cookie, String csrf) throws Exception {
        String body = "{\"app_id\":\"1297461903848211\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"bench\","
                + "\"page_id\":\"" + PAGE + "\",\"page_access_token\":\"" + TOKEN + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/channels/messenger"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IOException("messenger page: " + r.statusCode() + " " + r.body());
    }

    /** Starts the senders: each posts a signed body of 10 messages (from 10 of {@code customers} PSIDs), then the next. */
    void start(int senders, int customers) {
        running = true;
        for (int s = 0; s < senders; s++) {
            threads.add(Thread.ofVirtual().name("messenger-load-" + s).start(() -> {
                while (running) {
                    if (!post(customers)) return;
                }
            }));
        }
    }

    /**
     * {@code --messenger-rate}: offers {@code eventsPerSecond} events as bodies of 10 on a fixed schedule (open loop:
     * body k is due at t0 + k/rate whatever happened to the earlier ones), each POST on its own virtual thread, at
     * most 256 open; a body due while 256 are open is counted as skipped, not queued.
     */
    void startPaced(double eventsPerSecond, int customers) {
        running = true;
        long every = (long) (10 * 1e9 / eventsPerSecond);
        threads.add(Thread.ofPlatform().name("messenger-paced").daemon().start(() -> {
            long t0 = System.nanoTime();
            for (long k = 0; running; k++) {
                long due = t0 + k * every;
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && running) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                }
                if (!running) return;
                if (!open.tryAcquire()) {
                    skipped.add(10);
                    continue;
                }
                Thread.ofVirtual().start(() -> {
                    try {
                        post(customers);
                    } finally {
                        open.release();
                    }
                });
            }
        }));
    }

    /** One signed body of 10 messages; false when interrupted. */
    private boolean post(int customers) {
        long b = bodies.getAndIncrement();
        byte[] body = body(b, customers);
        offered.add(10);
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/messenger"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", sign(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                if (b < acceptedAt.length()) acceptedAt.compareAndSet((int) b, 0, System.nanoTime());
                posted.add(10);
            } else {
                refused.increment();
            }
            return true;
        } catch (IOException e) {
            refused.increment();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * A message.created frame on the agent socket at {@code now}: a bench mid counts as processed, timed from its
     * body's 200. (A 200 that reaches the client after the message was announced counts as no lag.)
     */
    void created(String frame, long now) {
        int i = frame.indexOf("\"client_id\":\"m_bench");
        if (i < 0) return;
        int from = i + 20;
        int to = frame.indexOf('"', from);
        long n;
        try {
            n = Long.parseLong(frame, from, to, 10);
        } catch (NumberFormatException e) {
            return;
        }
        processed.increment();
        long b = n / 10;
        if (b < acceptedAt.length()) {
            long at = acceptedAt.get((int) b);
            lag.recordValue(Math.min(Math.max(0, at == 0 ? 0 : now - at), 600 * 1_000_000_000L));
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(Duration.ofSeconds(40));
        threads.clear();
        // The paced mode's POSTs still open finish (or time out) before the figures after the loop are taken.
        if (open.tryAcquire(256, 40, java.util.concurrent.TimeUnit.SECONDS)) open.release(256);
    }

    private byte[] body(long bodyNumber, int customers) {
        StringBuilder b = new StringBuilder("{\"object\":\"page\",\"entry\":[{\"time\":").append(System.currentTimeMillis())
                .append(",\"id\":\"").append(PAGE).append("\",\"messaging\":[");
        for (int i = 0; i < 10; i++) {
            long n = bodyNumber * 10 + i;
            if (i > 0) b.append(',');
            b.append("{\"sender\":{\"id\":\"").append(7_000_000_000_000_000L + n % customers).append("\"},\"recipient\":{\"id\":\"")
                    .append(PAGE).append("\"},\"timestamp\":").append(System.currentTimeMillis())
                    .append(",\"message\":{\"mid\":\"m_bench").append(n).append("\",\"text\":\"Is the teapot \\u2615 in stock? #")
                    .append(n).append("\"}}");
        }
        return b.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        graph.stop(0);
    }
}
