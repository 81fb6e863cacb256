package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.ParleyProcess;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import app.parley.webhook.Receiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #15: three Parley nodes on one PostgreSQL. Node A runs in this JVM, B and C as processes of their own (so C
 * can be killed with SIGKILL). A visitor and an agent on different nodes chat; an agent resumes on another node
 * with its last sequence; webhooks go out once whichever node wrote the event; and C dies under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralNodesTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    /** A browser's: tracking keeps no pages of crawlers, and the JDK's client is not a browser. */
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static TestParley a;
    static ParleyProcess b;
    static ParleyProcess c;
    static Path root;
    static Jdbi jdbi;
    static long account;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        a = TestParley.start(Map.of("PARLEY_CLUSTER", "on", "PARLEY_VISITOR_MESSAGE_RATE", "1000"));
        jdbi = a.parley().database().jdbi();
        account = jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM agents WHERE email = :e")
                .bind("e", TestParley.OWNER_EMAIL).mapTo(Long.class).one());
        key = a.accountKey();
        root = Files.createTempDirectory("parley-nodes");
        Map<String, String> node = new HashMap<>();
        node.put("PARLEY_DATABASE_URL", a.databaseUrl());
        node.put("PARLEY_DATABASE_USER", "postgres");
        node.put("PARLEY_CLUSTER", "on");
        node.put("PARLEY_NEW_VISITORS_PER_IP_PER_MINUTE", "1000000");
        node.put("PARLEY_NEW_CONVERSATIONS_PER_IP_PER_MINUTE", "1000000");
        b = ParleyProcess.launch(root.resolve("b"), ParleyProcess.freePort(), node);
        c = ParleyProcess.launch(root.resolve("c"), ParleyProcess.freePort(), node);
        b.awaitHealth(200, Duration.ofSeconds(120));
        c.awaitHealth(200, Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (c != null) c.killJvm();
        if (b != null) b.killJvm();
        if (a != null) a.close();
    }

    @Test
    @Order(1)
    void aVisitorAndAnAgentOnDifferentNodesChatAndAnAgentResumingOnAnotherNodeGetsExactlyWhatItMissed() {
        long before;
        long conversation;
        String visitorId;
        try (TestSocket agentOnC = TestSocket.agentAt(c.baseUrl(), c.owner(), null);
             TestSocket visitorOnB = TestSocket.visitor(b.wsUrl(), key, Map.of("User-Agent", CHROME))) {
            agentOnC.await("welcome");
            visitorId = visitorOnB.await("welcome").get("visitor_id").asText();
            visitorOnB.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "hello from B"));
            conversation = visitorOnB.await("ack").path("message").path("conversation_id").asLong();
            agentOnC.await(f -> isMessage(f, "hello from B"), WITHIN);
            // Typing is ephemeral, never in the log: it crosses nodes as a notification.
            visitorOnB.send(Map.of("type", "typing", "typing", true, "draft", "and one more thi"));
            JsonNode typing = agentOnC.await(f -> "typing".equals(f.path("type").asText()), WITHIN);
            assertThat(typing.path("data").path("draft").asText()).isEqualTo("and one more thi");
            a.owner().expect(201, "POST", "/v2/conversations/" + conversation + "/messages", Map.of("text", "answer from A"));
            visitorOnB.await(f -> isMessage(f, "answer from A"), WITHIN);
            agentOnC.await(f -> isMessage(f, "answer from A"), WITHIN);
            // The card open on node C shows the pages the visitor opens through node B, live.
            long visitor = a.owner().get("/v2/conversations/" + conversation).path("visitor_id").asLong();
            agentOnC.send(Map.of("type", "watch", "visitor_id", visitor));
            agentOnC.send(Map.of("type", "ping"));
            agentOnC.await("pong");
            visitorOnB.send(Map.of("type", "page", "url", "https://shop.example/teas/sencha", "title", "Sencha"));
            JsonNode page;
            try {
                page = agentOnC.await(f -> "visitor.page".equals(f.path("type").asText())
                        && f.path("data").path("visitor_id").asLong() == visitor, WITHIN);
            } catch (AssertionError e) {
                throw new AssertionError("pages of " + visitor + ": " + jdbi.withHandle(h -> h.createQuery(
                        "SELECT concat_ws(' ', visitor_id, viewed_at, now(), url) FROM page_views").mapTo(String.class).list()), e);
            }
            assertThat(page.path("data").path("url").asText()).isEqualTo("https://shop.example/teas/sencha");
            before = lastSeq(agentOnC.frames(300));
        }
        // While the agent is away: the visitor writes through node A, a colleague leaves a note through node B.
        try (TestSocket visitorOnA = TestSocket.visitor(a.wsUrl(), key, visitorId, null)) {
            visitorOnA.await("welcome");
            for (int i = 0; i < 5; i++) {
                visitorOnA.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "away " + i));
                visitorOnA.await("ack");
            }
        }
        b.owner().expect(201, "POST", "/v2/conversations/" + conversation + "/messages", Map.of("type", "note", "text", "a note"));

        try (TestSocket agentOnB = TestSocket.agentAt(b.baseUrl(), b.owner(), before)) {
            assertThat(agentOnB.await("welcome").get("resync").asBoolean()).isFalse();
            c.owner().expect(201, "POST", "/v2/conversations/" + conversation + "/messages", Map.of("text", "live"));
            agentOnB.await(f -> isMessage(f, "live"), WITHIN);
            List<JsonNode> events = TestSocket.durable(agentOnB.frames(300));
            List<Long> seqs = events.stream().map(f -> f.get("seq").asLong()).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates().allMatch(s -> s > before);
            long last = seqs.getLast();
            List<Long> logged = jdbi.withHandle(h -> h.createQuery("""
                            SELECT seq FROM events WHERE account_id = :a AND seq > :after AND seq <= :last
                              AND agent_payload IS NOT NULL ORDER BY seq""")
                    .bind("a", account).bind("after", before).bind("last", last).mapTo(Long.class).list());
            assertThat(seqs).as("what the agent was told on node B is what the log holds, once, in order").isEqualTo(logged);
            List<String> texts = events.stream().filter(f -> "message.created".equals(f.path("type").asText()))
                    .filter(f -> !f.path("data").path("type").asText().equals("system"))
                    .map(f -> f.path("data").path("text").asText()).toList();
            assertThat(texts).containsExactly("away 0", "away 1", "away 2", "away 3", "away 4", "a note", "live");
        }
    }

    @Test
    @Order(2)
    void aConversationResolvedOnOneNodeReopensWhenTheVisitorWritesThroughAnother() {
        try (TestSocket visitorOnA = TestSocket.visitor(a.wsUrl(), key, null, null)) {
            visitorOnA.await("welcome");
            visitorOnA.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "first, through A"));
            long conversation = visitorOnA.await("ack").path("message").path("conversation_id").asLong();
            // Node A's journal now holds the conversation, open, in its cache. Node B resolves it.
            b.owner().expect(200, "POST", "/v2/conversations/" + conversation + "/resolve", null);
            assertThat(a.owner().get("/v2/conversations/" + conversation).path("status").asText()).isEqualTo("closed");
            for (int i = 0; i < 2; i++) {
                visitorOnA.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "again " + i));
                visitorOnA.await("ack");
                // Node A wrote on a stale cache once; its batch could not commit and ran again on what B wrote.
                JsonNode now = c.owner().get("/v2/conversations/" + conversation);
                assertThat(now.path("status").asText()).as("reopened by the visitor's message").isEqualTo("open");
                b.owner().expect(200, "POST", "/v2/conversations/" + conversation + "/resolve", null);
            }
            List<String> types = jdbi.withHandle(h -> h.createQuery("""
                            SELECT event_type FROM messages WHERE conversation_id = :c AND kind = 'event'
                              AND event_type IN ('chat_close', 'chat_reopen') ORDER BY id""")
                    .bind("c", conversation).mapTo(String.class).list());
            assertThat(types).as("each resolve and each reopen is in the timeline, once").containsExactly(
                    "chat_close", "chat_reopen", "chat_close", "chat_reopen", "chat_close");
        }
    }

    @Test
    @Order(3)
    void aWebhookGoesOutOnceWhicheverNodeWroteTheEvent() {
        try (Receiver receiver = new Receiver("nodes-secret-0123456789")) {
            JsonNode hook = a.owner().expect(201, "POST", "/v2/webhooks",
                    Map.of("url", receiver.url(), "events", List.of("conversation.contact_replied"), "secret", receiver.secret));
            List<String> texts = new ArrayList<>();
            for (ParleyProcess node : List.of(b, c)) {
                try (TestSocket visitor = TestSocket.visitor(node.wsUrl(), key, null, null)) {
                    visitor.await("welcome");
                    for (int i = 0; i < 3; i++) {
                        String text = "hook " + node.port + " " + i;
                        texts.add(text);
                        visitor.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", text));
                        visitor.await("ack");
                    }
                }
            }
            long id = hook.path("id").asLong();
            // Deliveries are rows made once per event and endpoint; once each is delivered, no node sends it again.
            Receiver.await("every message delivered", WITHIN, () -> {
                JsonNode items = a.owner().get("/v2/webhooks/" + id + "/deliveries").path("items");
                List<String> states = new ArrayList<>();
                items.forEach(d -> states.add(d.path("state").asText()));
                return states.size() == texts.size() && states.stream().allMatch("delivered"::equals);
            });
            for (String text : texts) {
                assertThat(receiver.accepted().stream().filter(h -> h.body().contains("\"" + text + "\"")))
                        .as("the delivery of \"%s\", once", text).hasSize(1);
            }
            a.owner().expect(204, "DELETE", "/v2/webhooks/" + id, null);
        }
    }

    @Test
    @Order(4)
    void whenANodeIsKilledUnderLoadItsClientsGoOnElsewhereAndNothingIsLostOrNumberedTwice() throws Exception {
        long start = jdbi.withHandle(h -> h.createQuery("SELECT seq FROM account_seqs WHERE account_id = :a").bind("a", account)
                .mapTo(Long.class).one());
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicLong killedAt = new AtomicLong();
        AtomicLong failover = new AtomicLong(-1);
        List<Long> told = new CopyOnWriteArrayList<>();
        try (TestSocket agentOnA = TestSocket.agentAt(a.baseUrl(), a.owner(), start)) {
            agentOnA.await("welcome");
            List<Writer> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) writers.add(new Writer(i % 2 == 0 ? c : b, acked, killedAt, failover));
            List<Thread> threads = writers.stream().map(w -> Thread.ofVirtual().start(w)).toList();
            awaitThat("messages acknowledged before the kill", () -> acked.size() >= 40);
            killedAt.set(System.nanoTime());
            c.killJvm();
            awaitThat("a client of the killed node to be answered by another", () -> failover.get() >= 0);
            int afterKill = acked.size();
            awaitThat("more messages after the kill", () -> acked.size() >= afterKill + 40);
            writers.forEach(Writer::stop);
            for (Thread t : threads) t.join(WITHIN.toMillis());
            System.out.printf("failover: a client of the killed node had its next message acknowledged by another node "
                    + "%.2f s after the kill%n", failover.get() / 1e9);

            long end = jdbi.withHandle(h -> h.createQuery("SELECT seq FROM account_seqs WHERE account_id = :a").bind("a", account)
                    .mapTo(Long.class).one());
            awaitThat("the agent on node A to be told of every event", () -> {
                for (JsonNode f : TestSocket.durable(agentOnA.frames(100))) told.add(f.get("seq").asLong());
                return !told.isEmpty() && told.getLast() >= end;
            });
            List<Long> logged = jdbi.withHandle(h -> h.createQuery("""
                            SELECT seq FROM events WHERE account_id = :a AND seq > :start AND seq <= :end ORDER BY seq""")
                    .bind("a", account).bind("start", start).bind("end", end).mapTo(Long.class).list());
            assertThat(logged).as("no sequence number skipped").hasSize((int) (end - start));
            List<Long> agentSees = jdbi.withHandle(h -> h.createQuery("""
                            SELECT seq FROM events WHERE account_id = :a AND seq > :start AND seq <= :end
                              AND agent_payload IS NOT NULL ORDER BY seq""")
                    .bind("a", account).bind("start", start).bind("end", end).mapTo(Long.class).list());
            assertThat(told.stream().filter(s -> s <= end).toList())
                    .as("the agent on a surviving node got every event, once, in order, whichever node wrote it").isEqualTo(agentSees);
        }
        Map<String, Long> stored = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT client_id, count(*) FROM messages WHERE client_id = ANY(:ids) GROUP BY client_id")
                .bindArray("ids", String.class, List.copyOf(acked))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> stored.put(e.getKey(), e.getValue())));
        assertThat(stored.keySet()).as("every acknowledged message is stored").containsExactlyInAnyOrderElementsOf(acked);
        assertThat(stored.values()).as("and stored once").containsOnly(1L);
    }

    /** A chat box that writes, each message after the last one's ack; when its node dies it goes to node B and resends. */
    private static final class Writer implements Runnable {
        private final List<String> acked;
        private final AtomicLong killedAt;
        private final AtomicLong failover;
        private ParleyProcess node;
        private boolean moved;
        private volatile boolean stopped;

        Writer(ParleyProcess node, List<String> acked, AtomicLong killedAt, AtomicLong failover) {
            this.node = node;
            this.acked = acked;
            this.killedAt = killedAt;
            this.failover = failover;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            String visitorId = null;
            String pending = null;
            TestSocket socket = null;
            while (!stopped) {
                try {
                    if (socket == null) {
                        socket = TestSocket.visitor(node.wsUrl(), key, visitorId, null);
                        visitorId = socket.await(f -> "welcome".equals(f.path("type").asText()), Duration.ofSeconds(5))
                                .get("visitor_id").asText();
                    }
                    if (pending == null) pending = TestSocket.clientId();
                    String id = pending;
                    socket.send(Map.of("type", "message", "client_id", id, "text", "load " + id));
                    awaitAck(socket, id);
                    acked.add(id);
                    pending = null;
                    if (moved) failover.compareAndSet(-1, System.nanoTime() - killedAt.get());
                } catch (RuntimeException | AssertionError died) {
                    // The node went away (or did not answer in time): the same message goes again, to a node that is up.
                    if (socket != null) socket.close();
                    socket = null;
                    if (killedAt.get() != 0 && node == c) {
                        node = b;
                        moved = true;
                    }
                }
            }
            if (socket != null) socket.close();
        }

        /** As a chat box does: a socket its node closed (killed: the peer resets it) is given up at once. */
        private static void awaitAck(TestSocket socket, String id) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                if (socket.isClosed()) throw new IllegalStateException("the node closed the socket");
                try {
                    socket.await(f -> "ack".equals(f.path("type").asText()) && id.equals(f.path("client_id").asText()), Duration.ofMillis(200));
                    return;
                } catch (AssertionError notYet) {
                    if (System.nanoTime() > deadline) throw notYet;
                }
            }
        }
    }

    private static Boolean awaitThat(String what, java.util.function.BooleanSupplier condition) {
        Receiver.await(what, WITHIN, condition);
        return true;
    }

    private static boolean isMessage(JsonNode f, String text) {
        return "message.created".equals(f.path("type").asText()) && text.equals(f.path("data").path("text").asText());
    }

    private static long lastSeq(List<JsonNode> frames) {
        long last = 0;
        for (JsonNode f : frames) if (f.has("seq") && !f.path("ephemeral").asBoolean()) last = Math.max(last, f.get("seq").asLong());
        return last;
    }
}
