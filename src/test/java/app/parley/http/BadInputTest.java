package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's bad input is a typed 4xx with a stable code (STYLE.md "Errors", docs/API.md "Errors"), a refused request
 * writes nothing, and no input makes the server answer 500.
 */
class BadInputTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static Api target;          // a limited agent that admin routes act on
    static ChatVisitor visitor;  // owns the shared open conversation
    static long conversationId;
    static long visitorId;
    static long tagA;
    static long tagB;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        target = app.createAgent("target@shop.test", "Target", "target-password-1", "agent");
        visitor = ChatVisitor.withConversation(app, "The shared conversation");
        conversationId = visitor.conversationId();
        visitorId = owner.expect(200, "GET", conv(""), null).path("visitor_id").asLong();
        tagA = owner.expect(201, "POST", "/v2/tags", Map.of("name", "alpha")).path("id").asLong();
        tagB = owner.expect(201, "POST", "/v2/tags", Map.of("name", "beta")).path("id").asLong();
    }

    @AfterAll
    static void stop() {
        visitor.close();
        app.close();
    }

    // --- the shape of the body ---

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"text\":", "{\"text\":\"hi\"", "{'text':'hi'}", "{\"text\":\"hi\"}}", "text=hi", "{\"text\":hi}"})
    void malformedJsonIsRefused(String body) {
        refused(400, "malformed_json", "POST", conv("/messages"), "application/json", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"text\":\"hi\"}]", "\"hi\"", "42", "true", "null", ""})
    void aBodyThatIsNotAnObjectIsRefused(String body) {
        refused(400, "malformed_json", "POST", conv("/messages"), "application/json", body);
        refused(400, "malformed_json", "PATCH", conv(""), "application/json", body);
        refused(400, "malformed_json", "PUT", conv("/tags"), "application/json", body);
    }

    static Stream<Arguments> unknownFields() {
        return Stream.of(
                Arguments.of("POST", conv("/messages"), "{\"text\":\"hi\",\"foo\":1}", "foo"),
                Arguments.of("POST", conv("/messages"), "{\"text\":\"hi\",\"agentId\":1}", "agentId"),
                Arguments.of("PATCH", conv(""), "{\"important\":true,\"status\":\"closed\"}", "status"),
                Arguments.of("PUT", conv("/tags"), "{\"tag_ids\":[],\"tags\":[]}", "tags"),
                Arguments.of("POST", "/v2/tags", "{\"name\":\"gamma\",\"id\":7}", "id"),
                Arguments.of("PATCH", "/v2/agents/" + target.agentId(), "{\"name\":\"T\",\"password\":\"new-password\"}", "password"),
                Arguments.of("PATCH", "/auth/me", "{\"name\":\"Boss\",\"role\":\"admin\"}", "role"),
                Arguments.of("POST", "/v2/conversations/search", "{\"filters\":{\"bogus\":1}}", "bogus"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("unknownFields")
    void unknownFieldIsRefused(String method, String path, String body, String field) {
        JsonNode error = refused(400, "unknown_field", method, path, "application/json", body);
        assertThat(error.path("field").asText()).isEqualTo(field);
        JsonNode c = owner.expect(200, "GET", conv(""), null);
        assertThat(c.path("important").asBoolean()).isFalse();
        assertThat(c.path("status").asText()).isEqualTo("open");
        assertThat(target.expect(200, "GET", "/auth/me", null).path("agent").path("role").asText()).isEqualTo("agent");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("POST", conv("/messages"), "{\"text\":{\"a\":1}}", "text"),
                Arguments.of("POST", conv("/messages"), "{\"text\":[\"hi\"]}", "text"),
                Arguments.of("POST", conv("/messages"), "{\"text\":\"hi\",\"agent_id\":\"me\"}", "agent_id"),
                Arguments.of("POST", conv("/messages"), "{\"text\":\"hi\",\"agent_id\":1.5}", "agent_id"),
                Arguments.of("PATCH", conv(""), "{\"important\":\"very\"}", "important"),
                Arguments.of("PATCH", conv(""), "{\"important\":[true]}", "important"),
                Arguments.of("PUT", conv("/tags"), "{\"tag_ids\":\"1,2\"}", "tag_ids"),
                Arguments.of("PUT", conv("/tags"), "{\"tag_ids\":{\"0\":1}}", "tag_ids"),
                Arguments.of("PUT", conv("/tags"), "{\"tag_ids\":[1.5]}", "tag_ids.0"),
                Arguments.of("PUT", conv("/tags"), "{\"tag_ids\":[\"one\"]}", "tag_ids.0"),
                Arguments.of("POST", conv("/assign"), "{\"agent_id\":[1]}", "agent_id"),
                Arguments.of("POST", conv("/assign"), "{\"agent_id\":{}}", "agent_id"),
                Arguments.of("PATCH", "/v2/agents/" + target.agentId(), "{\"active\":\"maybe\"}", "active"),
                Arguments.of("PATCH", "/v2/agents/" + target.agentId(), "{\"group_ids\":5}", "group_ids"),
                Arguments.of("POST", "/v2/tags", "{\"name\":{\"en\":\"x\"}}", "name"),
                Arguments.of("POST", "/v2/conversations/search", "{\"size\":\"big\"}", "size"),
                Arguments.of("POST", "/v2/conversations/search", "{\"filters\":{\"contact_id\":\"x\"}}", "filters.contact_id"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("wrongTypes")
    void wrongTypeIsRefusedNamingTheField(String method, String path, String body, String field) {
        JsonNode error = refused(422, "validation_failed", method, path, "application/json", body);
        assertThat(error.path("field").asText()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"})
    void aBodyThatIsNotDeclaredJsonIsRefused(String contentType) {
        refused(415, "unsupported_media_type", "POST", conv("/messages"), contentType.isEmpty() ? null : contentType,
                "{\"text\":\"hi\"}");
        refused(415, "unsupported_media_type", "PATCH", conv(""), contentType.isEmpty() ? null : contentType,
                "{\"important\":true}");
    }

    // --- limits ---

    @Test
    void aBodyOver64KiBIsRefused() {
        String body = "{\"text\":\"hi\"" + " ".repeat(64 * 1024) + "}";
        refused(413, "payload_too_large", "POST", conv("/messages"), "application/json", body);
    }

    @Test
    void aBodyOf64KiBWithoutContentLengthIsRefusedToo() throws Exception {
        byte[] body = ("{\"text\":\"hi\"" + " ".repeat(64 * 1024) + "}").getBytes(StandardCharsets.UTF_8);
        RowCounts.unchangedBy(app, () -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + conv("/messages")))
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrf(owner))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
            try {
                HttpResponse<String> r = owner.client().send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
                assertThat(Json.tree(r.body()).path("error").path("code").asText()).isEqualTo("payload_too_large");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aMessageOf10000CharactersIsAcceptedAndOf10001Refused() {
        JsonNode error = refused(422, "validation_failed", "POST", conv("/messages"), "application/json",
                Json.write(Map.of("text", "a".repeat(10_001))));
        assertThat(error.path("field").asText()).isEqualTo("text");
        JsonNode stored = owner.expect(201, "POST", conv("/messages"), Map.of("text", "b".repeat(10_000)));
        assertThat(stored.path("text").asText()).hasSize(10_000);
        // Surrounding whitespace is not the message.
        owner.expect(201, "POST", conv("/messages"), Map.of("type", "note", "text", "  " + "c".repeat(10_000) + "\n"));
    }

    static Stream<Arguments> namedThings() {
        return Stream.of(
                Arguments.of("POST", "/v2/tags", "name", Map.of()),
                Arguments.of("PATCH", "/v2/tags/" + tagB, "name", Map.of()),
                Arguments.of("POST", "/v2/groups", "name", Map.of()),
                Arguments.of("POST", "/v2/groups", "key", Map.of("name", "Group with a long key")),
                Arguments.of("POST", "/v2/agents", "name", Map.of("email", "longname@shop.test", "password", "long-password-1")),
                Arguments.of("PATCH", "/v2/agents/" + target.agentId(), "name", Map.of()),
                Arguments.of("PATCH", "/auth/me", "name", Map.of()),
                Arguments.of("POST", "/v2/tokens", "name", Map.of()),
                Arguments.of("PATCH", "/v2/visitors/" + visitorId, "name", Map.of()));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("namedThings")
    void aNameOf256CharactersIsRefused(String method, String path, String field, Map<String, Object> rest) {
        Map<String, Object> body = new LinkedHashMap<>(rest);
        body.put(field, "n".repeat(256));
        JsonNode error = refused(422, "validation_failed", method, path, "application/json", Json.write(body));
        assertThat(error.path("field").asText()).isEqualTo(field);
    }

    @Test
    void aNameOf255CharactersIsAccepted() {
        String name = "t".repeat(254) + SEQ.incrementAndGet() % 10;
        assertThat(owner.expect(201, "POST", "/v2/tags", Map.of("name", name)).path("name").asText()).hasSize(255);
    }

    // --- ids, tabs, cursors ---

    static Stream<Arguments> missingThings() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("abc", "0", "-1", "1.5", "1e3", "99999999", "99999999999999999999", "%20", "null")) {
            out.add(Arguments.of("GET", "/v2/conversations/" + id, null));
            out.add(Arguments.of("GET", "/v2/conversations/" + id + "/messages", null));
            out.add(Arguments.of("POST", "/v2/conversations/" + id + "/messages", "{\"text\":\"hi\"}"));
            out.add(Arguments.of("POST", "/v2/conversations/" + id + "/join", null));
            out.add(Arguments.of("POST", "/v2/conversations/" + id + "/resolve", null));
            out.add(Arguments.of("PATCH", "/v2/conversations/" + id, "{\"important\":true}"));
            out.add(Arguments.of("PUT", "/v2/conversations/" + id + "/tags", "{\"tag_ids\":[]}"));
            out.add(Arguments.of("GET", "/v2/visitors/" + id, null));
            out.add(Arguments.of("PATCH", "/v2/visitors/" + id, "{\"note\":\"x\"}"));
            out.add(Arguments.of("GET", "/v2/contacts/" + id, null));
            out.add(Arguments.of("PATCH", "/v2/agents/" + id, "{\"name\":\"x\"}"));
            out.add(Arguments.of("PATCH", "/v2/tags/" + id, "{\"name\":\"x\"}"));
            out.add(Arguments.of("DELETE", "/v2/tags/" + id, null));
            out.add(Arguments.of("DELETE", "/v2/groups/" + id, null));
            out.add(Arguments.of("DELETE", "/v2/tokens/" + id, null));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("missingThings")
    void nonNumericAndUnknownIdsAreNotFound(String method, String path, String body) {
        refused(404, "not_found", method, path, body == null ? null : "application/json", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"archived", "ALL", "", "open", "mine%20", "new,mine"})
    void anUnknownTabIsRefused(String tab) {
        JsonNode error = refused(422, "validation_failed", "GET", "/v2/conversations?tab=" + tab, null, null);
        assertThat(error.path("field").asText()).isEqualTo("tab");
    }

    static Stream<String> badCursors() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        // A control character ("%00") is refused before any route reads the query: InputHygieneTest.
        return Stream.of("!!!", "not-a-cursor", b64.encodeToString("1".getBytes()), b64.encodeToString("x:y".getBytes()),
                b64.encodeToString("1:".getBytes()), b64.encodeToString(":1".getBytes()),
                b64.encodeToString("1:99999999999999999999".getBytes()), b64.encodeToString("99999999999999999999:1".getBytes()));
    }

    @ParameterizedTest
    @MethodSource("badCursors")
    void aBadCursorIsRefused(String cursor) {
        for (String tab : List.of("all", "resolved")) {
            JsonNode error = refused(422, "validation_failed", "GET", "/v2/conversations?tab=" + tab + "&after=" + cursor, null, null);
            assertThat(error.path("field").asText()).isEqualTo("after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=-1", "limit=201", "limit=abc", "limit=1.5", "limit=99999999999"})
    void aBadLimitIsRefused(String query) {
        assertThat(refused(422, "validation_failed", "GET", "/v2/conversations?" + query, null, null).path("field").asText())
                .isEqualTo("limit");
        assertThat(refused(422, "validation_failed", "GET", conv("/messages?") + query, null, null).path("field").asText())
                .isEqualTo("limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "99999999999999999999"})
    void aBadMessageCursorIsRefused(String before) {
        assertThat(refused(422, "validation_failed", "GET", conv("/messages?before=") + before, null, null).path("field").asText())
                .isEqualTo("before");
    }

    @Test
    void aBadSearchIsRefused() {
        assertThat(refused(422, "validation_failed", "POST", "/v2/conversations/search", "application/json", "{\"size\":0}")
                .path("field").asText()).isEqualTo("size");
        assertThat(refused(422, "validation_failed", "POST", "/v2/conversations/search", "application/json", "{\"size\":201}")
                .path("field").asText()).isEqualTo("size");
        assertThat(refused(422, "validation_failed", "POST", "/v2/conversations/search", "application/json", "{\"after\":\"x\"}")
                .path("field").asText()).isEqualTo("after");
        assertThat(refused(422, "validation_failed", "POST", "/v2/conversations/search", "application/json",
                "{\"filters\":{\"date_from\":\"2026-13-45\"}}").path("field").asText()).isEqualTo("date_from");
    }

    // --- refused domain input writes nothing ---

    @Test
    void anAgentMessageOfAnUnknownTypeIsRefused() {
        JsonNode error = refused(422, "validation_failed", "POST", conv("/messages"), "application/json",
                "{\"type\":\"event\",\"text\":\"fake system event\"}");
        assertThat(error.path("field").asText()).isEqualTo("type");
    }

    @Test
    void postingAsAnotherAgentWithASessionIsRefused() {
        JsonNode error = refused(422, "validation_failed", "POST", conv("/messages"), "application/json",
                Json.write(Map.of("text", "Posing as Target", "agent_id", target.agentId())));
        assertThat(error.path("field").asText()).isEqualTo("agent_id");
    }

    @Test
    void inviteWithAnUnknownGroupWritesNothing() {
        String email = "grouped" + SEQ.incrementAndGet() + "@shop.test";
        JsonNode error = refused(422, "validation_failed", "POST", "/v2/agents", "application/json", Json.write(Map.of(
                "email", email, "name", "Grouped", "password", "grouped-password", "group_ids", List.of(999_999))));
        assertThat(error.path("field").asText()).isEqualTo("group_ids");
        assertThat(owner.expect(200, "GET", "/v2/agents", null).toString()).doesNotContain(email);
    }

    @Test
    void anInviteThatIsRefusedWritesNothing() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("email", "not-an-email", "name", "X", "password", "long-enough-1"),
                Map.of("email", "short@shop.test", "name", "X", "password", "short"),
                Map.of("email", "norole@shop.test", "name", "X", "password", "long-enough-1", "role", "owner"),
                Map.of("email", "target@shop.test", "name", "Dup", "password", "long-enough-1"),
                Map.of("email", "TARGET@shop.test", "name", "Dup", "password", "long-enough-1"))) {
            RowCounts.unchangedBy(app, () -> {
                owner.send("POST", "/v2/agents", body);
                assertThat(owner.lastStatus).as(body.toString()).isIn(409, 422);
            });
        }
    }

    @Test
    void agentPatchWithAnUnknownGroupChangesNothing() {
        JsonNode error = refused(422, "validation_failed", "PATCH", "/v2/agents/" + target.agentId(), "application/json",
                "{\"name\":\"Renamed\",\"role\":\"admin\",\"group_ids\":[999999]}");
        assertThat(error.path("field").asText()).isEqualTo("group_ids");
        JsonNode me = target.expect(200, "GET", "/auth/me", null).path("agent");
        assertThat(me.path("name").asText()).isEqualTo("Target");
        assertThat(me.path("role").asText()).isEqualTo("agent");
    }

    @Test
    void tagsPutWithAnUnknownTagChangesNothing() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Tag me")) {
            String path = "/v2/conversations/" + v.conversationId() + "/tags";
            owner.expect(200, "PUT", path, Map.of("tag_ids", List.of(tagA)));
            JsonNode error = refused(422, "validation_failed", "PUT", path, "application/json",
                    "{\"tag_ids\":[" + tagB + ",999999]}");
            assertThat(error.path("field").asText()).isEqualTo("tag_ids");
            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null);
            assertThat(ConversationRulesApiTest.ids(c.path("tags"), "id")).containsExactly(tagA);
        }
    }

    @Test
    void assigningAnUnknownAgentWritesNothing() {
        JsonNode before = owner.expect(200, "GET", conv(""), null).path("assigned_ids");
        for (String body : List.of("{\"agent_id\":999999}", "{\"agent_id\":null}", "{}", "{\"agent_id\":-3}")) {
            JsonNode error = refused(422, "validation_failed", "POST", conv("/assign"), "application/json", body);
            assertThat(error.path("field").asText()).isEqualTo("agent_id");
        }
        assertThat(owner.expect(200, "GET", conv(""), null).path("assigned_ids")).isEqualTo(before);
    }

    @Test
    void refusedTagEditsWriteNothing() {
        refused(422, "validation_failed", "POST", "/v2/tags", "application/json", "{\"name\":\"red\",\"color\":\"red\"}");
        refused(422, "validation_failed", "POST", "/v2/tags", "application/json", "{\"name\":\"   \"}");
        refused(422, "validation_failed", "PATCH", "/v2/tags/" + tagA, "application/json", "{\"color\":\"#12345\"}");
        refused(409, "conflict", "POST", "/v2/tags", "application/json", "{\"name\":\"ALPHA\"}");
        refused(409, "conflict", "PATCH", "/v2/tags/" + tagB, "application/json", "{\"name\":\"Alpha\"}");
        assertThat(owner.expect(200, "GET", "/v2/tags", null).toString()).contains("\"alpha\"").doesNotContain("\"red\"")
                .doesNotContain("\"Alpha\"");
    }

    @Test
    void aProfilePatchWithABadStatusIsRefused() {
        JsonNode error = refused(422, "validation_failed", "PATCH", "/auth/me", "application/json", "{\"status\":\"busy\"}");
        assertThat(error.path("field").asText()).isEqualTo("status");
    }

    @Test
    void aSearchForAStatusThereIsNotIsRefused() {
        // Smartsupp's "pending" is not a Parley status (docs/API.md): it was searched as open before.
        JsonNode error = refused(422, "validation_failed", "POST", "/v2/conversations/search", "application/json",
                "{\"filters\":{\"status\":\"pending\"}}");
        assertThat(error.path("field").asText()).isEqualTo("status");
        assertThat(error.path("message").asText()).contains("'open'", "'closed'");
    }

    // --- the visitor socket ---

    @Test
    void aMalformedFrameIsRefusedAndTheSocketStaysOpen() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            for (String frame : List.of("{", "not json", "[]", "[{\"type\":\"message\"}]", "\"message\"", "42", "null")) {
                RowCounts.unchangedBy(app, () -> {
                    v.socket.send(frame);
                    assertThat(v.socket.await("error").path("code").asText()).as(frame).isEqualTo("malformed_json");
                });
            }
            v.socket.send(Map.of("type", "ping"));
            v.socket.await("pong");
        }
    }

    @Test
    void anUnknownFrameTypeIsRefused() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            for (Map<String, Object> frame : List.<Map<String, Object>>of(Map.of("type", "resolve"), Map.of("type", "join"),
                    Map.of("type", "MESSAGE", "text", "hi"), Map.of("text", "no type"), Map.of("type", 5))) {
                RowCounts.unchangedBy(app, () -> assertThat(v.refused(frame).path("code").asText()).as(frame.toString())
                        .isEqualTo("unknown_type"));
            }
            v.socket.send(Map.of("type", "ping"));
            v.socket.await("pong");
        }
    }

    @Test
    void aVisitorCanNeverReachAnotherVisitorsConversation() {
        JsonNode theirs = owner.expect(200, "GET", conv(""), null);
        long theirLastMessage = theirs.path("last_message").path("id").asLong();
        try (ChatVisitor stranger = ChatVisitor.connect(app)) {
            // With no conversation of their own, naming someone else's is "not found", never a way in.
            for (Map<String, Object> frame : List.<Map<String, Object>>of(
                    Map.of("type", "read", "message_id", theirLastMessage),
                    Map.of("type", "read", "conversation_id", conversationId, "message_id", theirLastMessage),
                    Map.of("type", "close"),
                    Map.of("type", "close", "conversation_id", conversationId),
                    Map.of("type", "rate", "value", 1, "conversation_id", conversationId))) {
                RowCounts.unchangedBy(app, () -> assertThat(stranger.refused(frame).path("code").asText()).as(frame.toString())
                        .isEqualTo("not_found"));
            }
            // With a conversation of their own, another's id in a frame changes only their own.
            stranger.say("My own question");
            stranger.socket.send(Map.of("type", "close", "conversation_id", conversationId));
            stranger.socket.await(f -> "conversation.updated".equals(f.path("type").asText())
                    && f.path("conversation_id").asLong() == stranger.conversationId());
        }
        JsonNode after = owner.expect(200, "GET", conv(""), null);
        assertThat(after.path("status").asText()).isEqualTo("open");
        assertThat(after.path("visitor_read_id").asLong()).isEqualTo(theirs.path("visitor_read_id").asLong());
        assertThat(after.path("rating_value").isNull()).isTrue();
    }

    @Test
    void anEmptyVisitorMessageIsRefused() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            List<Map<String, Object>> frames = new ArrayList<>();
            frames.add(Map.of("type", "message", "client_id", "e1", "text", ""));
            frames.add(Map.of("type", "message", "client_id", "e2", "text", "   \n\t "));
            frames.add(Map.of("type", "message", "client_id", "e3"));
            frames.add(Map.of("type", "message", "client_id", "e4", "text", 42));
            frames.add(Map.of("type", "message", "client_id", "e5", "text", List.of("hi")));
            Map<String, Object> nullText = new LinkedHashMap<>();
            nullText.put("type", "message");
            nullText.put("client_id", "e6");
            nullText.put("text", null);
            frames.add(nullText);
            for (Map<String, Object> frame : frames) {
                RowCounts.unchangedBy(app, () -> assertThat(v.refused(frame).path("code").asText()).as(frame.toString())
                        .isEqualTo("validation_failed"));
            }
        }
    }

    @Test
    void aVisitorMessageOf10001CharactersIsRefusedAnd10000Accepted() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            RowCounts.unchangedBy(app, () -> assertThat(v.refused(Map.of("type", "message", "client_id", "long",
                    "text", "x".repeat(10_001))).path("code").asText()).isEqualTo("validation_failed"));
            assertThat(v.say("y".repeat(10_000)).path("text").asText()).hasSize(10_000);
        }
    }

    @Test
    void aVisitorClientIdOver100CharactersIsRefused() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            RowCounts.unchangedBy(app, () -> assertThat(v.refused(Map.of("type", "message", "client_id", "c".repeat(101),
                    "text", "hi")).path("code").asText()).isEqualTo("validation_failed"));
        }
    }

    @Test
    void aContactFormWithoutAnEmailIsRefused() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            for (Map<String, Object> frame : List.<Map<String, Object>>of(
                    Map.of("type", "contact_form", "client_id", "f1", "text", "Call me"),
                    Map.of("type", "contact_form", "client_id", "f2", "email", "not-an-email", "text", "Call me"),
                    Map.of("type", "contact_form", "client_id", "f3", "email", "a@b.example", "text", ""))) {
                RowCounts.unchangedBy(app, () -> assertThat(v.refused(frame).path("code").asText()).as(frame.toString())
                        .isEqualTo("validation_failed"));
            }
        }
    }

    // --- never a 500 ---

    /** Every POST, PATCH and PUT route, with the request fields it knows. */
    static Stream<Arguments> writeRoutes() {
        return Stream.of(
                Arguments.of("PATCH", "/auth/me", List.of("status", "name", "avatar_url")),
                Arguments.of("POST", "/v2/agents", List.of("email", "name", "password", "role", "group_ids")),
                Arguments.of("PATCH", "/v2/agents/{agent}", List.of("name", "role", "active", "group_ids")),
                Arguments.of("POST", "/v2/groups", List.of("name", "key")),
                Arguments.of("POST", "/v2/tags", List.of("name", "color", "description")),
                Arguments.of("PATCH", "/v2/tags/{tag}", List.of("name", "color", "description")),
                Arguments.of("POST", "/v2/tokens", List.of("name")),
                Arguments.of("POST", "/v2/webhooks", List.of("url", "events", "secret", "active")),
                Arguments.of("PATCH", "/v2/webhooks/{w}", List.of("url", "events", "active")),
                Arguments.of("POST", "/v2/conversations/search", List.of("size", "after", "sort", "filters", "query")),
                Arguments.of("POST", "/v2/conversations/{c}/messages", List.of("type", "text", "client_id", "agent_id")),
                Arguments.of("POST", "/v2/conversations/{c}/join", List.of()),
                Arguments.of("POST", "/v2/conversations/{c}/leave", List.of()),
                Arguments.of("POST", "/v2/conversations/{c}/assign", List.of("agent_id")),
                Arguments.of("POST", "/v2/conversations/{c}/unassign", List.of("agent_id")),
                Arguments.of("POST", "/v2/conversations/{c}/resolve", List.of()),
                Arguments.of("POST", "/v2/conversations/{c}/read", List.of()),
                Arguments.of("POST", "/v2/conversations/{c}/unread", List.of()),
                Arguments.of("PATCH", "/v2/conversations/{c}", List.of("important")),
                Arguments.of("PUT", "/v2/conversations/{c}/tags", List.of("tag_ids")),
                Arguments.of("PATCH", "/v2/visitors/{v}", List.of("name", "email", "phone", "note")));
    }

    /** Whole bodies that are odd in themselves. */
    static final List<String> ODD_BODIES = List.of("", " ", "\n", "null", "true", "0", "-1", "1e999", "\"text\"", "[]", "[{}]",
            "[1,2]", "{}", "{", "}", "{\"", "{\"a\":}", "{'a':1}", "{\"a\":1}{}", "{\"a\":1},", "\uFEFF{}", "{\"a\":1} trailing",
            "{\"text\":\"a\",\"text\":\"b\"}", "{\"\":1}", "{\"__proto__\":{}}",
            "[".repeat(5_000) + "]".repeat(5_000), "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000),
            "{\"text\":\"\\ud83d\"}", "{\"text\":\"\\uZZZZ\"}", "{\"text\":\"" + "\\\\".repeat(20_000) + "\"}");

    /** Odd values, tried in each field a route knows. */
    static final List<String> ODD_VALUES = List.of("null", "true", "false", "-1", "0", "1.5", "1e308", "-1e308",
            "99999999999999999999999", "\"\"", "\" \"", "\"" + "x".repeat(300) + "\"", "\"" + "x".repeat(20_000) + "\"",
            "[]", "[1.5]", "[\"a\"]", "[[1]]", "{}", "{\"a\":1}", "\"\\ud83d\"", "\"\\u202e\\u0301\"", "\"' OR 1=1 --\"",
            "\"%_\\\\\"", "\"<script>alert(1)</script>\"", "\"2026-02-30\"", "\"-9223372036854775808\"", "9223372036854775807");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("writeRoutes")
    void noBodyMakesAWriteRouteAnswer500(String method, String route, List<String> fields) {
        // Each route gets a shop of its own, so what one route's corpus creates cannot collide with another's.
        int n = SEQ.incrementAndGet();
        TestAccounts.Created shop = TestAccounts.create(app, "Corpus Shop " + n, "corpus" + n + "@corpus.test", "corpus-password-1");
        Api shopOwner = app.login(shop.ownerEmail(), shop.ownerPassword());
        long agent = shopOwner.expect(201, "POST", "/v2/agents", Map.of("email", "corpus-agent" + n + "@corpus.test",
                "name", "Corpus Agent", "password", "corpus-password-2", "role", "agent")).path("id").asLong();
        long tag = shopOwner.expect(201, "POST", "/v2/tags", Map.of("name", "corpus-tag")).path("id").asLong();
        try (ChatVisitor v = ChatVisitor.connect(app, shop.chatKey())) {
            v.say("Corpus conversation");
            long visitor = shopOwner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
            String path = route.replace("{c}", String.valueOf(v.conversationId()))
                    .replace("{agent}", String.valueOf(agent))
                    .replace("{tag}", String.valueOf(tag))
                    .replace("{v}", String.valueOf(visitor));
            if (path.contains("{w}")) {
                path = path.replace("{w}", shopOwner.expect(201, "POST", "/v2/webhooks", Map.of("url", "https://corpus.example.com/",
                        "events", List.of("conversation.opened"))).path("id").asText());
            }
            List<String> bodies = new ArrayList<>(ODD_BODIES);
            for (String field : fields) {
                for (String value : ODD_VALUES) bodies.add("{\"" + field + "\":" + value + "}");
            }
            if (!fields.isEmpty()) {
                for (String value : ODD_VALUES) {
                    StringBuilder all = new StringBuilder("{");
                    for (String field : fields) all.append(all.length() > 1 ? "," : "").append('"').append(field).append("\":").append(value);
                    bodies.add(all.append('}').toString());
                }
            }
            List<String> failures = new ArrayList<>();
            for (String body : bodies) {
                JsonNode r = shopOwner.raw(method, path, "application/json", body);
                if (shopOwner.lastStatus >= 500) failures.add(shopOwner.lastStatus + " for " + abbreviate(body) + ": " + r);
            }
            assertThat(failures).as(method + " " + path).isEmpty();
        }
    }

    @Test
    void noBodyMakesSignInAnswer500() {
        // Sign-in has a budget of failed attempts per IP address: a Parley of its own keeps this test from spending
        // the budget the other tests sign in with. Past the budget the answer is 429, which is fine here.
        try (TestParley own = TestParley.start()) {
            Api anonymous = own.owner();
            anonymous.expect(204, "POST", "/auth/logout", null);
            List<String> bodies = new ArrayList<>(ODD_BODIES);
            for (String value : ODD_VALUES) {
                bodies.add("{\"email\":" + value + ",\"password\":" + value + "}");
                bodies.add("{\"email\":\"owner@shop.test\",\"password\":" + value + "}");
            }
            List<String> failures = new ArrayList<>();
            for (String body : bodies) {
                JsonNode r = anonymous.raw("POST", "/auth/login", "application/json", body);
                if (anonymous.lastStatus >= 500) failures.add(anonymous.lastStatus + " for " + abbreviate(body) + ": " + r);
            }
            assertThat(failures).isEmpty();
        }
    }

    /** The fields each visitor frame type knows (docs/PROTOCOL.md). */
    static final Map<String, List<String>> FRAME_FIELDS = Map.of(
            "message", List.of("text", "client_id"),
            "contact_form", List.of("client_id", "email", "name", "phone", "group", "text"),
            "identify", List.of("name", "email", "phone", "group", "language", "variables"),
            "page", List.of("url", "title", "referrer"),
            "typing", List.of("typing", "draft"),
            "read", List.of("message_id"),
            "close", List.of("conversation_id"),
            "rate", List.of("value", "text"));

    @Test
    void noFrameMakesTheVisitorSocketAnswerInternalError() {
        List<String> frames = new ArrayList<>(ODD_BODIES);
        FRAME_FIELDS.forEach((type, fields) -> {
            for (String field : fields) {
                for (String value : ODD_VALUES) frames.add("{\"type\":\"" + type + "\",\"" + field + "\":" + value + "}");
            }
        });
        for (String vars : List.of("{\"k\":{\"label\":null,\"value\":{}}}", "{\"k\":[1]}", "{\"\":1}",
                "{\"k\":{\"label\":{},\"value\":1}}", "{\"k\":{\"value\":\"4242 4242 4242 4242\"}}")) {
            frames.add("{\"type\":\"identify\",\"variables\":" + vars + "}");
        }
        List<String> failures = new ArrayList<>();
        // A fresh socket for every few frames keeps the per-socket rate limits out of the way.
        for (int i = 0; i < frames.size(); i += 10) {
            List<String> batch = frames.subList(i, Math.min(frames.size(), i + 10));
            try (ChatVisitor v = ChatVisitor.connect(app)) {
                for (String frame : batch) v.socket.send(frame);
                // The journal answers in order: once this message is acknowledged, every earlier frame has its answer.
                v.say("sentinel");
                for (JsonNode f : v.socket.frames(50)) {
                    if ("internal_error".equals(f.path("code").asText())) {
                        failures.add(f + " after one of " + batch.stream().map(BadInputTest::abbreviate).toList());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    // --- helpers ---

    static String conv(String suffix) {
        return "/v2/conversations/" + conversationId + suffix;
    }

    /** Sends as the owner, expects the refusal, and proves nothing was written; returns the error object. */
    private static JsonNode refused(int status, String code, String method, String path, String contentType, String body) {
        JsonNode[] answer = new JsonNode[1];
        RowCounts.unchangedBy(app, () -> {
            answer[0] = owner.raw(method, path, contentType, body);
            assertThat(owner.lastStatus).as(method + " " + path + " " + abbreviate(body) + " → " + answer[0]).isEqualTo(status);
            assertThat(answer[0].path("error").path("code").asText()).isEqualTo(code);
            assertThat(answer[0].path("error").path("message").asText()).isNotBlank();
        });
        return answer[0].path("error");
    }

    private static String csrf(Api api) {
        return api.me().path("csrf_token").asText();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 120 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)";
    }
}
