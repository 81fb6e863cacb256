package app.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parley as several nodes on one database (issue #15): two {@code Parley}s in this JVM on the same PostgreSQL, as
 * behind a load balancer. An agent's tabs, a visitor's chat boxes and the sign-in budget count across the nodes,
 * and a node that stops beating is reaped with what it held. (In webhook's package for its {@link Receiver}.)

 * Every node runs the jobs, so a step (an agent going away, a visitor's grace ending) may run on either.
 */
class SharedPresenceTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static TestParley a;
    private static TestParley b;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        a = TestParley.start(Map.of("PARLEY_CLUSTER", "on", "PARLEY_NODE_TIMEOUT_SECONDS", "2", "PARLEY_BACKBONE_POLL_MS", "200",
                "PARLEY_VISITOR_LEFT_GRACE_MS", "3000"));
        b = a.anotherNode(Map.of());
        owner = a.owner();
        owner.expect(200, "PATCH", "/v2/account/settings", Map.of("away_after_seconds", 1, "offline_after_seconds", 60));
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void anAgentWithATabOnEachNodeStaysOnlineWhenOneClosesAndGoesAwayWhenBothHave() {
        a.createAgent("ann@shop.test", "Ann", "ann-password-1", "agent");
        TestParley.Api ann = a.login("ann@shop.test", "ann-password-1");
        long id = ann.agentId();
        TestSocket onA = TestSocket.agent(a, ann, null);
        onA.await("welcome");
        await("online", () -> "online".equals(status(ann)));
        try (TestSocket onB = TestSocket.agent(b, ann, null)) {
            onB.await("welcome");
            await("a tab counted on each node", () -> tabNodes(id) == 2);

            onA.close();
            await("node A to count no tab", () -> tabNodes(id) == 1);
            // The tab on node B holds her: no away step was queued, and for twice the grace nothing switches her.
            assertThat(absenceJobs(id)).isZero();
            List<JsonNode> seen = onB.frames(2500);
            assertThat(seen).noneMatch(f -> f.path("data").path("status").asText("").equals("away"));
            assertThat(status(ann)).isEqualTo("online");
        }
        // Her last tab anywhere closed (on node B): away after the grace, whichever node runs the step.
        await("away", () -> "away".equals(status(ann)));
    }

    @Test
    void aNodeThatStopsBeatingIsReapedWithItsTabsAndItsAgentGoesAway() {
        TestParley c = a.anotherNode(Map.of());
        try {
            a.createAgent("cid@shop.test", "Cid", "cid-password-1", "agent");
            TestParley.Api cid = a.login("cid@shop.test", "cid-password-1");
            long id = cid.agentId();
            UUID node = c.parley().nodes().id();
            TestSocket onA = TestSocket.agent(a, cid, null);
            onA.await("welcome");
            await("online", () -> "online".equals(status(cid)));
            TestSocket onC = TestSocket.agent(c, cid, null);
            onC.await("welcome");
            await("a tab counted on each node", () -> tabNodes(id) == 2);
            onA.close();
            await("his only tab left on node C", () -> tabNodes(id) == 1);
            assertThat(absenceJobs(id)).isZero();

            // Node C freezes (as a kill -9 would leave it: no heartbeat, no orderly stop); its socket stays open.
            c.parley().nodes().stopHeartbeat();
            await("node C reaped by another node", () -> count("SELECT count(*) FROM nodes WHERE id = '" + node + "'") == 0);
            assertThat(tabNodes(id)).isZero();
            await("away once the dead node's tab is no longer counted", () -> "away".equals(status(cid)));
            assertThat(count("SELECT count(*) FROM nodes")).isEqualTo(2);
            onC.close();
        } finally {
            c.close();
        }
    }

    @Test
    void aVisitorWhoseNextPageReachesTheOtherNodeIsNotDisconnected() {
        try (Receiver receiver = new Receiver("nodes-secret-0123456789ab")) {
            JsonNode hook = owner.expect(201, "POST", "/v2/webhooks", Map.of("url", receiver.url(),
                    "events", List.of("visitor.connected", "visitor.disconnected"), "secret", receiver.secret));
            TestSocket first = TestSocket.visitor(a, null, null);
            String visitor = first.await("welcome").path("visitor_id").asText();
            Receiver.await("visitor.connected", WITHIN, () -> !receiver.accepted().isEmpty());
            long visitorId = receiver.accepted().getFirst().envelope().path("data").path("visitor_id").asLong();

            // The next page's chat box reaches node B and the old page's closes on node A, within the grace.
            try (TestSocket next = TestSocket.visitor(b, visitor, null)) {
                next.await("welcome");
                await("node B to record the chat box", () -> boxNodes(visitorId) == 2);
                first.close();
                await("node A to forget its chat box", () -> boxNodes(visitorId) == 1);
                assertThat(leftJobs(visitorId)).as("no grace started while a chat box is open on node B").isZero();
            }
            Receiver.await("visitor.disconnected", WITHIN, () -> receiver.accepted().size() >= 2);
            assertThat(receiver.accepted().stream().map(Receiver.Hit::event).toList())
                    .containsExactly("visitor.connected", "visitor.disconnected");
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook.path("id").asLong(), null);
        }
    }

    @Test
    void failedSignInsOnOneNodeCountOnTheOther() throws Exception {
        // From an address of its own, so that the other tests' sign-ins from 127.0.0.1 keep their budget.
        HttpClient guesser = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.9")).build();
        // The budget is ten failed sign-ins a minute per address, refilled evenly (one every 6 s while hashes run).
        for (int i = 0; i < 10; i++) assertThat(signIn(guesser, a, "wrong-password-" + i)).as("try %d on A", i).isIn(401, 429);
        // Node B knows the budget spent on A: it refuses within a few tries, where a budget of its own would take ten.
        int triesOnB = 0;
        int answer = 0;
        while (answer != 429 && triesOnB < 6) {
            answer = signIn(guesser, b, "wrong-password-b" + triesOnB);
            triesOnB++;
        }
        assertThat(answer).as("B refused within %d tries", triesOnB).isEqualTo(429);
        assertThat(signIn(guesser, b, TestParley.OWNER_PASSWORD)).as("even the right password, until it refills").isEqualTo(429);
    }

    private static int signIn(HttpClient client, TestParley node, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("email", TestParley.OWNER_EMAIL, "password", password))))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String status(TestParley.Api api) {
        return api.get("/auth/me").path("agent").path("status").asText();
    }

    private static long tabNodes(long agentId) {
        return count("SELECT count(*) FROM agent_tabs WHERE agent_id = " + agentId);
    }

    private static long boxNodes(long visitorId) {
        return count("SELECT count(*) FROM visitor_boxes WHERE visitor_id = " + visitorId);
    }

    private static long absenceJobs(long agentId) {
        return count("SELECT count(*) FROM jobs WHERE kind = 'settings.agent_absence' AND payload LIKE '" + agentId + ":%'");
    }

    private static long leftJobs(long visitorId) {
        return count("SELECT count(*) FROM jobs WHERE kind = 'webhook.visitor_left' AND payload LIKE '%:" + visitorId + "'");
    }

    private static long count(String sql) {
        return a.parley().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Not reached within " + WITHIN.toSeconds() + " s: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
