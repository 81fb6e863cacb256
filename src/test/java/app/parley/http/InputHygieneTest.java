package app.parley.http;

import app.parley.core.CardNumberMasker;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.store.Database;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * What a visitor or a client controls never carries a card number into storage or an echo, never smuggles a
 * control character into a stored field or a log line, and is read by one strict rule: ASCII ids, JSON without
 * duplicate keys, {@code application/json} only (issue #9, points 10, 11, 13 and 14).
 */
class InputHygieneTest {
    private static final String CARD = "4111111111111111";
    private static final String MASKED = "**** **** **** 1111";
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static ChatVisitor visitor;
    static long conversationId;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        visitor = ChatVisitor.withConversation(app, "Hello from the hygiene test");
        conversationId = visitor.conversationId();
    }

    @AfterAll
    static void stop() {
        visitor.close();
        app.close();
    }

    // --- card numbers in what a visitor controls (point 10) ---

    @Test
    void aClientIdWithACardNumberIsMaskedInTheAckAndInStorage() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.socket.send(Map.of("type", "message", "client_id", "pay-" + CARD, "text", "hi"));
            JsonNode ack = v.socket.await(f -> "ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()));
            assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
            assertThat(ack.toString()).doesNotContain(CARD);
            assertThat(ack.path("client_id").asText()).isEqualTo("pay-" + MASKED);
            assertThat(ack.path("message").path("client_id").asText()).isEqualTo("pay-" + MASKED);
            long conversation = ack.path("message").path("conversation_id").asLong();
            JsonNode stored = owner.expect(200, "GET", "/v2/conversations/" + conversation + "/messages", null);
            assertThat(stored.toString()).doesNotContain(CARD).contains("pay-" + MASKED);
        }
        JsonNode written = owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "agent reply", "client_id", "4111 1111 1111 1111"));
        assertThat(written.path("client_id").asText()).isEqualTo(MASKED);
    }

    @Test
    void aClientIdShapedLikeAUuidIsMaskedLikeAnyOtherWhenItHoldsACard() {
        // A UUID's hex groups can carry a card's digits (on purpose, or about once in ten thousand random ids): stored
        // and echoed masked all the same. Parley's own clients make ids of letters only.
        String id = "c-aaaaaaa4-1111-1111-1111-111aaaaaaaaa";
        assertThat(CardNumberMasker.containsCard(id)).isTrue();
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.socket.send(Map.of("type", "message", "client_id", id, "text", "hi"));
            JsonNode ack = v.socket.await("ack");
            assertThat(ack.path("client_id").asText()).isEqualTo(CardNumberMasker.mask(id)).isNotEqualTo(id);
            assertThat(CardNumberMasker.containsCard(ack.toString())).isFalse();
        }
    }

    @Test
    void aUserAgentWithACardNumberIsMaskedInTheVisitorCard() {
        try (ChatVisitor v = ChatVisitor.connect(app, Map.of("User-Agent", "Mozilla/5.0 (card 4111.1111.1111.1111)"))) {
            v.say("my browser says too much");
            JsonNode card = visitorCard(v);
            assertThat(card.path("user_agent").asText()).isEqualTo("Mozilla/5.0 (card " + MASKED + ")");
        }
    }

    @Test
    void aVariableNameOrNumberWithACardNumberIsMasked() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.say("identify me");
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("card " + CARD, "by name");
            variables.put("numeric", Long.parseLong(CARD));
            variables.put("legacy", Map.of("label", "label 4111-1111-1111-1111", "value", "4111\u00a01111\u00a01111\u00a01111"));
            v.socket.send(Map.of("type", "identify", "variables", variables));
            JsonNode card = eventually(() -> visitorCard(v), c -> c.path("variables").size() == 3);
            String vars = card.path("variables").toString();
            assertThat(vars).doesNotContain("4111").contains("card " + MASKED).contains("label " + MASKED);
            assertThat(card.path("variables").path("numeric").path("value").asText()).isEqualTo(MASKED);
        }
    }

    @Test
    void aCardNumberInTheEmailOfIdentifyDropsOnlyTheEmail() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.say("who am I");
            v.socket.send(Map.of("type", "identify", "client_id", "who-1", "name", "Ann Card", "phone", "+420 777 123 456",
                    "email", CARD + "@shop.test"));
            JsonNode error = v.socket.await("error");
            assertThat(error.path("field").asText()).isEqualTo("email");
            assertThat(error.path("code").asText()).isEqualTo("validation_failed");
            assertThat(error.toString()).doesNotContain(CARD);
            JsonNode card = eventually(() -> visitorCard(v), c -> "Ann Card".equals(c.path("name").asText()));
            assertThat(card.path("phone").asText()).isEqualTo("+420 777 123 456");
            assertThat(card.path("email").isNull()).isTrue();
        }
    }

    // --- control characters (point 11) ---

    @ParameterizedTest
    @ValueSource(strings = {"/widget/config?key=%00", "/widget/config?key=a%0Ab", "/v2/conversations?tab=all%00",
            "/v2/conversations?tab=all%0D%0Aforged", "/v2/conversations?limit=5%00", "/v2/conversations/tabs?x=%0A",
            "/v2/conversations/{c}/messages?before=1%0A", "/health?probe=%1B[31m"})
    void aControlCharacterInAQueryParameterIsRefusedWith400(String path) {
        JsonNode r = owner.raw("GET", path.replace("{c}", String.valueOf(conversationId)), null, null);
        assertThat(owner.lastStatus).as(r.toString()).isEqualTo(400);
        assertThat(r.path("error").path("code").asText()).isEqualTo("invalid_characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"&visitor=%00", "&visitor=a%0Ab", "&after=1%0D", "&x=%7F"})
    void aControlCharacterInTheChatBoxSocketsQueryRefusesTheUpgradeWith400(String query) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> java.net.http.HttpClient.newHttpClient()
                .newWebSocketBuilder().buildAsync(java.net.URI.create(app.wsUrl() + "/ws/visitor?key=" + app.accountKey() + query),
                        new java.net.http.WebSocket.Listener() {}).join());
        assertThat(failure).as("the upgrade must be refused").isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof java.net.http.WebSocketHandshakeException)) cause = cause.getCause();
        assertThat(cause).as(String.valueOf(failure)).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) cause).getResponse().statusCode()).isEqualTo(400);
    }

    @Test
    void aControlCharacterInANameIsRefusedButMessageTextKeepsItsLines() {
        for (String name : List.of("Eve\nINFO forged", "Eve\u0000", "Eve\tTab", "Eve\u001b[31m")) {
            JsonNode r = owner.raw("PATCH", "/auth/me", "application/json", Json.write(Map.of("name", name)));
            assertThat(owner.lastStatus).as(r.toString()).isEqualTo(400);
            assertThat(r.path("error").path("code").asText()).isEqualTo("invalid_characters");
            assertThat(r.path("error").path("field").asText()).isEqualTo("name");
        }
        owner.raw("POST", "/v2/conversations/" + conversationId + "/messages", "application/json",
                Json.write(Map.of("text", "nul \u0000 inside")));
        assertThat(owner.lastStatus).isEqualTo(400);
        JsonNode kept = owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "line one\n\tline two"));
        assertThat(kept.path("text").asText()).isEqualTo("line one\n\tline two");
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            JsonNode error = v.refused(Map.of("type", "identify", "name", "Eve\r\nforged"));
            assertThat(error.path("code").asText()).isEqualTo("invalid_characters");
            assertThat(error.path("field").asText()).isEqualTo("name");
            error = v.refused(Map.of("type", "message", "client_id", "c\nforged", "text", "hi"));
            assertThat(error.path("code").asText()).isEqualTo("invalid_characters");
        }
    }

    @Test
    void aLoggedValueNeverStartsANewLogLine() throws Exception {
        // The encoder of the real configuration (logback.xml), writing where the test can read it.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = (ConsoleAppender<ILoggingEvent>) root.getAppender("OUT");
        String pattern = ((PatternLayoutEncoder) console.getEncoder()).getPattern();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(out);
        capture.start();
        Logger http = context.getLogger(Http.class);
        http.addAppender(capture);
        try {
            // The shape of the 500 handler's line: the method and a path a client chose, and its exception.
            String forged = "\n00:00:00.000 ERROR forged - admin signed in\r\n00:00:00.000 INFO  forged - again";
            http.error("{} {} failed", "GET", "/v2/x" + forged, new IllegalStateException("bad value" + forged));
        } finally {
            http.detachAppender(capture);
            capture.stop();
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines.getFirst()).contains("/v2/x").contains("admin signed in");
        assertThat(lines).noneMatch(line -> line.startsWith("00:00:00.000"));
        assertThat(lines.stream().skip(1)).allMatch(line -> Character.isWhitespace(line.charAt(0)) || line.startsWith("Caused by"),
                "every further line of the event is indented");
    }

    @Test
    void aFailingStatementNamesNoneOfItsBoundValues() {
        String typed = "ann-" + SEQ.incrementAndGet() + "@typed.example";
        Throwable failure = null;
        try {
            app.parley().database().jdbi().useHandle(h -> {
                h.execute("CREATE TEMP TABLE typed (value text UNIQUE)");
                h.createUpdate("INSERT INTO typed (value) VALUES (:v)").bind("v", typed).execute();
                h.createUpdate("INSERT INTO typed (value) VALUES (:v)").bind("v", typed).execute();
            });
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).as("the second insert breaks the unique index").isNotNull();
        assertThat(Database.uniqueViolation(failure)).as("the conflict is still recognised").isTrue();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as(t.getClass().getName()).doesNotContain(typed);
        }
    }

    // --- ids and numbers (point 13) ---

    @ParameterizedTest
    @ValueSource(strings = {"+%s", "0%s", "00%s", "arabic", "fullwidth", "%s%%20", "%s.0", "-0%s"})
    void anIdWrittenAnyOtherWayThanInAsciiDigitsIsNotFoundAndDeletesNothing(String form) {
        long id = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "kept-" + SEQ.incrementAndGet())).path("id").asLong();
        JsonNode r = owner.raw("DELETE", "/v2/tokens/" + written(form, id), null, null);
        assertThat(owner.lastStatus).as(form + " → " + r).isEqualTo(404);
        assertThat(r.path("error").path("code").asText()).isEqualTo("not_found");
        r = owner.raw("GET", "/v2/conversations/" + written(form, conversationId), null, null);
        assertThat(owner.lastStatus).as(form + " → " + r).isEqualTo(404);
        JsonNode tokens = owner.expect(200, "GET", "/v2/tokens", null);
        assertThat(tokens.findValues("id")).extracting(JsonNode::asLong).contains(id);
    }

    /** {@code id} written in {@code form}, ready for a path. */
    private static String written(String form, long id) {
        String text = switch (form) {
            case "arabic" -> digits(id, '\u0660');
            case "fullwidth" -> digits(id, '\uFF10');
            default -> form.formatted(id);
        };
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%25", "%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=%2B5", "limit=05", "limit=%D9%A5", "limit=%EF%BC%95"})
    void aQueryNumberWrittenAnyOtherWayThanInAsciiDigitsIsRefused(String query) {
        JsonNode r = owner.raw("GET", "/v2/conversations?" + query, null, null);
        assertThat(owner.lastStatus).as(query + " → " + r).isEqualTo(422);
        assertThat(r.path("error").path("field").asText()).isEqualTo("limit");
        r = owner.raw("GET", "/v2/conversations/" + conversationId + "/messages?" + query.replace("limit", "before"), null, null);
        assertThat(owner.lastStatus).as(query + " → " + r).isEqualTo(422);
        assertThat(r.path("error").path("field").asText()).isEqualTo("before");
    }

    // --- JSON and its media type (point 14) ---

    @Test
    void aReadFrameTakesItsMessageIdAsANumberOnly() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            long id = v.say("read me").path("id").asLong();
            for (Object wrong : List.of(String.valueOf(id), "+" + id, true, 1.5, List.of(id))) {
                JsonNode error = v.refused(Map.of("type", "read", "message_id", wrong));
                assertThat(error.path("code").asText()).as(String.valueOf(wrong)).isEqualTo("validation_failed");
                assertThat(error.path("field").asText()).isEqualTo("message_id");
            }
            JsonNode missing = v.refused(Map.of("type", "read"));
            assertThat(missing.path("field").asText()).isEqualTo("message_id");
        }
    }

    @Test
    void aBodyWithADuplicateKeyIsRefused() {
        String path = "/v2/conversations/" + conversationId + "/messages";
        RowCounts.unchangedBy(app, () -> {
            JsonNode r = owner.raw("POST", path, "application/json", "{\"text\":\"harmless\",\"text\":\"sneaky\"}");
            assertThat(owner.lastStatus).as(r.toString()).isEqualTo(400);
            assertThat(r.path("error").path("code").asText()).isEqualTo("duplicate_key");
            assertThat(r.path("error").path("field").asText()).isEqualTo("text");
        });
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            RowCounts.unchangedBy(app, () -> {
                v.socket.send("{\"type\":\"message\",\"client_id\":\"dup-1\",\"text\":\"a\",\"text\":\"b\"}");
                assertThat(v.socket.await("error").path("code").asText()).isEqualTo("duplicate_key");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/jsonx", "application/json-patch+json", "application/jsonp", "application/json;x",
            "text/json", "application/json; charset=iso-8859-1"})
    void onlyApplicationJsonIsAccepted(String contentType) {
        RowCounts.unchangedBy(app, () -> {
            JsonNode r = owner.raw("POST", "/v2/conversations/" + conversationId + "/messages", contentType, "{\"text\":\"hi\"}");
            assertThat(owner.lastStatus).as(contentType + " → " + r).isEqualTo(415);
            assertThat(r.path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void applicationJsonWithOrWithoutParametersIsAccepted(String contentType) {
        owner.raw("POST", "/v2/conversations/" + conversationId + "/messages", contentType, "{\"text\":\"typed json\"}");
        assertThat(owner.lastStatus).isEqualTo(201);
    }

    // --- helpers ---

    private static JsonNode visitorCard(ChatVisitor v) {
        long id = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
        return owner.expect(200, "GET", "/v2/visitors/" + id, null);
    }

    /** Polls until the check holds (the visitor socket answers an identify only when it fails). */
    private static JsonNode eventually(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> check) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<JsonNode> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode n = read.get();
            if (check.test(n)) return n;
            seen.add(n);
            try {
                Thread.sleep(20); // a poll, not a wait for time: the deadline above bounds it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("never held; last: " + seen.getLast());
    }

    private static String digits(long id, char zero) {
        StringBuilder out = new StringBuilder();
        for (char c : String.valueOf(id).toCharArray()) out.append((char) (zero + (c - '0')));
        return out.toString();
    }
}
