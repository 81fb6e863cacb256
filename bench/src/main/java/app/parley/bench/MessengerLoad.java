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
import java.util.concurrent.atomic.AtomicLong;
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
    private final HttpServer graph;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final AtomicLong mids = new AtomicLong();
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
                    byte[] body = body(customers);
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/messenger"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .header("X-Hub-Signature-256", sign(body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) posted.add(10);
                        else refused.increment();
                    } catch (IOException e) {
                        refused.increment();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(Duration.ofSeconds(40));
    }

    private byte[] body(int customers) {
        StringBuilder b = new StringBuilder("{\"object\":\"page\",\"entry\":[{\"time\":").append(System.currentTimeMillis())
                .append(",\"id\":\"").append(PAGE).append("\",\"messaging\":[");
        for (int i = 0; i < 10; i++) {
            long n = mids.incrementAndGet();
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
