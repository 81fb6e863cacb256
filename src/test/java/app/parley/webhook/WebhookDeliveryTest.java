package app.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.AccessChanges;
import app.parley.instance.Instance;
import app.parley.store.EventConsumers;
import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outgoing webhooks (docs/WEBHOOKS.md) against a real HTTP endpoint that verifies signatures: each event once,
 * in order per conversation, retried until a 2xx, dead after the last attempt and visible, and nothing lost or
 * sent twice when the endpoint is down across a Parley restart.
 */
class WebhookDeliveryTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final List<String> ALL_EVENTS = List.of("conversation.opened", "conversation.closed",
            "conversation.closed_by_contact", "conversation.rated", "conversation.agent_assigned",
            "conversation.agent_unassigned", "conversation.agent_joined", "conversation.agent_left",
            "conversation.agent_replied", "conversation.contact_replied", "contact.updated");
    static TestParley app;
    static Api owner;

    @BeforeAll
    static void start() {
        // Quick retries and a quick poll, so failures and restarts play out in a test's time.
        app = TestParley.start(Map.of("PARLEY_BACKBONE_POLL_MS", "200", "PARLEY_WEBHOOK_RETRY_BASE_MS", "50",
                "PARLEY_WEBHOOK_MAX_ATTEMPTS", "6", "PARLEY_VISITOR_LEFT_GRACE_MS", "4000"));
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aHealthyEndpointGetsEachEventOnceInOrderSignedAndWithoutCardNumbers() {
        try (Receiver receiver = new Receiver("healthy-secret-0123456789")) {
            long hook = register(receiver, ALL_EVENTS);
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                conversation = say(visitor, "one");
                say(visitor, "two, my card is 4242 4242 4242 4242");
                say(visitor, "three");
                owner.expect(201, "POST", "/v2/conversations/" + conversation + "/messages", Map.of("text", "Hello from the shop"));
                owner.expect(200, "POST", "/v2/conversations/" + conversation + "/resolve", null);
            }
            long c = conversation;
            Receiver.await("the closing event", WITHIN, () -> receiver.acceptedFor(c).stream()
                    .anyMatch(h -> h.event().equals("conversation.closed")));

            List<Receiver.Hit> hits = receiver.acceptedFor(c);
            assertThat(hits).allMatch(Receiver.Hit::signatureValid);
            assertThat(hits.stream().map(Receiver.Hit::deliveryId).distinct().count()).isEqualTo(hits.size());
            assertThat(hits.stream().map(Receiver.Hit::event).toList()).containsExactly(
                    "conversation.opened", "conversation.contact_replied", "conversation.contact_replied",
                    "conversation.contact_replied", "conversation.agent_joined", "conversation.agent_replied",
                    "conversation.closed");
            assertThat(hits.stream().filter(h -> h.event().equals("conversation.contact_replied"))
                    .map(h -> h.envelope().path("data").path("message").path("text").asText()).toList())
                    .containsExactly("one", "two, my card is **** **** **** 4242", "three");
            for (Receiver.Hit h : hits) {
                assertThat(h.envelope().path("type").asText()).isEqualTo("event_callback");
                assertThat(h.envelope().path("event").asText()).isEqualTo(h.event());
                assertThat(h.envelope().path("account_id").asLong()).isPositive();
                assertThat(h.envelope().path("timestamp").asText()).isNotBlank();
                assertThat(h.body()).doesNotContain("4242 4242 4242 4242").doesNotContain("4242424242424242");
            }

            Receiver.await("the log to show every delivery delivered", WITHIN, () -> stateOf(
                    owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), c).stream().allMatch("delivered"::equals));
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void aFailingDeliveryIsRetriedUntilA2xxAndHoldsBackOnlyItsConversation() {
        try (Receiver receiver = new Receiver("flaky-secret-0123456789ab")) {
            long hook = register(receiver, List.of("conversation.contact_replied"));
            // A1 fails until B1, written while A1 is failing, has arrived: B's conversation is not held back.
            AtomicBoolean b1Arrived = new AtomicBoolean();
            receiver.answer(h -> switch (text(h)) {
                case "A1" -> b1Arrived.get() ? 200 : 500;
                case "B1" -> {
                    b1Arrived.set(true);
                    yield 200;
                }
                default -> 200;
            });
            long a;
            long b;
            try (TestSocket va = TestSocket.visitor(app, null, null); TestSocket vb = TestSocket.visitor(app, null, null)) {
                va.await("welcome");
                vb.await("welcome");
                a = say(va, "A1");
                say(va, "A2");
                Receiver.await("A1 to fail once", WITHIN, () -> receiver.hits().stream().anyMatch(h -> h.status() == 500));
                b = say(vb, "B1");
            }
            long ca = a;
            long cb = b;
            Receiver.await("conversation A's messages", WITHIN, () -> receiver.acceptedFor(ca).size() == 2);
            Receiver.await("conversation B's message", WITHIN, () -> receiver.acceptedFor(cb).size() == 1);

            // A2 waited behind A1: it arrived after A1's success, and never before.
            List<Receiver.Hit> all = receiver.hits().stream().filter(h -> h.conversationId() == ca).toList();
            assertThat(all.stream().map(h -> text(h) + ":" + h.status())).last().isEqualTo("A2:200");
            assertThat(all.stream().filter(h -> text(h).equals("A2"))).hasSize(1);
            assertThat(all.stream().filter(h -> text(h).equals("A1") && h.status() == 500)).isNotEmpty();
            // Delivered once: one 2xx per delivery id, however many tries it took.
            Set<String> seen = new HashSet<>();
            for (Receiver.Hit h : receiver.accepted()) assertThat(seen.add(h.deliveryId())).as(h.deliveryId()).isTrue();

            // The receiver has answered before Parley records it: wait for the log to say so.
            Receiver.await("the log to show A delivered", WITHIN, () -> stateOf(
                    owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), ca).equals(List.of("delivered", "delivered")));
            assertThat(maxAttempts(owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), ca)).isGreaterThan(1);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    private static String text(Receiver.Hit h) {
        return h.envelope().path("data").path("message").path("text").asText();
    }

    @Test
    void anAlwaysFailingEndpointEndsInADeadLetterTheAdminSeesAndCanResend() {
        try (Receiver receiver = new Receiver("broken-secret-0123456789ab")) {
            receiver.answer(h -> 500);
            long hook = register(receiver, List.of("conversation.contact_replied"));
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                conversation = say(visitor, "Is anyone there?");
            }
            long c = conversation;
            Receiver.await("the dead letter", WITHIN, () -> stateOf(
                    owner.expect(200, "GET", "/v2/webhooks/" + hook + "/deliveries", null).path("items"), c).contains("dead"));
            JsonNode dead = deliveriesOf(owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), c).getFirst();
            assertThat(dead.path("attempts").asInt()).isEqualTo(6);
            assertThat(dead.path("last_status").asInt()).isEqualTo(500);
            assertThat(dead.path("last_error").asText()).contains("500");
            assertThat(receiver.hits().stream().filter(h -> h.conversationId() == c)).hasSize(6);
            // A dead letter keeps its body: it may be resent after its event has left the log.
            String kept = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT body FROM webhook_deliveries WHERE id = :d").bind("d", dead.path("id").asLong()).mapTo(String.class).one());
            assertThat(kept).isEqualTo(receiver.hits().stream().filter(h -> h.conversationId() == c).findFirst().orElseThrow().body());
            JsonNode listed = find(owner.get("/v2/webhooks"), hook);
            assertThat(listed.path("dead_deliveries").asInt()).isEqualTo(1);

            receiver.answer(h -> 204);
            JsonNode resent = owner.expect(202, "POST", "/v2/webhooks/" + hook + "/deliveries/" + dead.path("id").asLong() + "/resend", null);
            assertThat(resent.path("state").asText()).isEqualTo("pending");
            Receiver.await("the resent delivery", WITHIN, () -> receiver.acceptedFor(c).size() == 1);
            assertThat(receiver.acceptedFor(c).getFirst().deliveryId()).isEqualTo(dead.path("id").asText());
            Receiver.await("the delivered state", WITHIN, () -> stateOf(
                    owner.get("/v2/webhooks/" + hook + "/deliveries").path("items"), c).equals(List.of("delivered")));
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void aVisitorWhoGivesTheirDetailsMakesOneContactCreated() {
        try (Receiver receiver = new Receiver("contact-secret-0123456789")) {
            long hook = register(receiver, List.of("contact.created"));
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                say(visitor, "Where is my order?");
                visitor.send(Map.of("type", "identify", "name", "Jana Nováková", "email", "jana@example.com"));
                Receiver.await("contact.created", WITHIN, () -> !receiver.accepted().isEmpty());
                // Giving more details later updates the same contact: no second contact.created.
                visitor.send(Map.of("type", "identify", "phone", "+420 777 123 456"));
                say(visitor, "Thanks");
            }
            Receiver.Hit hit = receiver.accepted().getFirst();
            assertThat(hit.signatureValid()).isTrue();
            assertThat(hit.event()).isEqualTo("contact.created");
            JsonNode contact = hit.envelope().path("data").path("contact");
            assertThat(contact.path("email").asText()).isEqualTo("jana@example.com");
            assertThat(contact.path("name").asText()).isEqualTo("Jana Nováková");
            assertThat(contact.path("id").asLong()).isPositive();
            // The consumer queues deliveries in the transaction that moves its cursor, and the sender writes each
            // one's row with its outcome: once the cursor has passed everything and the endpoint's jobs are done, the
            // log holds every delivery there will be.
            long account = owner.me().path("account").path("id").asLong();
            long last = app.parley().journal().lastSeq(account);
            Receiver.await("the webhook consumer to pass the last event", WITHIN, () -> app.parley().database().jdbi()
                    .withHandle(h -> EventConsumers.cursors(h, account)).get(WebhookConsumer.NAME) >= last);
            Receiver.await("the endpoint's deliveries to be sent", WITHIN, () -> app.parley().database().jdbi()
                    .withHandle(h -> h.createQuery("""
                            SELECT count(*) = 0 FROM jobs WHERE queue_key = 'webhook:' || :e OR queue_key LIKE 'webhook:' || :e || ':%'""")
                            .bind("e", hook).mapTo(Boolean.class).one()));
            assertThat(owner.get("/v2/webhooks/" + hook + "/deliveries").path("items")).hasSize(1);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void aVisitorConnectsOnceGoesThroughPagesAndDisconnectsOnceAfterTheGrace() {
        try (Receiver receiver = new Receiver("presence-secret-012345678")) {
            long hook = register(receiver, List.of("visitor.connected", "visitor.disconnected"));
            String key;
            try (TestSocket first = TestSocket.visitor(app, null, null)) {
                key = first.await("welcome").path("visitor_id").asText();
                Receiver.await("visitor.connected", WITHIN, () -> !receiver.accepted().isEmpty());
            }
            // The next page of the shop opens a new chat box for the same visitor within the grace: not a departure.
            try (TestSocket next = TestSocket.visitor(app, key, null); TestSocket otherTab = TestSocket.visitor(app, key, null)) {
                next.await("welcome");
                otherTab.await("welcome");
            }
            Receiver.await("visitor.disconnected", WITHIN, () -> receiver.accepted().size() >= 2);
            List<Receiver.Hit> hits = receiver.accepted();
            assertThat(hits.stream().map(Receiver.Hit::event).toList()).containsExactly("visitor.connected", "visitor.disconnected");
            assertThat(hits).allMatch(Receiver.Hit::signatureValid);
            long visitor = hits.getFirst().envelope().path("data").path("visitor_id").asLong();
            assertThat(visitor).isPositive();
            assertThat(hits.getLast().envelope().path("data").path("visitor").path("id").asLong()).isEqualTo(visitor);
            // Nothing else is pending for this visitor: a third event could only come from a job still waiting.
            long waiting = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM jobs WHERE kind = 'webhook.visitor_left'").mapTo(Long.class).one());
            assertThat(waiting).isZero();
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void sendTestEventReachesTheEndpointSigned() {
        try (Receiver receiver = new Receiver("test-event-secret-0123456")) {
            long hook = register(receiver, List.of("contact.updated"));
            JsonNode d = owner.expect(202, "POST", "/v2/webhooks/" + hook + "/test", null);
            assertThat(d.path("event").asText()).isEqualTo("webhook.test");
            Receiver.await("the test event", WITHIN, () -> !receiver.accepted().isEmpty());
            Receiver.Hit hit = receiver.accepted().getFirst();
            assertThat(hit.signatureValid()).isTrue();
            assertThat(hit.event()).isEqualTo("webhook.test");
            assertThat(hit.deliveryId()).isEqualTo(d.path("id").asText());
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void theSecretIsShownOnceAndTheAddressMustBeHttp() {
        Api api = owner;
        JsonNode created = api.expect(201, "POST", "/v2/webhooks", Map.of("url", "https://crm.example.com/parley",
                "events", List.of("conversation.opened")));
        String secret = created.path("secret").asText();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(20);
        long id = created.path("id").asLong();
        assertThat(api.get("/v2/webhooks").toString()).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(api.expect(200, "PATCH", "/v2/webhooks/" + id, Map.of("active", false)).toString()).doesNotContain(secret);
        assertThat(api.expect(200, "GET", "/v2/webhooks/" + id + "/deliveries", null).toString()).doesNotContain(secret);

        for (String bad : List.of("ftp://crm.example.com/x", "javascript:alert(1)", "file:///etc/passwd", "crm.example.com",
                "http://user:pw@crm.example.com/")) {
            JsonNode r = api.expect(422, "POST", "/v2/webhooks", Map.of("url", bad, "events", List.of("conversation.opened")));
            assertThat(r.path("error").path("field").asText()).isEqualTo("url");
        }
        JsonNode unknown = api.expect(422, "POST", "/v2/webhooks", Map.of("url", "https://crm.example.com/",
                "events", List.of("conversation.exploded")));
        assertThat(unknown.path("error").path("field").asText()).isEqualTo("events");
        api.expect(422, "PATCH", "/v2/webhooks/" + id, Map.of("url", "gopher://x"));
        api.expect(204, "DELETE", "/v2/webhooks/" + id, null);
        api.expect(404, "DELETE", "/v2/webhooks/" + id, null);
    }

    /** Issue #15 point 7: a suspended account's webhooks send nothing more, even a delivery already being retried. */
    @Test
    void aSuspendedAccountsWebhooksStopSending() {
        var instance = new Instance(app.parley().database().jdbi(), AccessChanges.NONE);
        var shop = instance.createAccount("Suspended hooks shop", "hooks-owner@instance.test", "Hanna", "hooks-password-1");
        TestParley.Api shopOwner = app.login("hooks-owner@instance.test", "hooks-password-1");
        try (Receiver receiver = new Receiver("suspended-secret-0123456789")) {
            receiver.answer(h -> 503);
            shopOwner.expect(201, "POST", "/v2/webhooks", Map.of("url", receiver.url(), "events", ALL_EVENTS,
                    "secret", receiver.secret));
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app.wsUrl(), shop.chatKey(), null, null)) {
                visitor.await("welcome");
                conversation = say(visitor, "before the suspension");
            }
            Receiver.await("a first, failed, attempt", WITHIN, () -> !receiver.hits().isEmpty());
            instance.suspend(shop.accountId());
            receiver.answer(h -> 200);
            Receiver.await("every delivery of the suspended account given up", WITHIN, () -> app.parley().database().jdbi()
                    .withHandle(h -> h.createQuery("""
                            SELECT count(*) = 0 FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                            WHERE e.account_id = :a AND d.state <> 'dead'""").bind("a", shop.accountId()).mapTo(Boolean.class).one()));
            assertThat(receiver.acceptedFor(conversation)).isEmpty();
        } finally {
            instance.unsuspend(shop.accountId());
        }
    }

    private static long register(Receiver receiver, List<String> events) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", receiver.url());
        body.put("events", events);
        body.put("secret", receiver.secret);
        JsonNode created = owner.expect(201, "POST", "/v2/webhooks", body);
        assertThat(created.path("secret").asText()).isEqualTo(receiver.secret);
        return created.path("id").asLong();
    }

    private static long say(TestSocket visitor, String text) {
        String clientId = TestSocket.clientId();
        visitor.send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode ack = visitor.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()));
        return ack.path("message").path("conversation_id").asLong();
    }

    private static List<JsonNode> deliveriesOf(JsonNode items, long conversation) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : items) if (d.path("conversation_id").asLong() == conversation) out.add(d);
        return out;
    }

    private static List<String> stateOf(JsonNode items, long conversation) {
        return deliveriesOf(items, conversation).stream().map(d -> d.path("state").asText()).toList();
    }

    private static int maxAttempts(JsonNode items, long conversation) {
        return deliveriesOf(items, conversation).stream().mapToInt(d -> d.path("attempts").asInt()).max().orElse(0);
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode n : list) if (n.path("id").asLong() == id) return n;
        throw new AssertionError("No webhook " + id + " in " + list);
    }
}
