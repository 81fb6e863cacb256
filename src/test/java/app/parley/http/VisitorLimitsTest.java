package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * New visitors and new conversations per IP address. Small budgets, refilled over a minute: a test takes far
 * less, so the counts are exact. Each test connects from its own loopback address (127.0.0.x).
 */
class VisitorLimitsTest {
    private static final int NEW_VISITORS = 3;
    private static final int NEW_CONVERSATIONS = 2;
    private static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_NEW_VISITORS_PER_IP_PER_MINUTE", String.valueOf(NEW_VISITORS),
                "PARLEY_NEW_CONVERSATIONS_PER_IP_PER_MINUTE", String.valueOf(NEW_CONVERSATIONS)));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void newVisitorsBeyondTheBudgetOfOneAddressAreRefusedWithRateLimited() {
        List<TestSocket> open = new ArrayList<>();
        try {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < NEW_VISITORS; i++) {
                TestSocket s = TestSocket.visitorFrom(app, "127.0.0.21", null);
                open.add(s);
                keys.add(s.await("welcome").path("visitor_id").asText());
            }
            assertThat(keys).doesNotHaveDuplicates();

            TestSocket refused = TestSocket.visitorFrom(app, "127.0.0.21", null);
            open.add(refused);
            JsonNode error = refused.await("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
            assertThat(error.path("limit").asText()).isEqualTo("network");
            assertThat(refused.closeCode()).isEqualTo(4429);

            // A visitor the server already knows (a reload) is no new visitor: it still comes in.
            TestSocket reload = TestSocket.visitorFrom(app, "127.0.0.21", keys.getFirst());
            open.add(reload);
            assertThat(reload.await("welcome").path("visitor_id").asText()).isEqualTo(keys.getFirst());
            // Another address has a budget of its own.
            TestSocket elsewhere = TestSocket.visitorFrom(app, "127.0.0.23", null);
            open.add(elsewhere);
            elsewhere.await("welcome");
        } finally {
            open.forEach(TestSocket::close);
        }
    }

    @Test
    void newConversationsBeyondTheBudgetOfOneAddressAreRefusedWithRateLimited() {
        List<TestSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < NEW_CONVERSATIONS; i++) {
                TestSocket s = TestSocket.visitorFrom(app, "127.0.0.22", null);
                open.add(s);
                s.await("welcome");
                String first = "c" + i, second = "d" + i;
                s.send(Map.of("type", "message", "client_id", first, "text", "Hello " + i));
                assertThat(s.await(f -> f.path("client_id").asText().equals(first)).path("type").asText()).isEqualTo("ack");
                // A visitor's next message goes to the conversation they have: no new one, nothing spent.
                s.send(Map.of("type", "message", "client_id", second, "text", "Again " + i));
                assertThat(s.await(f -> f.path("client_id").asText().equals(second)).path("type").asText()).isEqualTo("ack");
            }
            long before = conversations();

            TestSocket third = TestSocket.visitorFrom(app, "127.0.0.22", null);
            open.add(third);
            third.await("welcome");
            third.send(Map.of("type", "message", "client_id", "c-third", "text", "Hello too"));
            JsonNode answer = third.await(f -> f.path("client_id").asText().equals("c-third"));
            assertThat(answer.path("type").asText()).isEqualTo("error");
            assertThat(answer.path("code").asText()).isEqualTo("rate_limited");
            assertThat(answer.path("limit").asText()).isEqualTo("network");
            assertThat(conversations()).isEqualTo(before);
        } finally {
            open.forEach(TestSocket::close);
        }
    }

    @Test
    void messagesAVisitorSendsBeforeTheFirstAckOpenOneConversationNotMany() {
        // A chat box that reconnects sends its whole outbox at once, before the first ack says which conversation
        // the messages went to: all of them together are one new conversation.
        try (TestSocket s = TestSocket.visitorFrom(app, "127.0.0.24", null)) {
            s.await("welcome");
            int burst = NEW_CONVERSATIONS + 3;
            for (int i = 0; i < burst; i++) s.send(Map.of("type", "message", "client_id", "b" + i, "text", "Burst " + i));
            for (int i = 0; i < burst; i++) {
                String id = "b" + i;
                assertThat(s.await(f -> f.path("client_id").asText().equals(id)).path("type").asText()).as(id).isEqualTo("ack");
            }
        }
    }

    private static long conversations() {
        return app.parley().database().jdbi().withHandle(h ->
                h.createQuery("SELECT count(*) FROM conversations").mapTo(Long.class).one());
    }
}
