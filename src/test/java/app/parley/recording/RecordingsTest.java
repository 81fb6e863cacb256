package app.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 on the server, through real HTTP and PostgreSQL: a chunk's card numbers are masked in every recorded
 * text before storage, bad chunks are refused whole, a recording shows once the visitor went quiet with its page
 * and chat marks, the account's switch and settings are honoured, and retention drops whole partitions.
 */
class RecordingsTest {
    static final String CARD = "4111 1111 1111 1111";
    static final ObjectMapper DEEP = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4000).build()).build());
    static TestParley app;
    static Jdbi jdbi;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_RECORDING_READY_SECONDS", "1"));
        jdbi = app.parley().database().jdbi();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A visitor who wrote (so the owner sees them), and their chat box key. */
    record Shopper(long id, String key) {}

    static Shopper shopper() {
        try (TestSocket v = TestSocket.visitor(app, null, null)) {
            String key = v.await("welcome").get("visitor_id").asText();
            v.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "Hello"));
            v.await("ack");
            long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM visitors WHERE visitor_key = :k").bind("k", key)
                    .mapTo(Long.class).one());
            return new Shopper(id, key);
        }
    }

    static HttpResponse<String> postChunk(String key, String visitor, String session, int seq, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/widget/recording?key=" + key + "&visitor=" + visitor
                        + "&session=" + session + "&seq=" + seq)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] chunk(String json) {
        return ChunkCodec.gzip(json.getBytes(StandardCharsets.UTF_8));
    }

    /** An rrweb-shaped chunk: a page's meta, a snapshot with the card in a text node and an attribute, a typed input, a chat mark. */
    static String events(long t0, String href) {
        return """
                [{"type":4,"timestamp":%d,"data":{"href":"%s","width":1280,"height":800}},
                 {"type":2,"timestamp":%d,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"p",
                   "attributes":{"title":"card %s"},"childNodes":[{"type":3,"id":3,"textContent":"Paid with %s, thanks"}]}]}}},
                 {"type":3,"timestamp":%d,"data":{"source":5,"id":2,"text":"%s","isChecked":false}},
                 {"type":5,"timestamp":%d,"data":{"tag":"parley.chat","payload":{}}}]"""
                .formatted(t0, href, t0 + 5, CARD, CARD, t0 + 1000, CARD.replace(" ", ""), t0 + 2000);
    }

    @Test
    void cardNumbersAreMaskedInEveryRecordedTextBeforeStorage() throws Exception {
        Shopper s = shopper();
        long t0 = 1_790_000_000_000L;
        var r = postChunk(app.accountKey(), s.key(), "session-card-1", 0, chunk(events(t0, "https://shop.test/?card=" + CARD.replace(" ", ""))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<byte[]> stored = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id WHERE r.visitor_id = :v""")
                .bind("v", s.id()).mapTo(byte[].class).list());
        assertThat(stored).hasSize(1);
        String text = new String(ChunkCodec.gunzip(stored.get(0)), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("4111 1111 1111 1111").doesNotContain("4111111111111111")
                .contains("Paid with **** **** **** 1111, thanks").contains("card **** **** **** 1111");
        // Timestamps are numbers and stay as they were (a tenth of them would pass a card's Luhn check).
        assertThat(text).contains(String.valueOf(t0));
        String pages = jdbi.withHandle(h -> h.createQuery("SELECT pages::text FROM recordings WHERE visitor_id = :v")
                .bind("v", s.id()).mapTo(String.class).one());
        assertThat(pages).doesNotContain("4111111111111111");
    }

    @Test
    void aRecordingIsListedOnceQuietWithItsPagesAndChatMomentsAndPlaysBackInOrder() throws Exception {
        Shopper s = shopper();
        long t0 = 1_790_000_100_000L;
        // Sent out of order and once twice (a retry): the player gets each event once, in time order.
        assertThat(postChunk(app.accountKey(), s.key(), "session-list-1", 1, chunk(events(t0 + 60_000, "https://shop.test/cart"))).statusCode()).isEqualTo(202);
        assertThat(postChunk(app.accountKey(), s.key(), "session-list-1", 0, chunk(events(t0, "https://shop.test/"))).statusCode()).isEqualTo(202);
        assertThat(postChunk(app.accountKey(), s.key(), "session-list-1", 0, chunk(events(t0, "https://shop.test/"))).statusCode()).isEqualTo(202);
        TestParley.Api owner = app.owner();
        JsonNode items = awaitRecordings(owner, s.id());
        assertThat(items).hasSize(1);
        JsonNode rec = items.get(0);
        assertThat(rec.get("duration_ms").asLong()).isEqualTo(62_000);
        assertThat(rec.get("pages")).hasSize(2);
        assertThat(rec.get("pages").get(0).get("url").asText()).isEqualTo("https://shop.test/");
        assertThat(rec.get("pages").get(1).get("at_ms").asLong()).isEqualTo(60_000);
        assertThat(rec.get("chats").get(0).asLong()).isEqualTo(2_000);

        HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v2/recordings/" + rec.get("id").asLong() + "/events"))
                .header("Authorization", "Bearer " + apiToken(owner)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
        JsonNode all = DEEP.readTree(events.body());
        assertThat(all).hasSize(8);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).get("timestamp").asLong()).isGreaterThanOrEqualTo(all.get(i - 1).get("timestamp").asLong());
        }
        // Not a caller of this account: nothing.
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v2/visitors/" + s.id() + "/recordings")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aRecordingStillBeingSentIsNotListedYet() throws Exception {
        Shopper s = shopper();
        assertThat(postChunk(app.accountKey(), s.key(), "session-live-1", 0, chunk(events(1_790_000_000_000L, "https://shop.test/"))).statusCode())
                .isEqualTo(202);
        long accountId = jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM recordings WHERE visitor_id = :v").bind("v", s.id())
                .mapTo(Long.class).one());
        // As Parley's default (two minutes of quiet) sees it: the chunk just came, the visitor may still be browsing.
        Recordings waiting = new Recordings(jdbi, Duration.ofMinutes(2));
        assertThat(waiting.ofVisitor(accountId, s.id())).isEmpty();
        long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM recordings WHERE visitor_id = :v").bind("v", s.id())
                .mapTo(Long.class).one());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> waiting.events(accountId, id)))
                .isInstanceOf(app.parley.core.Refusal.class);
        assertThat(new Recordings(jdbi, Duration.ZERO).ofVisitor(accountId, s.id())).hasSize(1);
    }

    @Test
    void badChunksAreRefusedWholeWithAStableCode() throws Exception {
        Shopper s = shopper();
        int before = count();
        assertRefused(postChunk(app.accountKey(), s.key(), "session-bad-1", 0, "not gzip".getBytes()), 400, "malformed_chunk");
        assertRefused(postChunk(app.accountKey(), s.key(), "session-bad-1", 0, chunk("{\"type\":4}")), 400, "malformed_chunk");
        assertRefused(postChunk(app.accountKey(), s.key(), "session-bad-1", 0, chunk("[{\"type\":\"x\"}]")), 400, "malformed_chunk");
        assertRefused(postChunk(app.accountKey(), s.key(), "bad", 0, chunk(events(1L, "https://shop.test/"))), 422, "validation_failed");
        assertRefused(postChunk("nope", s.key(), "session-bad-1", 0, chunk(events(1L, "https://shop.test/"))), 404, "not_found");
        assertRefused(postChunk(app.accountKey(), "forged-key", "session-bad-1", 0, chunk(events(1L, "https://shop.test/"))), 404, "unknown_visitor");
        // A gzip bomb: 9 MiB of spaces in a few KB.
        assertRefused(postChunk(app.accountKey(), s.key(), "session-bad-1", 0, ChunkCodec.gzip(" ".repeat(9 * 1024 * 1024).getBytes())), 400, "payload_too_large");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void settingsAreForAdminsValidatedAndTheSwitchStopsRecording() throws Exception {
        TestParley.Api owner = app.owner();
        TestParley.Api agent = app.createAgent("rec-agent@shop.test", "Rec Agent", "agent-password-1", "agent");
        agent.patch("/v2/recording/settings", Map.of("enabled", false));
        assertThat(agent.lastStatus).isEqualTo(403);
        JsonNode bad = owner.patch("/v2/recording/settings", Map.of("retention_days", 0));
        assertThat(owner.lastStatus).isEqualTo(422);
        assertThat(bad.path("error").path("field").asText()).isEqualTo("retention_days");
        JsonNode widgetBefore = DEEP.readTree(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/widget/recording?key=" + app.accountKey())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(widgetBefore.get("enabled").asBoolean()).isTrue();

        Shopper s = shopper();
        JsonNode off = owner.patch("/v2/recording/settings", Map.of("enabled", false, "mask_emails", true));
        assertThat(owner.lastStatus).isEqualTo(200);
        assertThat(off.get("retention_days").asInt()).isEqualTo(10);
        try {
            int before = count();
            assertRefused(postChunk(app.accountKey(), s.key(), "session-off-1", 0, chunk(events(1L, "https://shop.test/"))), 409, "recording_off");
            assertThat(count()).isEqualTo(before);
            JsonNode widget = DEEP.readTree(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/widget/recording?key=" + app.accountKey())).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(widget.get("enabled").asBoolean()).isFalse();
            assertThat(widget.get("mask_emails").asBoolean()).isTrue();
        } finally {
            owner.patch("/v2/recording/settings", Map.of("enabled", true, "mask_emails", false));
        }
    }

    @Test
    void retentionDropsWholeDaysAndForgetsAnAccountsOldRecordingsInBulk() {
        RecordingRetention retention = new RecordingRetention(jdbi);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(retention.partitions()).contains("recording_chunks_" + today.plusDays(3).toString().replace("-", ""));
        LocalDate old = today.minusDays(20);
        retention.ensurePartition(old);
        retention.ensurePartition(today.minusDays(5));
        long accountId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM accounts LIMIT 1").mapTo(Long.class).one());
        long oldRec = insertRecording(accountId, "session-old-1", old.atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        long weekRec = insertRecording(accountId, "session-week-1", today.minusDays(5).atStartOfDay().toInstant(ZoneOffset.UTC).toString());

        RecordingRetention.Run run = retention.run(today);
        assertThat(run.dropped()).contains("recording_chunks_" + old.toString().replace("-", ""));
        assertThat(retention.partitions()).doesNotContain("recording_chunks_" + old.toString().replace("-", ""));
        assertThat(exists(oldRec)).isFalse();
        assertThat(exists(weekRec)).isTrue();

        // A shorter retention for this account: its 5-day-old recording goes in the next run's bulk delete.
        app.owner().patch("/v2/recording/settings", Map.of("retention_days", 3));
        try {
            retention.run(today);
            assertThat(exists(weekRec)).isFalse();
            int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM recording_chunks WHERE recording_id = :r")
                    .bind("r", weekRec).mapTo(Integer.class).one());
            assertThat(left).isZero();
        } finally {
            app.owner().patch("/v2/recording/settings", Map.of("retention_days", 10));
        }
    }

    private static long insertRecording(long accountId, String session, String at) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("""
                            INSERT INTO recordings (account_id, visitor_id, session_key, started_at, last_chunk_at, first_event_ms, last_event_ms)
                            VALUES (:a, 1, :s, CAST(:at AS timestamptz), CAST(:at AS timestamptz), 0, 1000) RETURNING id""")
                    .bind("a", accountId).bind("s", session).bind("at", at).mapTo(Long.class).one();
            h.createUpdate("""
                            INSERT INTO recording_chunks (recording_id, account_id, seq, received_at, codec, data)
                            VALUES (:r, :a, 0, CAST(:at AS timestamptz), 'gzip', :d)""")
                    .bind("r", id).bind("a", accountId).bind("at", at).bind("d", chunk("[]")).execute();
            return id;
        });
    }

    private static boolean exists(long recordingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) > 0 FROM recordings WHERE id = :r").bind("r", recordingId)
                .mapTo(Boolean.class).one());
    }

    private static int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM recording_chunks").mapTo(Integer.class).one());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = DEEP.readTree(r.body());
        assertThat(body.path("error").path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
    }

    static JsonNode awaitRecordings(TestParley.Api api, long visitorId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode items = api.get("/v2/visitors/" + visitorId + "/recordings").get("items");
            if (items != null && !items.isEmpty()) return items;
            if (System.nanoTime() > deadline) throw new AssertionError("No recording listed for visitor " + visitorId);
            Thread.sleep(100);
        }
    }

    private static String apiToken(TestParley.Api owner) {
        return owner.post("/v2/tokens", Map.of("name", "recordings")).get("token").asText();
    }
}
