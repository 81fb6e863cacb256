package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatLoopTest {
    static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void visitorMessageReachesAgentAndReplyReachesVisitor() {
        TestParley.Api owner = app.owner();
        owner.patch("/auth/me", Map.of("status", "online"));
        try (TestSocket agent = TestSocket.agent(app, owner, null);
             TestSocket visitor = TestSocket.visitor(app, null, null)) {
            JsonNode welcome = agent.await("welcome");
            assertThat(welcome.path("tabs").path("mode").asText()).isEqualTo("single");
            JsonNode vWelcome = visitor.await("welcome");
            assertThat(vWelcome.path("account").path("online").asBoolean()).isTrue();
            assertThat(vWelcome.path("conversation").isNull()).isTrue();

            visitor.send(Map.of("type", "message", "client_id", "c1", "text", "Hi, my card is 4242 4242 4242 4242"));
            JsonNode ack = visitor.await("ack");
            assertThat(ack.path("message").path("text").asText()).isEqualTo("Hi, my card is **** **** **** 4242");

            JsonNode created = agent.await("message.created");
            assertThat(created.path("data").path("text").asText()).isEqualTo("Hi, my card is **** **** **** 4242");
            long conversationId = created.path("conversation_id").asLong();
            assertThat(agent.await("conversation.created").path("data").path("status").asText()).isEqualTo("open");

            owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("text", "Hello there"));
            JsonNode reply = visitor.await(n -> "message.created".equals(n.path("type").asText())
                    && "agent".equals(n.path("data").path("sub_type").asText()) && "message".equals(n.path("data").path("kind").asText()));
            assertThat(reply.path("data").path("text").asText()).isEqualTo("Hello there");
            assertThat(reply.path("data").path("agent").path("name").asText()).isEqualTo("Owner");
        }
    }
}
