package app.parley.webhook;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * A shop's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that checks each request's signature the
 * way docs/WEBHOOKS.md tells receivers to, records what arrived, and answers what the test decides.
 */
public final class Receiver implements AutoCloseable {
    /** One request as it arrived; {@code status} is what the receiver answered. */
    public record Hit(String deliveryId, String event, String body, JsonNode envelope, boolean signatureValid, int status) {
        long conversationId() {
            return envelope.path("data").path("conversation_id").asLong(-1);
        }
    }

    public final String secret;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Hit> answer = h -> 200;
    private HttpServer server;
    private int port;

    public Receiver(String secret) {
        this.secret = secret;
        start(0);
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks/parley";
    }

    /** What to answer each request (the hit's status is not yet set when it is asked). */
    void answer(ToIntFunction<Hit> answer) {
        this.answer = answer;
    }

    /** Stops listening: Parley's connections are refused until {@link #startAgain()}. */
    void stop() {
        server.stop(0);
    }

    void startAgain() {
        start(port);
    }

    private void start(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/hooks/parley", exchange -> {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            String sent = exchange.getRequestHeaders().getFirst("X-Parley-Signature");
            String expected = Signature.of(secret, body);
            boolean valid = sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII),
                    expected.getBytes(StandardCharsets.US_ASCII));
            JsonNode envelope = Json.tree(body);
            Hit hit = new Hit(exchange.getRequestHeaders().getFirst("X-Parley-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Parley-Event"), body, envelope, valid, 0);
            int status = valid ? answer.applyAsInt(hit) : 401;
            hits.add(new Hit(hit.deliveryId(), hit.event(), body, envelope, valid, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    List<Hit> hits() {
        return new ArrayList<>(hits);
    }

    /** Requests this receiver accepted (2xx), in arrival order. */
    public List<Hit> accepted() {
        return hits.stream().filter(h -> h.status() / 100 == 2).toList();
    }

    List<Hit> acceptedFor(long conversationId) {
        return accepted().stream().filter(h -> h.conversationId() == conversationId).toList();
    }

    public static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
