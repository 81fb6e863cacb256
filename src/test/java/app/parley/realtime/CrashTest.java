package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.ParleyProcess;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A message the sender saw accepted survives a crash": Parley runs as its own process on its embedded
 * PostgreSQL; both are killed with SIGKILL while a visitor is writing; after a restart every acknowledged
 * message is there, once.
 */
class CrashTest {
    @TempDir
    Path root;

    @Test
    void everyAcknowledgedMessageSurvivesKillingServerAndDatabase() {
        int port = ParleyProcess.freePort();
        List<String> acked = new ArrayList<>();
        ParleyProcess server = ParleyProcess.start(root.resolve("data"), port);
        try {
            String key = server.chatKey();
            try (TestSocket visitor = TestSocket.visitor(server.wsUrl(), key, null, null)) {
                visitor.await("welcome");
                for (int i = 0; i < 200; i++) {
                    visitor.send(Map.of("type", "message", "client_id", "c" + i, "text", "message " + i));
                }
                // Take the acknowledgements that arrive before the kill; the rest were never promised.
                for (int i = 0; i < 100; i++) acked.add(visitor.await("ack").path("message").path("text").asText());
                server.killEverything();
            } catch (RuntimeException | AssertionError socketDied) {
                // the socket may notice the kill first; what was acknowledged is in `acked`
            }
        } finally {
            server.killEverything();
        }
        assertThat(acked).hasSize(100);

        try (ParleyProcess again = ParleyProcess.start(root.resolve("data"), port)) {
            TestParley.Api owner = again.owner();
            JsonNode conversations = owner.get("/v2/conversations?tab=all");
            long id = conversations.get("items").get(0).get("id").asLong();
            JsonNode items = owner.get("/v2/conversations/" + id + "/messages?limit=200").get("items");
            List<String> stored = new ArrayList<>();
            items.forEach(m -> stored.add(m.path("text").asText()));
            Set<String> unique = new HashSet<>(stored);
            assertThat(unique).hasSameSizeAs(stored).containsAll(acked);
        }
    }
}
