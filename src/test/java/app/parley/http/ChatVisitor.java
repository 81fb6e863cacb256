package app.parley.http;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A visitor in the chat box for API tests: a real visitor socket that writes and waits for the server's answer. */
final class ChatVisitor implements AutoCloseable {
    final TestSocket socket;
    final String visitorKey;
    private Long conversationId;

    private ChatVisitor(TestSocket socket) {
        this.socket = socket;
        this.visitorKey = socket.await("welcome").path("visitor_id").asText();
    }

    /** A new visitor of the test's first account. */
    static ChatVisitor connect(TestParley app) {
        return new ChatVisitor(TestSocket.visitor(app, null, null));
    }

    /** A new visitor of the account with chat key {@code key}. */
    static ChatVisitor connect(TestParley app, String key) {
        return new ChatVisitor(TestSocket.visitor(app.wsUrl(), key, null, null));
    }

    /** A new visitor of the account with chat key {@code key} whose browser sends these request headers. */
    static ChatVisitor connect(TestParley app, String key, Map<String, String> headers) {
        return new ChatVisitor(TestSocket.visitor(app.wsUrl(), key, headers));
    }

    /** A new visitor of the test's first account whose browser sends these request headers. */
    static ChatVisitor connect(TestParley app, Map<String, String> headers) {
        return new ChatVisitor(TestSocket.visitor(app, headers));
    }

    /** A visitor who has written one message: their new conversation. */
    static ChatVisitor withConversation(TestParley app, String firstMessage) {
        ChatVisitor v = connect(app);
        v.say(firstMessage);
        return v;
    }

    /** The page routes the visitor to a group (smartsupp('group', KEY)); send before the first message. */
    void routeToGroup(String groupKey) {
        socket.send(Map.of("type", "identify", "group", groupKey));
    }

    /** Sends a chat message and waits for its ack; returns the stored message. */
    JsonNode say(String text) {
        String clientId = TestSocket.clientId();
        socket.send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode answer = socket.await(f -> ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()))
                && clientId.equals(f.path("client_id").asText()));
        if (!"ack".equals(answer.path("type").asText())) throw new AssertionError("Message refused: " + answer);
        conversationId = answer.path("message").path("conversation_id").asLong();
        return answer.path("message");
    }

    /** Sends a frame and waits for the error frame it causes. */
    JsonNode refused(Map<String, ?> frame) {
        socket.send(frame);
        return socket.await("error");
    }

    long conversationId() {
        if (conversationId == null) throw new IllegalStateException("This visitor has not written yet.");
        return conversationId;
    }

    @Override
    public void close() {
        socket.close();
    }
}
