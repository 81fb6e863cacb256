package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge cases found by probing the server: odd characters, nulls in lists, refusals that must write nothing,
 * oversized frames, group moves, and the statement count of search. Each failed once.
 */
class HardeningTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static Api eva;
    static ChatVisitor visitor;
    static long conversationId;
    static long visitorId;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        eva = app.createAgent("eva@shop.test", "Eva", "eva-password-1", "agent");
        visitor = ChatVisitor.withConversation(app, "Hello");
        conversationId = visitor.conversationId();
        visitorId = owner.expect(200, "GET", "/v2/conversations/" + conversationId, null).path("visitor_id").asLong();
    }

    @AfterAll
    static void stop() {
        visitor.close();
        app.close();
    }

    // docs/API.md: GET /v2/conversations/tabs → {"mode","all","primary"?,"new","mine"?,"resolved"}.
    @Test
    void logoutWithTheCookieNeedsTheCsrfToken() {
        Api api = app.createAgent("logout" + SEQ.incrementAndGet() + "@shop.test", "Logout", "logout-password-1", "agent");
        RawHttp.Response r = RawHttp.send(api.client(), app.baseUrl(), "POST", "/auth/logout", Map.of(), null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("csrf_failed");
        api.expect(200, "GET", "/auth/me", null);
    }

    // BadInputTest "nothing half-written": PATCH /auth/me commits the name, then refuses the status.
    @Test
    void aChatBoxConnectionSetsNoCookieAndLeavesNoServerSession() throws Exception {
        // Javalin reads the HTTP session's attributes on every socket upgrade, which made Jetty create a session
        // (and send a JSESSIONID cookie into the shop's page) per chat box, kept in memory after the socket closed.
        URI base = URI.create(app.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String key = Base64.getEncoder().encodeToString("parley-test-key!".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(("GET /ws/visitor?key=" + app.accountKey() + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) head.add(line);
            assertThat(head.getFirst()).contains(" 101 ");
            assertThat(head).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie"));
        }
        org.eclipse.jetty.session.SessionCache sessions = app.parley().web().jettyServer().server()
                .getDescendant(org.eclipse.jetty.ee10.servlet.SessionHandler.class).getSessionCache();
        assertThat(sessions).as("no session is kept for anyone").isInstanceOf(org.eclipse.jetty.session.NullSessionCache.class);
    }

    @Test
    void aRefusedProfilePatchChangesNothing() {
        Api api = app.createAgent("profile" + SEQ.incrementAndGet() + "@shop.test", "Before", "profile-password-1", "agent");
        RowCounts.unchangedBy(app, () -> {
            JsonNode r = api.expect(422, "PATCH", "/auth/me", Map.of("name", "After", "status", "asleep"));
            assertThat(r.path("error").path("field").asText()).isEqualTo("status");
        });
        assertThat(api.expect(200, "GET", "/auth/me", null).path("agent").path("name").asText()).isEqualTo("Before");
    }

    // BadInputTest "nothing half-written": the contact form stores the visitor's identity, then refuses the client_id.
    @Test
    void aContactFormRefusedForItsClientIdWritesNothing() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            RowCounts.unchangedBy(app, () -> {
                JsonNode error = v.refused(Map.of("type", "contact_form", "client_id", "c".repeat(101),
                        "email", "form@example.com", "name", "Form Filler", "text", "Please call me"));
                assertThat(error.path("code").asText()).isEqualTo("validation_failed");
            });
        }
    }

    // STYLE.md: never a 500 for bad input. Set.copyOf(...) throws NullPointerException on a null element.
    static Stream<Arguments> nullInIdLists() {
        return Stream.of(
                Arguments.of("PUT", "/v2/conversations/{c}/tags", "{\"tag_ids\":[null]}"),
                Arguments.of("POST", "/v2/agents", "{\"email\":\"null-group@shop.test\",\"name\":\"N\",\"password\":\"null-password\",\"group_ids\":[null]}"),
                Arguments.of("PATCH", "/v2/agents/{eva}", "{\"group_ids\":[null]}"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("nullInIdLists")
    void aNullInAnIdListIsRefused(String method, String path, String body) {
        String p = path.replace("{c}", String.valueOf(conversationId)).replace("{eva}", String.valueOf(eva.agentId()));
        RowCounts.unchangedBy(app, () -> {
            JsonNode r = owner.raw(method, p, "application/json", body);
            assertThat(owner.lastStatus).as(r.toString()).isEqualTo(422);
            assertThat(r.path("error").path("code").asText()).isEqualTo("validation_failed");
        });
    }

    // STYLE.md: never a 500 for bad input. Search.run calls getFirst().values() on a null sort entry.
    @Test
    void aSearchSortWithANullEntryIsRefused() {
        JsonNode r = owner.raw("POST", "/v2/conversations/search", "application/json", "{\"sort\":[null]}");
        assertThat(owner.lastStatus).as(r.toString()).isIn(400, 422);
    }

    // STYLE.md: never a 500 for bad input. PostgreSQL text cannot hold U+0000: it must be refused or removed.
    static Stream<Arguments> nulCharacters() {
        String nul = "\"a\\u0000b\"";
        return Stream.of(
                Arguments.of("POST", "/auth/login", "{\"email\":" + nul + ",\"password\":\"whatever-password\"}"),
                Arguments.of("POST", "/v2/conversations/{c}/messages", "{\"text\":" + nul + "}"),
                Arguments.of("POST", "/v2/conversations/{c}/messages", "{\"type\":\"note\",\"text\":" + nul + "}"),
                Arguments.of("PATCH", "/auth/me", "{\"name\":" + nul + "}"),
                Arguments.of("POST", "/v2/tags", "{\"name\":" + nul + "}"),
                Arguments.of("POST", "/v2/groups", "{\"name\":" + nul + "}"),
                Arguments.of("POST", "/v2/tokens", "{\"name\":" + nul + "}"),
                Arguments.of("PATCH", "/v2/visitors/{v}", "{\"note\":" + nul + "}"),
                Arguments.of("POST", "/v2/conversations/search", "{\"filters\":{\"query\":" + nul + "}}"),
                Arguments.of("POST", "/v2/conversations/search", "{\"filters\":{\"page_url\":" + nul + "}}"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("nulCharacters")
    void aNulCharacterNeverCausesA500(String method, String path, String body) {
        String p = path.replace("{c}", String.valueOf(conversationId)).replace("{v}", String.valueOf(visitorId));
        JsonNode r = owner.raw(method, p, "application/json", body);
        assertThat(owner.lastStatus).as(r.toString()).isLessThan(500);
    }

    @Test
    void aNulCharacterNeverCausesAnInternalErrorOnTheVisitorSocket() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.socket.send("{\"type\":\"message\",\"client_id\":\"nul-1\",\"text\":\"a\\u0000b\"}");
            v.socket.send("{\"type\":\"identify\",\"client_id\":\"nul-2\",\"name\":\"a\\u0000b\"}");
            v.socket.send("{\"type\":\"page\",\"client_id\":\"nul-3\",\"url\":\"https://shop.test/\\u0000\",\"title\":\"a\\u0000b\"}");
            v.socket.send(Map.of("type", "ping"));
            v.socket.await("pong");
            assertThat(v.socket.frames(1_000)).noneMatch(f -> "internal_error".equals(f.path("code").asText()));
        }
    }

    // docs/PROTOCOL.md: a refused frame gets an error frame (codes include payload_too_large); the socket stays open.
    @Test
    void aVisitorFrameOver64KiBIsRefusedAndTheSocketStaysOpen() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.socket.send(Json.write(Map.of("type", "message", "client_id", "big", "text", "x".repeat(70_000))));
            assertThat(v.socket.await("error").path("code").asText()).isEqualTo("payload_too_large");
            v.socket.send(Map.of("type", "ping"));
            v.socket.await("pong");
        }
    }

    // docs/PRODUCT.md §1.2: an agent in groups sees only conversations of those groups; a tab lists what the agent may open.
    @Test
    void everyConversationInAnAgentsTabsCanBeOpenedAfterTheirGroupsChange() {
        int n = SEQ.incrementAndGet();
        long a = owner.expect(201, "POST", "/v2/groups", Map.of("name", "A" + n, "key", "a" + n)).path("id").asLong();
        long b = owner.expect(201, "POST", "/v2/groups", Map.of("name", "B" + n, "key", "b" + n)).path("id").asLong();
        owner.expect(201, "POST", "/v2/agents", Map.of("email", "mover" + n + "@shop.test", "name", "Mover",
                "password", "mover-password-1", "group_ids", List.of(a)));
        Api mover = app.login("mover" + n + "@shop.test", "mover-password-1");
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.routeToGroup("a" + n);
            v.say("For group A");
            mover.expect(200, "POST", "/v2/conversations/" + v.conversationId() + "/join", null);
            owner.expect(200, "PATCH", "/v2/agents/" + mover.agentId(), Map.of("group_ids", List.of(b)));

            List<Long> listed = new ArrayList<>();
            for (String tab : List.of("all", "primary", "new", "mine", "resolved")) {
                listed.addAll(ConversationRulesApiTest.tab(mover, tab));
            }
            for (long id : listed) {
                mover.send("GET", "/v2/conversations/" + id, null);
                assertThat(mover.lastStatus).as("conversation " + id + " is listed but cannot be opened").isEqualTo(200);
            }
            JsonNode tabs = mover.expect(200, "GET", "/v2/conversations/tabs", null);
            assertThat(tabs.path("mine").asInt()).isEqualTo(ConversationRulesApiTest.tab(mover, "mine").size());
        }
    }

    // STYLE.md / Zulip's assert_database_query_count: Search.run loads each hit with its own byId query (N+1).
    @Test
    void searchRunsTheSameStatementsFor1And30Results() {
        TestAccounts.Created shop = TestAccounts.create(app, "Search Shop", "search-owner@search.test", "search-password-1");
        Api boss = app.login(shop.ownerEmail(), shop.ownerPassword());
        Jdbi jdbi = app.parley().database().jdbi();
        SqlLogger previous = jdbi.getConfig(SqlStatements.class).getSqlLogger();
        QueryCountTest.Statements statements = new QueryCountTest.Statements(previous);
        jdbi.setSqlLogger(statements);
        List<ChatVisitor> visitors = new ArrayList<>();
        try {
            Map<String, Object> search = Map.of("size", 50, "filters", Map.of("query", "needle"));
            ChatVisitor first = ChatVisitor.connect(app, shop.chatKey());
            visitors.add(first);
            first.say("A needle in a haystack");
            // The search index follows the chat a moment later (its event consumer): wait for it, then count.
            SearchApiTest.until(java.time.Duration.ofSeconds(10), () -> boss.expect(200, "POST", "/v2/conversations/search", search),
                    r -> r.path("total").asInt() == 1);
            List<String> one = statements.during(() -> boss.expect(200, "POST", "/v2/conversations/search", search));
            for (int i = 1; i < 30; i++) {
                ChatVisitor v = ChatVisitor.connect(app, shop.chatKey());
                visitors.add(v);
                v.say("Another needle " + i);
            }
            JsonNode found = SearchApiTest.until(java.time.Duration.ofSeconds(10),
                    () -> boss.expect(200, "POST", "/v2/conversations/search", search), r -> r.path("total").asInt() == 30);
            assertThat(found.path("items")).hasSize(30);
            List<String> thirty = statements.during(() -> boss.expect(200, "POST", "/v2/conversations/search", search));
            assertThat(thirty).as(String.join("\n", thirty)).hasSameSizeAs(one);
        } finally {
            jdbi.setSqlLogger(previous);
            visitors.forEach(ChatVisitor::close);
        }
    }
}
