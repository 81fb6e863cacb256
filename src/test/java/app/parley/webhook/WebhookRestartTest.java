package app.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A webhook endpoint that is down while Parley restarts loses nothing and gets nothing twice. */
class WebhookRestartTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    static TestParley app;
    static Api owner;

    @BeforeAll
    static void start() {
        // Retries every few milliseconds, capped at under two seconds, and never dead: the endpoint is back soon.
        app = TestParley.start(Map.of("PARLEY_BACKBONE_POLL_MS", "200", "PARLEY_WEBHOOK_RETRY_BASE_MS", "5",
                "PARLEY_WEBHOOK_MAX_ATTEMPTS", "100000"));
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void eventsMadeWhileTheEndpointIsDownAcrossARestartArriveAfterOnceAndInOrder() {
        try (Receiver receiver = new Receiver("restart-secret-0123456789a")) {
            long hook = register(receiver, List.of("conversation.contact_replied"));
            receiver.stop();
            String visitorId;
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitorId = visitor.await("welcome").path("visitor_id").asText();
                conversation = say(visitor, "before 1");
                say(visitor, "before 2");
            }
            app.restart();
            owner = app.owner();
            try (TestSocket visitor = TestSocket.visitor(app, visitorId, null)) {
                visitor.await("welcome");
                say(visitor, "after 1");
                say(visitor, "after 2");
            }
            receiver.startAgain();
            long c = conversation;
            Receiver.await("all four messages", WITHIN, () -> receiver.acceptedFor(c).size() >= 4);
            // Let any duplicate that would follow show itself: the log says every delivery is done.
            Receiver.await("every delivery settled", WITHIN, () -> stateOf(
                    owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), c).equals(List.of("delivered", "delivered", "delivered", "delivered")));
            assertThat(receiver.acceptedFor(c).stream()
                    .map(h -> h.envelope().path("data").path("message").path("text").asText()).toList())
                    .containsExactly("before 1", "before 2", "after 1", "after 2");
            // The endpoint really was unreachable for them: Parley tried and failed before it came back.
            int most = 0;
            for (JsonNode d : owner.get("/v2/webhooks/" + hook + "/deliveries").path("items")) most = Math.max(most, d.path("attempts").asInt());
            assertThat(most).isGreaterThan(1);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    private static long register(Receiver receiver, List<String> events) {
        JsonNode created = owner.expect(201, "POST", "/v2/webhooks",
                Map.of("url", receiver.url(), "events", events, "secret", receiver.secret));
        return created.path("id").asLong();
    }

    private static long say(TestSocket visitor, String text) {
        String clientId = TestSocket.clientId();
        visitor.send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode ack = visitor.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()));
        return ack.path("message").path("conversation_id").asLong();
    }

    private static List<String> stateOf(JsonNode items, long conversation) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : items) if (d.path("conversation_id").asLong() == conversation) out.add(d.path("state").asText());
        return out;
    }
}
