package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Visitors who give their email while writing become contacts of their conversations, even when the journal
 * runs their "identify" and other visitors' messages in one batch (a cached conversation row must not write an
 * old contact back).
 */
class IdentifyWhileWritingTest {
    @Test
    void everyConversationKeepsItsContactWhenVisitorsIdentifyAndWriteAtOnce() throws Exception {
        try (TestParley app = TestParley.start(Map.of("PARLEY_VISITOR_MESSAGE_RATE", "1000"))) {
            int visitors = 20;
            ExecutorService pool = Executors.newFixedThreadPool(visitors);
            List<Future<Long>> conversations = new ArrayList<>();
            for (int v = 0; v < visitors; v++) {
                int n = v;
                conversations.add(pool.submit(() -> {
                    try (TestSocket s = TestSocket.visitor(app, null, null)) {
                        s.await("welcome");
                        s.send(Map.of("type", "message", "client_id", "a", "text", "hello"));
                        long id = s.await("ack").path("message").path("conversation_id").asLong();
                        for (int i = 0; i < 10; i++) {
                            if (i == 5) s.send(Map.of("type", "identify", "email", "shopper" + n + "@example.com"));
                            s.send(Map.of("type", "message", "client_id", "m" + i, "text", "message " + i));
                        }
                        for (int i = 0; i < 10; i++) s.await("ack");
                        return id;
                    }
                }));
            }
            TestParley.Api owner = app.owner();
            for (Future<Long> f : conversations) {
                JsonNode c = owner.get("/v2/conversations/" + f.get());
                assertThat(c.path("contact_id").isNull()).as("conversation %s lost its contact", c.path("id")).isFalse();
                assertThat(c.path("visitor").path("email").asText()).startsWith("shopper");
            }
            pool.shutdown();
        }
    }
}
