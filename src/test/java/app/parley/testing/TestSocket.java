package app.parley.testing;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client for tests: every frame it receives is kept, in order, to wait for and inspect. */
public final class TestSocket implements AutoCloseable {
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private TestSocket(HttpClient http, String url, String cookie, String origin) {
        this(http, url, cookie, origin, java.util.Map.of());
    }

    private TestSocket(HttpClient http, String url, String cookie, String origin, java.util.Map<String, String> headers) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        if (cookie != null) b.header("Cookie", cookie);
        if (origin != null) b.header("Origin", origin);
        this.ws = b.buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    inbox.add(Json.tree(partial.toString()));
                    partial.setLength(0);
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                closed.complete(status);
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    /** The chat box's socket; {@code visitorId} and {@code after} may be null. */
    public static TestSocket visitor(TestParley app, String visitorId, Long after) {
        String url = app.wsUrl() + "/ws/visitor?key=" + app.accountKey()
                + (visitorId == null ? "" : "&visitor=" + visitorId) + (after == null ? "" : "&after=" + after);
        return new TestSocket(HttpClient.newHttpClient(), url, null, null);
    }

    /** The chat box's socket of a new visitor, sending extra request headers (a User-Agent, say). */
    public static TestSocket visitor(TestParley app, java.util.Map<String, String> headers) {
        return new TestSocket(HttpClient.newHttpClient(), app.wsUrl() + "/ws/visitor?key=" + app.accountKey(), null, null, headers);
    }

    /** The chat box's socket of a known visitor ({@code visitorId} may be null), sending extra request headers. */
    public static TestSocket visitorWith(TestParley app, String visitorId, java.util.Map<String, String> headers) {
        return new TestSocket(HttpClient.newHttpClient(), app.wsUrl() + "/ws/visitor?key=" + app.accountKey()
                + (visitorId == null ? "" : "&visitor=" + visitorId), null, null, headers);
    }

    /** A new visitor's chat box on the account with chat key {@code key}, sending extra request headers. */
    public static TestSocket visitor(String wsBase, String key, java.util.Map<String, String> headers) {
        return new TestSocket(HttpClient.newHttpClient(), wsBase + "/ws/visitor?key=" + key, null, null, headers);
    }

    public static TestSocket visitor(String wsBase, String key, String visitorId, Long after) {
        String url = wsBase + "/ws/visitor?key=" + key
                + (visitorId == null ? "" : "&visitor=" + visitorId) + (after == null ? "" : "&after=" + after);
        return new TestSocket(HttpClient.newHttpClient(), url, null, null);
    }

    /** The chat box's socket from another loopback address (127.0.0.x), for limits per IP address. */
    public static TestSocket visitorFrom(TestParley app, String localAddress, String visitorId) {
        String url = app.wsUrl() + "/ws/visitor?key=" + app.accountKey() + (visitorId == null ? "" : "&visitor=" + visitorId);
        try {
            return new TestSocket(HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName(localAddress)).build(),
                    url, null, null);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The dashboard's socket, signed in with the API client's session cookie. */
    public static TestSocket agent(TestParley app, TestParley.Api api, Long after) {
        return agentAt(app.baseUrl(), api, after);
    }

    /** The dashboard's socket on the node at {@code baseUrl} (http://…), signed in with the API client's session cookie. */
    public static TestSocket agentAt(String baseUrl, TestParley.Api api, Long after) {
        String cookie = api.client().cookieHandler().map(h -> {
            try {
                return String.join("; ", h.get(URI.create(baseUrl), java.util.Map.of()).getOrDefault("Cookie", List.of()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(null);
        return new TestSocket(HttpClient.newHttpClient(), baseUrl.replaceFirst("^http", "ws") + "/ws/agent"
                + (after == null ? "" : "?after=" + after), cookie, baseUrl);
    }

    /** The agent socket of an integration, signed in with an API token. */
    public static TestSocket agentWithToken(TestParley app, String apiToken) {
        return new TestSocket(HttpClient.newHttpClient(), app.wsUrl() + "/ws/agent", null, null, java.util.Map.of("Authorization", "Bearer " + apiToken));
    }

    public static TestSocket raw(String url, String cookie, String origin) {
        return new TestSocket(HttpClient.newHttpClient(), url, cookie, origin);
    }

    public void send(Object frame) {
        ws.sendText(frame instanceof String s ? s : Json.write(frame), true).join();
    }

    /**
     * A fresh client id of letters only, as Parley's own clients make them: a random UUID's digits can pass for a
     * card number (Luhn and all), and the id then comes back masked and matches no ack.
     */
    public static String clientId() {
        StringBuilder s = new StringBuilder("c-");
        for (char ch : java.util.UUID.randomUUID().toString().replace("-", "").toCharArray()) {
            s.append(Character.isDigit(ch) ? (char) ('g' + ch - '0') : ch);
        }
        return s.toString();
    }

    /** The frames that are events of the log (numbered, not ephemeral, not the welcome). */
    public static List<JsonNode> durable(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.has("seq") && !f.path("ephemeral").asBoolean() && !"welcome".equals(f.path("type").asText())).toList();
    }

    /** The next frame that matches, skipping (but keeping) others; fails after 10 s. */
    public JsonNode await(Predicate<JsonNode> match) {
        return await(match, Duration.ofSeconds(10));
    }

    /** The next frame that matches, skipping (but keeping) others; fails after {@code within}. */
    public JsonNode await(Predicate<JsonNode> match, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            for (JsonNode n : seen) {
                if (!n.has("_taken") && match.test(n)) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_taken", true);
                    return n;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("No matching frame within " + within + "; got " + seen);
            try {
                JsonNode n = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (n != null) seen.add(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public JsonNode await(String type) {
        return await(n -> type.equals(n.path("type").asText()));
    }

    /** Every frame received so far (waiting {@code millis} for stragglers first). */
    public List<JsonNode> frames(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inbox.drainTo(seen);
        return List.copyOf(seen);
    }

    /** The close code, waiting up to 10 s. */
    public int closeCode() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The close code if the server closed within {@code wait}; fails otherwise. */
    public int closeCode(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("The socket was still open after " + wait.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        ws.abort();
    }
}
