package app.parley.ui.dashboard;

import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A website visitor speaking docs/PROTOCOL.md over {@code /ws/visitor}, so dashboard tests can create
 * conversations, identify the visitor and type without a chat box in the page.
 */
final class VisitorSocketClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();

    private VisitorSocketClient(String baseUrl, String accountKey, String userAgent) throws Exception {
        String ws = baseUrl.replaceFirst("^http", "ws") + "/ws/visitor?key=" + URLEncoder.encode(accountKey, StandardCharsets.UTF_8);
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("User-Agent", userAgent)
                .connectTimeout(WAIT)
                .buildAsync(URI.create(ws), new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(f -> "welcome".equals(f.path("type").asText()));
    }

    static VisitorSocketClient connect(String baseUrl, String accountKey) throws Exception {
        return new VisitorSocketClient(baseUrl, accountKey,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
    }

    /** Sends a chat message and waits for its ack; returns the stored message. */
    JsonNode say(String text) throws Exception {
        String clientId = TestSocket.clientId();
        send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode ack = await(f -> ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()))
                && clientId.equals(f.path("client_id").asText()));
        if ("error".equals(ack.path("type").asText())) {
            throw new IllegalStateException("Message refused: " + ack);
        }
        return ack.path("message");
    }

    void identify(Map<String, ?> fields) throws Exception {
        ObjectNode frame = JSON.valueToTree(fields);
        frame.put("type", "identify");
        sendRaw(frame.toString());
    }

    void page(String url, String title) throws Exception {
        send(Map.of("type", "page", "url", url, "title", title, "referrer", "https://www.google.com/"));
    }

    void typing(boolean typing, String draft) throws Exception {
        send(Map.of("type", "typing", "typing", typing, "draft", draft));
    }

    /** Sends a frame with only a type, such as {@code close} (the visitor ends the chat). */
    void close(String type) throws Exception {
        send(Map.of("type", type));
    }

    void read(long messageId) throws Exception {
        send(Map.of("type", "read", "message_id", messageId));
    }

    /** Waits until a frame matching the predicate has arrived (already received frames count). */
    JsonNode await(Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode f : frames) {
                if (match.test(f)) return f;
            }
            sleep(25);
        }
        throw new AssertionError("No matching frame within " + WAIT + "; got " + frames);
    }

    /** Waits for a message.created from an agent with this text. */
    JsonNode awaitAgentMessage(String text) {
        return await(f -> "message.created".equals(f.path("type").asText())
                && "agent".equals(f.path("data").path("sub_type").asText())
                && text.equals(f.path("data").path("text").asText()));
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    private void send(Map<String, ?> frame) throws Exception {
        sendRaw(JSON.writeValueAsString(frame));
    }

    private void sendRaw(String text) throws Exception {
        socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("Server sent a frame that is not JSON: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
