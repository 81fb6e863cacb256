package app.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.Jobs;
import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How deliveries travel (Jetty's HTTP client, a keyed Mac per secret, the envelope written around the stored
 * message): many conversations' deliveries at once over keep-alive connections still arrive once each, in order per
 * conversation, signed as docs/WEBHOOKS.md tells receivers to check (here with the JDK's own Mac, not Parley's
 * code); the message goes out as stored, hostile text included; a redirect is a failure, never followed. A delivery
 * made from the event log is one row written with its outcome, its body rendered from the log, the same on a rerun.
 */
class WebhookTransportTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    static TestParley app;
    static Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_BACKBONE_POLL_MS", "200", "PARLEY_WEBHOOK_RETRY_BASE_MS", "50",
                "PARLEY_WEBHOOK_MAX_ATTEMPTS", "6"));
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void manyConversationsAtOnceArriveOnceEachInOrderAndSigned() {
        // Two endpoints with different secrets side by side: each body is signed with its own endpoint's key.
        try (Receiver one = new Receiver("transport-one-0123456789"); Receiver two = new Receiver("transport-two-9876543210")) {
            long hookOne = register(one);
            long hookTwo = register(two);
            long before = deliveryInserts();
            List<TestSocket> visitors = new ArrayList<>();
            Map<Long, List<String>> sent = new HashMap<>();
            try {
                for (int v = 0; v < 12; v++) {
                    TestSocket s = TestSocket.visitor(app, null, null);
                    s.await("welcome");
                    visitors.add(s);
                }
                // Interleaved, so one consumer batch holds several conversations' messages.
                for (int m = 0; m < 5; m++) {
                    for (int v = 0; v < visitors.size(); v++) {
                        String text = "v" + v + " m" + m;
                        sent.computeIfAbsent(say(visitors.get(v), text), c -> new ArrayList<>()).add(text);
                    }
                }
            } finally {
                visitors.forEach(TestSocket::close);
            }
            for (Receiver r : List.of(one, two)) {
                Receiver.await("every message at " + r.secret, WITHIN, () -> r.accepted().size() >= 60);
                for (Map.Entry<Long, List<String>> c : sent.entrySet()) {
                    assertThat(r.acceptedFor(c.getKey()).stream().map(WebhookTransportTest::text).toList())
                            .as("conversation %d at %s", c.getKey(), r.secret).isEqualTo(c.getValue());
                }
                Set<String> ids = new HashSet<>();
                for (Receiver.Hit h : r.accepted()) {
                    assertThat(ids.add(h.deliveryId())).as("delivery %s once", h.deliveryId()).isTrue();
                    assertThat(h.signatureValid()).isTrue();
                }
                assertThat(r.hits()).hasSize(60);
            }
            // A delivery made from the event log is one row, written once with its outcome (PostgreSQL's own count of
            // inserts, which arrives within a second or so), without a body: it is rendered from the log.
            Receiver.await("PostgreSQL's statistics to count the 120 rows", WITHIN, () -> deliveryInserts() - before >= 120);
            for (long hook : List.of(hookOne, hookTwo)) {
                long firstTime = app.parley().database().jdbi().withHandle(h -> h.createQuery("""
                                SELECT count(*) FILTER (WHERE state = 'delivered' AND attempts = 1 AND body IS NULL)
                                FROM webhook_deliveries WHERE endpoint_id = :e""").bind("e", hook).mapTo(Long.class).one());
                assertThat(firstTime).as("rows of endpoint %d delivered at the first attempt, without a stored body", hook).isEqualTo(60L);
            }
            owner.expect(204, "DELETE", "/v2/webhooks/" + hookOne, null);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hookTwo, null);
        }
    }

    @Test
    void theMessageGoesOutAsStoredAndTheSignatureIsTheHmacOfTheRawBytes() throws Exception {
        try (Receiver receiver = new Receiver("transport-raw-0123456789")) {
            long hook = register(receiver);
            String hostile = "<img src=x onerror=alert(1)> \"quoted\" back\\slash ünïcødé 🚀 card 4242 4242 4242 4242";
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                conversation = say(visitor, hostile);
            }
            long c = conversation;
            Receiver.await("the message", WITHIN, () -> receiver.acceptedFor(c).size() == 1);
            Receiver.Hit hit = receiver.acceptedFor(c).getFirst();

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(receiver.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(hit.body().getBytes(StandardCharsets.UTF_8)));
            assertThat(hit.signatureValid()).isTrue();
            assertThat(Signature.of(receiver.secret, hit.body())).isEqualTo(expected);

            JsonNode message = hit.envelope().path("data").path("message");
            assertThat(message.path("text").asText()).isEqualTo(hostile.replace("4242 4242 4242 4242", "**** **** **** 4242"));
            assertThat(hit.envelope().path("data").path("conversation_id").asLong()).isEqualTo(c);
            JsonNode listed = null;
            for (JsonNode m : owner.get("/v2/conversations/" + c + "/messages").path("items")) {
                if (m.path("id").asLong() == message.path("id").asLong()) listed = m;
            }
            assertThat(listed).as("the delivered message as the API lists it").isNotNull();
            assertThat(message.path("text")).isEqualTo(listed.path("text"));
            assertThat(message.path("kind")).isEqualTo(listed.path("kind"));
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    @Test
    void aRedirectIsAFailureAndIsNeverFollowed() throws Exception {
        try (Receiver elsewhere = new Receiver("transport-elsewhere-0123")) {
            AtomicInteger redirects = new AtomicInteger();
            HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            redirecting.createContext("/hook", exchange -> {
                exchange.getRequestBody().readAllBytes();
                if (redirects.incrementAndGet() <= 2) {
                    exchange.getResponseHeaders().add("Location", elsewhere.url());
                    exchange.sendResponseHeaders(307, -1);
                } else {
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
            redirecting.start();
            try {
                Map<String, Object> body = new HashMap<>();
                body.put("url", "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook");
                body.put("events", List.of("conversation.contact_replied"));
                body.put("secret", "transport-redirect-0123456789");
                long hook = owner.expect(201, "POST", "/v2/webhooks", body).path("id").asLong();
                long conversation;
                try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                    visitor.await("welcome");
                    conversation = say(visitor, "follow me?");
                }
                long c = conversation;
                Receiver.await("the log to show it delivered after the redirects", WITHIN, () -> {
                    for (JsonNode d : owner.get("/v2/webhooks/" + hook + "/deliveries").path("items")) {
                        if (d.path("conversation_id").asLong() == c) return d.path("state").asText().equals("delivered");
                    }
                    return false;
                });
                assertThat(redirects.get()).isEqualTo(3);
                assertThat(elsewhere.hits()).isEmpty();
                JsonNode d = owner.get("/v2/webhooks/" + hook + "/deliveries").path("items").get(0);
                assertThat(d.path("attempts").asInt()).isEqualTo(3);
                owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
            } finally {
                redirecting.stop(0);
            }
        }
    }

    @Test
    void aBatchsBodiesReachTheirOwnRowsWhateverTheyHold() {
        try (Receiver receiver = new Receiver("transport-rows-0123456789")) {
            long hook = register(receiver);
            org.jdbi.v3.core.Jdbi jdbi = app.parley().database().jdbi();
            long account = jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM webhook_endpoints WHERE id = :id")
                    .bind("id", hook).mapTo(Long.class).one());
            // Made-up event numbers far past the log's, so these rows are only this test's.
            List<String> plain = List.of("{\"text\":\"quote \\\" back \\\\ ünïcødé 🚀\"}", "{\"n\":1}", "{\"empty\":\"\"}");
            // JSON text never holds the separator unescaped, but a body that does still reaches its row (as an array).
            List<String> odd = List.of("{\"a\":1}", "{\"raw\":\"\u001e\"}", "{\"b\":2}");
            for (List<String> bodies : List.of(plain, odd)) {
                long first = 9_000_000_000L + (bodies == odd ? 10 : 0);
                List<Long> seqs = List.of(first, first + 1, first + 2);
                jdbi.useTransaction(h -> WebhookConsumer.insert(h, List.of(hook, hook, hook), List.of(account, account, account),
                        List.of("conversation.contact_replied", "conversation.contact_replied", "conversation.contact_replied"),
                        seqs, java.util.Arrays.asList(null, null, null), bodies));
                for (int i = 0; i < 3; i++) {
                    long seq = seqs.get(i);
                    String stored = jdbi.withHandle(h -> h.createQuery("SELECT body FROM webhook_deliveries WHERE endpoint_id = :e AND event_seq = :s")
                            .bind("e", hook).bind("s", seq).mapTo(String.class).one());
                    assertThat(stored).isEqualTo(bodies.get(i));
                }
            }
            long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :e")
                    .bind("e", hook).mapTo(Long.class).one());
            assertThat(rows).isEqualTo(6);
            // The test receiver parses what it gets, and the raw control character is not JSON it accepts: the other five.
            List<String> valid = List.of(plain.get(0), plain.get(1), plain.get(2), odd.get(0), odd.get(2));
            Receiver.await("the five JSON bodies, signed", WITHIN, () -> receiver.accepted().size() == 5);
            assertThat(receiver.accepted().stream().map(Receiver.Hit::body).toList()).containsExactlyInAnyOrderElementsOf(valid);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    /**
     * A delivery made from the log is named by the job the consumer wrote, with the id drawn then: a batch that runs
     * again (its outcome lost in a crash) posts the same bytes under the same X-Parley-Delivery and writes no second row.
     */
    @Test
    void aBatchThatRunsAgainSendsTheSameDeliveryAndWritesOneRow() {
        try (Receiver receiver = new Receiver("transport-again-0123456789")) {
            long hook = register(receiver);
            long conversation;
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                conversation = say(visitor, "once, twice");
            }
            long c = conversation;
            org.jdbi.v3.core.Jdbi jdbi = app.parley().database().jdbi();
            Receiver.await("the delivery's row", WITHIN, () -> jdbi.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :e").bind("e", hook).mapTo(Long.class).one()) == 1);
            String entry = jdbi.withHandle(h -> h.createQuery(
                            "SELECT id || ':' || event_seq || ':' || conversation_id || ':' || event FROM webhook_deliveries WHERE endpoint_id = :e")
                    .bind("e", hook).mapTo(String.class).one());
            // The consumer's job for this delivery, queued once more.
            jdbi.useTransaction(h -> Jobs.enqueueAll(h, WebhookSender.BATCH, List.of(WebhookSender.batchKey(hook)), List.of(entry)));
            app.parley().jobs().wake();
            Receiver.await("the delivery a second time", WITHIN, () -> receiver.acceptedFor(c).size() == 2);
            List<Receiver.Hit> hits = receiver.acceptedFor(c);
            assertThat(hits.get(1).deliveryId()).isEqualTo(hits.get(0).deliveryId()).isEqualTo(entry.substring(0, entry.indexOf(':')));
            assertThat(hits.get(1).body()).isEqualTo(hits.get(0).body());
            Receiver.await("the second run's outcome", WITHIN, () -> jdbi.withHandle(h -> h.createQuery(
                    "SELECT count(*) = 0 FROM jobs WHERE queue_key = :k").bind("k", WebhookSender.batchKey(hook)).mapTo(Boolean.class).one()));
            long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :e")
                    .bind("e", hook).mapTo(Long.class).one());
            assertThat(rows).isEqualTo(1);
            owner.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        }
    }

    /** webhook_deliveries' inserts so far, as PostgreSQL's statistics have them. */
    private static long deliveryInserts() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'webhook_deliveries'").mapTo(Long.class).one());
    }

    private static long register(Receiver receiver) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", receiver.url());
        body.put("events", List.of("conversation.contact_replied"));
        body.put("secret", receiver.secret);
        return owner.expect(201, "POST", "/v2/webhooks", body).path("id").asLong();
    }

    private static long say(TestSocket visitor, String text) {
        String clientId = TestSocket.clientId();
        visitor.send(Map.of("type", "message", "client_id", clientId, "text", text));
        JsonNode ack = visitor.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()));
        return ack.path("message").path("conversation_id").asLong();
    }

    private static String text(Receiver.Hit h) {
        return h.envelope().path("data").path("message").path("text").asText();
    }
}
