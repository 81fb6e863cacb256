package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md: a client that reconnects with its last sequence receives exactly what it missed, in order, once. */
class ResumeTest {
    static TestParley app;
    static TestParley.Api owner;

    @BeforeAll
    static void start() {
        // Visitors here write faster than a person: the per-visitor limit is not what this test is about.
        app = TestParley.start(Map.of("PARLEY_VISITOR_MESSAGE_RATE", "1000"));
        owner = app.owner();
        owner.patch("/auth/me", Map.of("status", "online"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long lastSeq(List<JsonNode> frames) {
        long last = 0;
        for (JsonNode f : frames) if (f.has("seq") && !f.path("ephemeral").asBoolean()) last = Math.max(last, f.get("seq").asLong());
        return last;
    }

    @Test
    void agentThatReconnectsGetsExactlyTheMissedEventsOnceAndInOrder() {
        long before;
        long conversationId;
        String visitorId;
        try (TestSocket agent = TestSocket.agent(app, owner, null); TestSocket visitor = TestSocket.visitor(app, null, null)) {
            agent.await("welcome");
            visitorId = visitor.await("welcome").get("visitor_id").asText();
            visitor.send(Map.of("type", "message", "client_id", "first", "text", "first"));
            conversationId = visitor.await("ack").path("message").path("conversation_id").asLong();
            agent.await("message.created");
            before = lastSeq(agent.frames(300));
        }
        // While the agent is away: visitor messages, a join, a note.
        try (TestSocket visitor = TestSocket.visitor(app, visitorId, null)) {
            visitor.await("welcome");
            for (int i = 0; i < 5; i++) {
                visitor.send(Map.of("type", "message", "client_id", "away-" + i, "text", "away " + i));
                visitor.await("ack");
            }
        }
        owner.expect(200, "POST", "/v2/conversations/" + conversationId + "/join", null);
        owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("type", "note", "text", "a note"));

        try (TestSocket agent = TestSocket.agent(app, owner, before)) {
            JsonNode welcome = agent.await("welcome");
            assertThat(welcome.get("resync").asBoolean()).isFalse();
            owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("text", "live"));
            agent.await(f -> "message.created".equals(f.path("type").asText()) && "live".equals(f.path("data").path("text").asText()));
            List<JsonNode> events = TestSocket.durable(agent.frames(300));

            List<Long> seqs = events.stream().map(f -> f.get("seq").asLong()).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates().allMatch(s -> s > before);
            List<String> texts = events.stream().filter(f -> "message.created".equals(f.path("type").asText()))
                    .map(f -> f.path("data").path("text").asText(f.path("data").path("event_type").asText())).toList();
            assertThat(texts).containsExactly("away 0", "away 1", "away 2", "away 3", "away 4", "agent_join", "a note", "live");

            // Applying what was seen to the old state gives what a fresh fetch gives.
            JsonNode thread = owner.get("/v2/conversations/" + conversationId + "/messages?limit=200").get("items");
            List<Long> fetched = new ArrayList<>();
            thread.forEach(m -> fetched.add(m.get("id").asLong()));
            List<Long> streamed = new ArrayList<>();
            streamed.add(thread.get(0).get("id").asLong());
            events.stream().filter(f -> "message.created".equals(f.path("type").asText()))
                    .forEach(f -> streamed.add(f.path("data").path("id").asLong()));
            assertThat(streamed).isEqualTo(fetched);
        }
    }

    @Test
    void visitorThatReconnectsGetsTheReplyItMissedButNeverANote() {
        String visitorId;
        long conversationId;
        long before;
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitorId = visitor.await("welcome").get("visitor_id").asText();
            visitor.send(Map.of("type", "message", "client_id", "v1", "text", "are you there?"));
            conversationId = visitor.await("ack").path("message").path("conversation_id").asLong();
            before = lastSeq(visitor.frames(300));
        }
        owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("type", "note", "text", "internal"));
        owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("text", "yes, here"));
        try (TestSocket visitor = TestSocket.visitor(app, visitorId, before)) {
            visitor.await("welcome");
            visitor.await(f -> "yes, here".equals(f.path("data").path("text").asText()));
            List<JsonNode> frames = visitor.frames(300);
            assertThat(frames).noneMatch(f -> "internal".equals(f.path("data").path("text").asText()));
            assertThat(frames.stream().filter(f -> "yes, here".equals(f.path("data").path("text").asText()))).hasSize(1);
        }
    }

    @Test
    void retriedSendIsStoredOnceAndAcknowledgedWithTheSameMessage() throws Exception {
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            visitor.send(Map.of("type", "message", "client_id", "same", "text", "once"));
            JsonNode first = visitor.await("ack");
            long conversationId = first.path("message").path("conversation_id").asLong();
            // The same id again, twice at once, as a client does after a lost ack.
            visitor.send(Map.of("type", "message", "client_id", "same", "text", "once"));
            visitor.send(Map.of("type", "message", "client_id", "same", "text", "once"));
            JsonNode second = visitor.await("ack");
            JsonNode third = visitor.await("ack");
            assertThat(second.path("message").path("id").asLong()).isEqualTo(first.path("message").path("id").asLong());
            assertThat(third.path("message").path("id").asLong()).isEqualTo(first.path("message").path("id").asLong());
            JsonNode items = owner.get("/v2/conversations/" + conversationId + "/messages").get("items");
            long copies = 0;
            for (JsonNode m : items) if ("once".equals(m.path("text").asText())) copies++;
            assertThat(copies).isEqualTo(1);
        }
    }

    @Test
    void manyVisitorsAtOnceWhileTheAgentKeepsReconnectingLoseNothing() throws Exception {
        int visitors = 20, each = 25;
        Set<String> received = new HashSet<>();
        List<Long> seqs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(visitors);
        long after;
        try (TestSocket first = TestSocket.agent(app, owner, null)) {
            after = first.await("welcome").get("seq").asLong();
        }
        List<Future<?>> senders = new ArrayList<>();
        for (int v = 0; v < visitors; v++) {
            int n = v;
            senders.add(pool.submit(() -> {
                try (TestSocket s = TestSocket.visitor(app, null, null)) {
                    s.await("welcome");
                    for (int i = 0; i < each; i++) {
                        s.send(Map.of("type", "message", "client_id", "m" + i, "text", "v" + n + "-" + i));
                        s.await("ack");
                    }
                }
                return null;
            }));
        }
        // The agent drops and resumes several times while the visitors write.
        boolean done = false;
        while (!done) {
            try (TestSocket agent = TestSocket.agent(app, owner, after)) {
                agent.await("welcome");
                done = senders.stream().allMatch(Future::isDone);
                for (JsonNode f : TestSocket.durable(agent.frames(done ? 800 : 150))) {
                    seqs.add(f.get("seq").asLong());
                    if ("message.created".equals(f.path("type").asText())) {
                        assertThat(received.add(f.path("data").path("text").asText())).as("delivered twice").isTrue();
                    }
                    after = Math.max(after, f.get("seq").asLong());
                }
            }
        }
        for (Future<?> f : senders) f.get();
        pool.shutdown();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(received).hasSize(visitors * each);
    }
}
