package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A graceful restart in the middle of a chat loses nothing, and a client's resends are stored once. */
class RestartTest {
    @Test
    void visitorWritingThroughARestartEndsWithEveryMessageStoredOnce() {
        try (TestParley app = TestParley.start(Map.of("PARLEY_VISITOR_MESSAGE_RATE", "1000"))) {
            int total = 60;
            Set<String> acked = new LinkedHashSet<>();
            String visitorId;
            long conversationId;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitorId = visitor.await("welcome").get("visitor_id").asText();
                visitor.send(Map.of("type", "message", "client_id", "m0", "text", "message 0"));
                conversationId = visitor.await("ack").path("message").path("conversation_id").asLong();
                acked.add("m0");
                for (int i = 1; i < total; i++) {
                    visitor.send(Map.of("type", "message", "client_id", "m" + i, "text", "message " + i));
                }
                app.restart();
                for (JsonNode f : visitor.frames(200)) {
                    if ("ack".equals(f.path("type").asText())) acked.add(f.get("client_id").asText());
                }
            }
            // The chat box resends everything it has no ack for, with the same client ids.
            try (TestSocket visitor = TestSocket.visitor(app, visitorId, null)) {
                visitor.await("welcome");
                for (int i = 0; i < total; i++) {
                    if (acked.contains("m" + i)) continue;
                    visitor.send(Map.of("type", "message", "client_id", "m" + i, "text", "message " + i));
                    visitor.await(f -> "ack".equals(f.path("type").asText()));
                }
                // Resending something already acknowledged changes nothing either.
                visitor.send(Map.of("type", "message", "client_id", "m0", "text", "message 0"));
                visitor.await("ack");
            }
            JsonNode items = app.owner().get("/v2/conversations/" + conversationId + "/messages?limit=200").get("items");
            List<String> texts = new ArrayList<>();
            items.forEach(m -> texts.add(m.path("text").asText()));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < total; i++) expected.add("message " + i);
            assertThat(texts).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
