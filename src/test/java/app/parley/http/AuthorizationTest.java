package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
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

/** Who may do what (docs/API.md "Authentication", docs/PRODUCT.md §8): sessions, CSRF, roles, accounts, API tokens. */
class AuthorizationTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static Api lena;   // limited access
    static Api adam;   // full access
    static long conversationId;
    static long visitorId;
    static long tagId;
    static long groupId;
    static ChatVisitor visitor;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        lena = app.createAgent("lena@shop.test", "Lena", "lena-password-1", "agent");
        adam = app.createAgent("adam@shop.test", "Adam", "adam-password-1", "admin");
        visitor = ChatVisitor.connect(app);
        visitor.socket.send(Map.of("type", "identify", "name", "Jana", "email", "jana@example.com"));
        visitor.say("Hello, I have a question");
        conversationId = visitor.conversationId();
        JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + conversationId, null);
        visitorId = c.path("visitor_id").asLong();
        tagId = owner.expect(201, "POST", "/v2/tags", Map.of("name", "shipping")).path("id").asLong();
        groupId = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales")).path("id").asLong();
    }

    @AfterAll
    static void stop() {
        visitor.close();
        app.close();
    }

    /** Every route that needs an agent, with a harmless body for writes. */
    static Stream<Arguments> protectedEndpoints() {
        String c = "/v2/conversations/" + conversationId;
        return Stream.of(
                Arguments.of("GET", "/auth/me", null),
                Arguments.of("PATCH", "/auth/me", "{}"),
                Arguments.of("GET", "/v2/account", null),
                Arguments.of("GET", "/v2/account/install", null),
                Arguments.of("GET", "/v2/agents", null),
                Arguments.of("POST", "/v2/agents", "{}"),
                Arguments.of("PATCH", "/v2/agents/1", "{}"),
                Arguments.of("GET", "/v2/groups", null),
                Arguments.of("POST", "/v2/groups", "{}"),
                Arguments.of("PATCH", "/v2/groups/" + groupId, "{}"),
                Arguments.of("DELETE", "/v2/groups/" + groupId, null),
                Arguments.of("GET", "/v2/tags", null),
                Arguments.of("POST", "/v2/tags", "{}"),
                Arguments.of("PATCH", "/v2/tags/" + tagId, "{}"),
                Arguments.of("DELETE", "/v2/tags/" + tagId, null),
                Arguments.of("GET", "/v2/tokens", null),
                Arguments.of("POST", "/v2/tokens", "{}"),
                Arguments.of("DELETE", "/v2/tokens/1", null),
                Arguments.of("GET", "/v2/webhooks", null),
                Arguments.of("POST", "/v2/webhooks", "{}"),
                Arguments.of("PATCH", "/v2/webhooks/1", "{}"),
                Arguments.of("DELETE", "/v2/webhooks/1", null),
                Arguments.of("GET", "/v2/webhooks/1/deliveries", null),
                Arguments.of("POST", "/v2/webhooks/1/test", null),
                Arguments.of("POST", "/v2/webhooks/1/deliveries/1/resend", null),
                Arguments.of("GET", "/v2/conversations", null),
                Arguments.of("GET", "/v2/conversations?tab=resolved", null),
                Arguments.of("GET", "/v2/conversations/tabs", null),
                Arguments.of("POST", "/v2/conversations/search", "{}"),
                Arguments.of("GET", c, null),
                Arguments.of("PATCH", c, "{}"),
                Arguments.of("GET", c + "/messages", null),
                Arguments.of("POST", c + "/messages", "{}"),
                Arguments.of("POST", c + "/join", null),
                Arguments.of("POST", c + "/leave", null),
                Arguments.of("POST", c + "/assign", "{}"),
                Arguments.of("POST", c + "/unassign", "{}"),
                Arguments.of("POST", c + "/resolve", null),
                Arguments.of("POST", c + "/read", null),
                Arguments.of("POST", c + "/unread", null),
                Arguments.of("PUT", c + "/tags", "{}"),
                Arguments.of("GET", "/v2/visitors/" + visitorId, null),
                Arguments.of("PATCH", "/v2/visitors/" + visitorId, "{}"),
                Arguments.of("GET", "/v2/contacts/1", null),
                Arguments.of("PATCH", "/v2/contacts/1", "{}"));
    }

    // --- no credentials, bad credentials ---

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("protectedEndpoints")
    void everyEndpointRefusesARequestWithoutCredentials(String method, String path, String body) {
        RawHttp.Response r = RawHttp.send(app.baseUrl(), method, path, jsonHeaders(body), body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("protectedEndpoints")
    void everyEndpointRefusesABogusBearerToken(String method, String path, String body) {
        Map<String, String> headers = new HashMap<>(jsonHeaders(body));
        headers.put("Authorization", "Bearer pk_not-a-real-token");
        RawHttp.Response r = RawHttp.send(app.baseUrl(), method, path, headers, body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
    }

    /** Writes whose body is checked only after the caller: no credentials wins over a bad body. */
    static Stream<Arguments> badBodiesWithoutCredentials() {
        return protectedEndpoints().filter(a -> a.get()[2] != null)
                .flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], null), Arguments.of(a.get()[0], a.get()[1], "{")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badBodiesWithoutCredentials")
    void missingCredentialsAreRefusedBeforeTheBodyIsRead(String method, String path, String body) {
        RawHttp.Response r = RawHttp.send(app.baseUrl(), method, path, jsonHeaders(body), body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
    }

    @Test
    void otherAuthorizationSchemesAreRefused() {
        RawHttp.Response r = RawHttp.send(app.baseUrl(), "GET", "/v2/conversations",
                Map.of("Authorization", "Basic b3duZXJAc2hvcC50ZXN0Om93bmVyLXBhc3N3b3JkLTE="), null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
    }

    @Test
    void aForgedSessionCookieIsRefused() {
        RawHttp.Response r = RawHttp.send(app.baseUrl(), "GET", "/auth/me",
                Map.of("Cookie", "parley_session=forged-session-value"), null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
    }

    @Test
    void wrongPasswordIsRefused() {
        RawHttp.Response wrong = login(TestParley.OWNER_EMAIL, "not-the-password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("invalid_credentials");
        assertThat(wrong.raw().headers().allValues("Set-Cookie")).isEmpty();

        // An unknown email answers exactly the same, so sign-in does not reveal who has an account.
        RawHttp.Response unknown = login("nobody@shop.test", "not-the-password");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteStrict() {
        RawHttp.Response ok = login(TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD);
        assertThat(ok.status()).isEqualTo(200);
        List<String> cookies = ok.raw().headers().allValues("Set-Cookie");
        String session = cookies.stream().filter(c -> c.startsWith("parley_session=")).findFirst().orElseThrow();
        assertThat(session.toLowerCase()).contains("httponly").contains("samesite=strict").contains("path=/");
        assertThat(session.substring("parley_session=".length()).split(";")[0]).hasSizeGreaterThanOrEqualTo(32);
        // The session secret is in the cookie only, never in the body a script can read.
        assertThat(ok.body().toString()).doesNotContain(session.substring("parley_session=".length()).split(";")[0]);
    }

    @Test
    void logoutEndsTheSession() {
        Api api = app.createAgent("leaving" + SEQ.incrementAndGet() + "@shop.test", "Leaving", "leaving-password-1", "agent");
        api.expect(200, "GET", "/auth/me", null);
        api.expect(204, "POST", "/auth/logout", null);
        JsonNode after = api.expect(401, "GET", "/auth/me", null);
        assertThat(after.path("error").path("code").asText()).isEqualTo("unauthenticated");
    }

    // --- CSRF ---

    static Stream<Arguments> cookieWrites() {
        String c = "/v2/conversations/" + conversationId;
        return Stream.of(
                Arguments.of("POST", c + "/messages", "{\"text\":\"forged reply\"}"),
                Arguments.of("POST", c + "/join", null),
                Arguments.of("POST", c + "/resolve", null),
                Arguments.of("PATCH", c, "{\"important\":true}"),
                Arguments.of("PUT", c + "/tags", "{\"tag_ids\":[" + tagId + "]}"),
                Arguments.of("PATCH", "/auth/me", "{\"name\":\"Forged\"}"),
                Arguments.of("POST", "/v2/tags", "{\"name\":\"forged-tag\"}"),
                Arguments.of("POST", "/v2/tokens", "{\"name\":\"forged token\"}"),
                Arguments.of("POST", "/v2/agents", "{\"email\":\"forged@evil.test\",\"name\":\"F\",\"password\":\"forged-password\"}"),
                Arguments.of("DELETE", "/v2/tags/" + tagId, null),
                Arguments.of("PATCH", "/v2/visitors/" + visitorId, "{\"note\":\"forged\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cookieWrites")
    void cookieWriteWithoutCsrfTokenIsRefused(String method, String path, String body) {
        RowCounts.unchangedBy(app, () -> {
            RawHttp.Response r = RawHttp.send(owner.client(), app.baseUrl(), method, path, jsonHeaders(body), body);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("csrf_failed");
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cookieWrites")
    void cookieWriteWithAWrongCsrfTokenIsRefused(String method, String path, String body) {
        Map<String, String> headers = new HashMap<>(jsonHeaders(body));
        headers.put("X-CSRF-Token", "wrong-token");
        RowCounts.unchangedBy(app, () -> {
            RawHttp.Response r = RawHttp.send(owner.client(), app.baseUrl(), method, path, headers, body);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("csrf_failed");
        });
        JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + conversationId, null);
        assertThat(c.path("status").asText()).isEqualTo("open");
        assertThat(c.path("important").asBoolean()).isFalse();
        assertThat(owner.expect(200, "GET", "/auth/me", null).path("agent").path("name").asText()).isNotEqualTo("Forged");
    }

    @Test
    void cookieReadNeedsNoCsrfToken() {
        RawHttp.Response r = RawHttp.send(owner.client(), app.baseUrl(), "GET", "/v2/conversations", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
    }

    // --- roles ---

    static Stream<Arguments> adminSettings() {
        return Stream.of(
                Arguments.of("POST", "/v2/agents", Map.of("email", "sneaky@shop.test", "name", "Sneaky",
                        "password", "sneaky-password", "role", "admin")),
                Arguments.of("PATCH", "/v2/agents/" + 1, Map.of("name", "Renamed by Lena")),
                Arguments.of("POST", "/v2/groups", Map.of("name", "Lena's group")),
                Arguments.of("PATCH", "/v2/groups/" + groupId, Map.of("name", "Lena's now")),
                Arguments.of("DELETE", "/v2/groups/" + groupId, null),
                Arguments.of("PATCH", "/v2/tags/" + tagId, Map.of("name", "renamed")),
                Arguments.of("DELETE", "/v2/tags/" + tagId, null),
                Arguments.of("GET", "/v2/tokens", null),
                Arguments.of("POST", "/v2/tokens", Map.of("name", "Lena's token")),
                Arguments.of("DELETE", "/v2/tokens/1", null),
                Arguments.of("GET", "/v2/webhooks", null),
                Arguments.of("POST", "/v2/webhooks", Map.of("url", "https://lena.example.com/", "events", List.of("conversation.opened"))),
                Arguments.of("PATCH", "/v2/webhooks/1", Map.of("active", false)),
                Arguments.of("DELETE", "/v2/webhooks/1", null),
                Arguments.of("GET", "/v2/webhooks/1/deliveries", null),
                Arguments.of("POST", "/v2/webhooks/1/test", null),
                Arguments.of("POST", "/v2/webhooks/1/deliveries/1/resend", null),
                Arguments.of("GET", "/v2/account/install", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminSettings")
    void limitedAgentIsForbiddenAdminSettings(String method, String path, Object body) {
        RowCounts.unchangedBy(app, () -> {
            JsonNode r = lena.expect(403, method, path, body);
            assertThat(r.path("error").path("code").asText()).isEqualTo("forbidden");
        });
        assertThat(owner.expect(200, "GET", "/auth/me", null).path("agent").path("name").asText()).isEqualTo("Owner");
        assertThat(owner.expect(200, "GET", "/v2/tags", null).toString()).contains("\"shipping\"");
    }

    @Test
    void adminMayUseTheSettingsALimitedAgentMayNot() {
        adam.expect(200, "GET", "/v2/tokens", null);
        adam.expect(201, "POST", "/v2/tokens", Map.of("name", "Adam's token"));
        long hook = adam.expect(201, "POST", "/v2/webhooks", Map.of("url", "https://adam.example.com/hook",
                "events", List.of("conversation.opened"))).path("id").asLong();
        adam.expect(200, "GET", "/v2/webhooks/" + hook + "/deliveries", null);
        adam.expect(204, "DELETE", "/v2/webhooks/" + hook, null);
        long group = adam.expect(201, "POST", "/v2/groups", Map.of("name", "Adam's group")).path("id").asLong();
        assertThat(adam.expect(200, "PATCH", "/v2/groups/" + group, Map.of("name", "Adam's team")).path("name").asText())
                .isEqualTo("Adam's team");
        assertThat(adam.expect(200, "GET", "/v2/account/install", null).path("snippet").asText()).isNotBlank();
        long tag = adam.expect(201, "POST", "/v2/tags", Map.of("name", "adam-tag")).path("id").asLong();
        adam.expect(200, "PATCH", "/v2/tags/" + tag, Map.of("color", "#00ff00"));
        adam.expect(204, "DELETE", "/v2/tags/" + tag, null);
    }

    @Test
    void limitedAgentCannotMakeThemselvesAdmin() {
        JsonNode r = lena.expect(403, "PATCH", "/v2/agents/" + lena.agentId(), Map.of("role", "admin"));
        assertThat(r.path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(lena.expect(200, "GET", "/auth/me", null).path("agent").path("role").asText()).isEqualTo("agent");
    }

    @Test
    void limitedAgentCannotInviteAgents() {
        RowCounts.unchangedBy(app, () -> lena.expect(403, "POST", "/v2/agents", Map.of("email", "friend@shop.test",
                "name", "Friend", "password", "friend-password", "role", "agent")));
        assertThat(login("friend@shop.test", "friend-password").status()).isEqualTo(401);
    }

    @Test
    void theOwnersRoleAndAccessCannotChange() {
        long ownerId = owner.agentId();
        assertThat(adam.expect(403, "PATCH", "/v2/agents/" + ownerId, Map.of("active", false))
                .path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(adam.expect(403, "PATCH", "/v2/agents/" + ownerId, Map.of("role", "agent"))
                .path("error").path("code").asText()).isEqualTo("forbidden");
        JsonNode me = owner.expect(200, "GET", "/auth/me", null).path("agent");
        assertThat(me.path("role").asText()).isEqualTo("owner");
        assertThat(me.path("active").asBoolean()).isTrue();
    }

    @Test
    void nobodyCanBeMadeASecondOwner() {
        JsonNode r = owner.expect(422, "PATCH", "/v2/agents/" + lena.agentId(), Map.of("role", "owner"));
        assertThat(r.path("error").path("field").asText()).isEqualTo("role");
    }

    // --- inactive agents (§8) ---

    @Test
    void inactiveAgentCannotSignInReadOrWrite() {
        int n = SEQ.incrementAndGet();
        String email = "paused" + n + "@shop.test";
        Api paused = app.createAgent(email, "Paused", "paused-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + paused.agentId(), Map.of("active", false));

        // Deactivation ends the agent's sessions, and they may not sign in again (issue #9).
        assertThat(paused.expect(401, "GET", "/auth/me", null).path("error").path("code").asText()).isEqualTo("unauthenticated");
        RawHttp.Response refused = RawHttp.send(app.baseUrl(), "POST", "/auth/login", Map.of("Content-Type", "application/json"),
                Json.write(Map.of("email", email, "password", "paused-password-1")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("account_inactive");
        // Nobody can hand them a conversation either.
        String c = "/v2/conversations/" + conversationId;
        JsonNode assign = owner.expect(422, "POST", c + "/assign", Map.of("agent_id", paused.agentId()));
        assertThat(assign.path("error").path("field").asText()).isEqualTo("agent_id");

        // A session that outlived the change (another node signed them in meanwhile) can neither read nor write.
        owner.expect(200, "PATCH", "/v2/agents/" + paused.agentId(), Map.of("active", true));
        Api again = app.login(email, "paused-password-1");
        app.parley().database().jdbi().useHandle(h -> h.createUpdate("UPDATE agents SET active = false WHERE id = :id")
                .bind("id", again.agentId()).execute());
        RowCounts.unchangedBy(app, () -> {
            for (Object[] call : new Object[][] {{"GET", "/v2/conversations", null}, {"GET", c, null},
                    {"POST", c + "/messages", Map.of("text", "I am inactive")},
                    {"POST", c + "/join", null}, {"POST", c + "/resolve", null}, {"PATCH", c, Map.of("important", true)},
                    {"PUT", c + "/tags", Map.of("tag_ids", List.of(tagId))}, {"POST", "/v2/tags", Map.of("name", "inactive-tag")},
                    {"PATCH", "/auth/me", Map.of("status", "online")}}) {
                JsonNode r = again.expect(403, (String) call[0], (String) call[1], call[2]);
                assertThat(r.path("error").path("code").asText()).as(call[0] + " " + call[1]).isEqualTo("account_inactive");
            }
        });
        // And their dashboard socket is refused.
        try (TestSocket socket = TestSocket.agent(app, again, null)) {
            assertThat(socket.closeCode()).isEqualTo(4403);
        }
        // Signing out still works.
        again.expect(204, "POST", "/auth/logout", null);
    }

    // --- cross-account isolation ---

    @Test
    void anotherAccountsOwnerCannotReachThisAccountsWebhooks() {
        long hook = owner.expect(201, "POST", "/v2/webhooks", Map.of("url", "https://shop.example.com/hook",
                "events", List.of("conversation.opened"))).path("id").asLong();
        Api other = otherAccountOwner().api;
        String w = "/v2/webhooks/" + hook;
        RowCounts.unchangedBy(app, () -> {
            for (Object[] call : new Object[][] {{"PATCH", w, Map.of("active", false)}, {"DELETE", w, null},
                    {"GET", w + "/deliveries", null}, {"POST", w + "/test", null}, {"POST", w + "/deliveries/1/resend", null}}) {
                JsonNode r = other.expect(404, (String) call[0], (String) call[1], call[2]);
                assertThat(r.path("error").path("code").asText()).as(call[0] + " " + call[1]).isEqualTo("not_found");
            }
        });
        assertThat(ConversationRulesApiTest.ids(other.expect(200, "GET", "/v2/webhooks", null), "id")).doesNotContain(hook);
        owner.expect(204, "DELETE", w, null);
    }

    @Test
    void anotherAccountsOwnerCannotReachThisAccountsConversationsVisitorsOrContacts() {
        Api other = otherAccountOwner().api;
        long contactId = owner.expect(200, "GET", "/v2/conversations/" + conversationId, null).path("contact_id").asLong();
        assertThat(contactId).isPositive();
        String c = "/v2/conversations/" + conversationId;
        RowCounts.unchangedBy(app, () -> {
            for (Object[] call : new Object[][] {{"GET", c, null}, {"GET", c + "/messages", null},
                    {"POST", c + "/messages", Map.of("text", "Hello from another shop")}, {"POST", c + "/join", null},
                    {"POST", c + "/leave", null}, {"POST", c + "/resolve", null}, {"POST", c + "/read", null},
                    {"POST", c + "/unread", null}, {"PATCH", c, Map.of("important", true)},
                    {"PUT", c + "/tags", Map.of("tag_ids", List.of())},
                    {"POST", c + "/assign", Map.of("agent_id", lena.agentId())},
                    {"GET", "/v2/visitors/" + visitorId, null}, {"PATCH", "/v2/visitors/" + visitorId, Map.of("note", "x")},
                    {"GET", "/v2/contacts/" + contactId, null}, {"PATCH", "/v2/contacts/" + contactId, Map.of("note", "x")},
                    {"PATCH", "/v2/groups/" + groupId, Map.of("name", "Hijacked")},
                    {"PATCH", "/v2/agents/" + lena.agentId(), Map.of("name", "Hijacked")},
                    {"PATCH", "/v2/tags/" + tagId, Map.of("name", "hijacked")}, {"DELETE", "/v2/tags/" + tagId, null},
                    {"DELETE", "/v2/groups/" + groupId, null}}) {
                JsonNode r = other.expect(404, (String) call[0], (String) call[1], call[2]);
                assertThat(r.path("error").path("code").asText()).as(call[0] + " " + call[1]).isEqualTo("not_found");
            }
        });
        assertThat(ConversationRulesApiTest.ids(other.expect(200, "GET", "/v2/conversations?limit=200", null).path("items"), "id"))
                .doesNotContain(conversationId);
        assertThat(other.expect(200, "GET", "/v2/conversations?tab=resolved&limit=200", null).path("items")).isEmpty();
        assertThat(other.expect(200, "GET", "/v2/conversations/tabs", null).path("all").asInt()).isZero();
        JsonNode found = other.expect(200, "POST", "/v2/conversations/search", Map.of("filters", Map.of("query", "question")));
        assertThat(found.path("total").asInt()).isZero();
        assertThat(ConversationRulesApiTest.ids(other.expect(200, "GET", "/v2/agents", null), "id")).doesNotContain(lena.agentId());
        assertThat(other.expect(200, "GET", "/v2/tags", null).toString()).doesNotContain("shipping");
        assertThat(lena.expect(200, "GET", "/auth/me", null).path("agent").path("name").asText()).isEqualTo("Lena");
        JsonNode contact = owner.expect(200, "GET", "/v2/contacts/" + contactId, null);
        assertThat(contact.path("name").asText()).isEqualTo("Jana");
        assertThat(contact.path("note").isNull()).isTrue();
    }

    @Test
    void anotherAccountCannotAssignThisAccountsAgentsOrUseItsTags() {
        OtherAccount other = otherAccountOwner();
        try (ChatVisitor theirs = ChatVisitor.connect(app, other.account.chatKey())) {
            theirs.say("Hi other shop");
            String c = "/v2/conversations/" + theirs.conversationId();
            RowCounts.unchangedBy(app, () -> {
                JsonNode assign = other.api.expect(422, "POST", c + "/assign", Map.of("agent_id", lena.agentId()));
                assertThat(assign.path("error").path("field").asText()).isEqualTo("agent_id");
                JsonNode tags = other.api.expect(422, "PUT", c + "/tags", Map.of("tag_ids", List.of(tagId)));
                assertThat(tags.path("error").path("field").asText()).isEqualTo("tag_ids");
            });
            JsonNode conv = other.api.expect(200, "GET", c, null);
            assertThat(conv.path("assigned_ids")).isEmpty();
            assertThat(conv.path("tags")).isEmpty();
            // And this account cannot reach theirs.
            owner.expect(404, "GET", c, null);
            owner.expect(404, "POST", c + "/join", null);
        }
    }

    @Test
    void anotherAccountsAgentSocketNeverReceivesThisAccountsEvents() {
        OtherAccount other = otherAccountOwner();
        try (TestSocket theirSocket = TestSocket.agent(app, other.api, null)) {
            long since = theirSocket.await("welcome").path("seq").asLong();
            long mine;
            try (ChatVisitor ours = ChatVisitor.withConversation(app, "Secret question about order 1234")) {
                mine = ours.conversationId();
                owner.expect(201, "POST", "/v2/conversations/" + mine + "/messages", Map.of("text", "Secret answer"));
                owner.expect(201, "POST", "/v2/conversations/" + mine + "/messages", Map.of("type", "note", "text", "Secret note"));
                owner.expect(200, "POST", "/v2/conversations/" + mine + "/resolve", null);
                owner.expect(200, "PATCH", "/auth/me", Map.of("status", "online"));
                owner.expect(201, "POST", "/v2/tags", Map.of("name", "secret-tag-" + SEQ.incrementAndGet()));
            }
            try (ChatVisitor theirs = ChatVisitor.connect(app, other.account.chatKey())) {
                theirs.say("Marker for the other shop");
                theirSocket.await(f -> "message.created".equals(f.path("type").asText())
                        && f.path("data").path("text").asText().equals("Marker for the other shop"));
            }
            assertNothingOfOurs(theirSocket.frames(500), mine);

            // Nor when it resumes from an older sequence.
            try (TestSocket resumed = TestSocket.agent(app, other.api, since)) {
                resumed.await("welcome");
                assertNothingOfOurs(resumed.frames(700), mine);
            }
        } finally {
            owner.expect(200, "PATCH", "/auth/me", Map.of("status", "offline"));
        }
    }

    @Test
    void aVisitorIdOfThisAccountIsUnknownToAnotherAccountsChatBox() {
        OtherAccount other = otherAccountOwner();
        try (TestSocket s = TestSocket.visitor(app.wsUrl(), other.account.chatKey(), visitor.visitorKey, null)) {
            JsonNode welcome = s.await("welcome");
            assertThat(welcome.path("visitor_id").asText()).isNotEqualTo(visitor.visitorKey);
            assertThat(welcome.path("conversation").isNull()).isTrue();
            assertThat(welcome.path("messages")).isEmpty();
        }
    }

    // --- API tokens ---

    @Test
    void apiTokenIsShownOnceAndWorksAsBearer() {
        JsonNode issued = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "Shop backend"));
        String token = issued.path("token").asText();
        assertThat(token).isNotBlank();

        JsonNode listed = owner.expect(200, "GET", "/v2/tokens", null);
        assertThat(listed.toString()).doesNotContain(token);
        assertThat(ConversationRulesApiTest.ids(listed, "id")).contains(issued.path("id").asLong());
        for (JsonNode t : listed) assertThat(t.has("token")).isFalse();

        RawHttp.Response list = RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(ConversationRulesApiTest.ids(list.body().path("items"), "id")).contains(conversationId);
        // A token needs no CSRF header: it is not a cookie a browser sends by itself.
        RawHttp.Response write = RawHttp.bearer(app.baseUrl(), token, "PATCH", "/v2/conversations/" + conversationId,
                Map.of("important", false));
        assertThat(write.status()).isEqualTo(200);
    }

    @Test
    void postingAMessageWithATokenNeedsAgentId() {
        String token = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "Helpdesk sync")).path("token").asText();
        String path = "/v2/conversations/" + conversationId + "/messages";

        RowCounts.unchangedBy(app, () -> {
            RawHttp.Response without = RawHttp.bearer(app.baseUrl(), token, "POST", path, Map.of("text", "From the API"));
            assertThat(without.status()).isEqualTo(422);
            assertThat(without.code()).isEqualTo("validation_failed");
            assertThat(without.body().path("error").path("field").asText()).isEqualTo("agent_id");
        });

        RawHttp.Response with = RawHttp.bearer(app.baseUrl(), token, "POST", path,
                Map.of("text", "From the API", "agent_id", lena.agentId()));
        assertThat(with.status()).isEqualTo(201);
        assertThat(with.body().path("agent").path("id").asLong()).isEqualTo(lena.agentId());
        assertThat(with.body().path("text").asText()).isEqualTo("From the API");
    }

    @Test
    void aTokenCannotPostAsAnotherAccountsAgent() {
        OtherAccount other = otherAccountOwner();
        String token = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "Sync")).path("token").asText();
        RowCounts.unchangedBy(app, () -> {
            RawHttp.Response r = RawHttp.bearer(app.baseUrl(), token, "POST", "/v2/conversations/" + conversationId + "/messages",
                    Map.of("text", "Impersonation", "agent_id", other.account.ownerId()));
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.body().path("error").path("field").asText()).isEqualTo("agent_id");
        });
    }

    @Test
    void revokedTokenIsRefused() {
        JsonNode issued = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "Old integration"));
        String token = issued.path("token").asText();
        assertThat(RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations", null).status()).isEqualTo(200);

        owner.expect(204, "DELETE", "/v2/tokens/" + issued.path("id").asLong(), null);

        RawHttp.Response r = RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
        assertThat(ConversationRulesApiTest.ids(owner.expect(200, "GET", "/v2/tokens", null), "id"))
                .doesNotContain(issued.path("id").asLong());
        owner.expect(404, "DELETE", "/v2/tokens/" + issued.path("id").asLong(), null);
    }

    @Test
    void bogusTokenIsRefused() {
        for (String bogus : List.of("pk_bogus", "", "x".repeat(500), "pk_" + "A".repeat(43))) {
            RawHttp.Response r = RawHttp.send(app.baseUrl(), "GET", "/v2/conversations",
                    Map.of("Authorization", "Bearer " + bogus), null);
            assertThat(r.status()).as(bogus).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthenticated");
        }
    }

    @Test
    void anotherAccountsTokenCannotReadThisAccount() {
        OtherAccount other = otherAccountOwner();
        String token = other.api.expect(201, "POST", "/v2/tokens", Map.of("name", "Theirs")).path("token").asText();
        assertThat(RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations/" + conversationId, null).status()).isEqualTo(404);
        RawHttp.Response list = RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations?limit=200", null);
        assertThat(ConversationRulesApiTest.ids(list.body().path("items"), "id")).doesNotContain(conversationId);
    }

    // --- the dashboard socket ---

    @Test
    void agentSocketWithAForeignOriginIsRefused() {
        try (TestSocket s = TestSocket.raw(app.wsUrl() + "/ws/agent", sessionCookie(owner), "https://evil.example")) {
            assertThat(s.closeCode()).isEqualTo(4401);
            assertThat(s.frames(100)).noneMatch(f -> "welcome".equals(f.path("type").asText()));
        }
    }

    @Test
    void agentSocketWithItsOwnOriginIsWelcomed() {
        try (TestSocket s = TestSocket.raw(app.wsUrl() + "/ws/agent", sessionCookie(owner), app.baseUrl())) {
            assertThat(s.await("welcome").path("agent").path("id").asLong()).isEqualTo(owner.agentId());
        }
    }

    @Test
    void agentSocketWithoutASessionIsRefused() {
        try (TestSocket s = TestSocket.raw(app.wsUrl() + "/ws/agent", null, app.baseUrl())) {
            assertThat(s.closeCode()).isEqualTo(4401);
        }
        try (TestSocket s = TestSocket.raw(app.wsUrl() + "/ws/agent", "parley_session=forged", app.baseUrl())) {
            assertThat(s.closeCode()).isEqualTo(4401);
        }
    }

    // --- helpers ---

    private record OtherAccount(TestAccounts.Created account, Api api) {}

    private static OtherAccount otherAccountOwner() {
        int n = SEQ.incrementAndGet();
        TestAccounts.Created acc = TestAccounts.create(app, "Other Shop " + n, "owner" + n + "@other.test", "other-password-1");
        return new OtherAccount(acc, app.login(acc.ownerEmail(), acc.ownerPassword()));
    }

    private static void assertNothingOfOurs(List<JsonNode> frames, long ourConversation) {
        for (JsonNode f : frames) {
            String text = f.toString();
            assertThat(f.path("conversation_id").asLong()).as(text).isNotEqualTo(ourConversation);
            assertThat(text).doesNotContain("Secret").doesNotContain("secret-tag");
            assertThat(f.path("data").path("id").asLong() == owner.agentId() && "agent.updated".equals(f.path("type").asText()))
                    .as(text).isFalse();
        }
    }

    private static Map<String, String> jsonHeaders(String body) {
        return body == null ? Map.of() : Map.of("Content-Type", "application/json");
    }

    private static RawHttp.Response login(String email, String password) {
        return RawHttp.send(app.baseUrl(), "POST", "/auth/login", Map.of("Content-Type", "application/json"),
                Json.write(Map.of("email", email, "password", password)));
    }

    static String sessionCookie(Api api) {
        try {
            List<String> cookies = api.client().cookieHandler().orElseThrow()
                    .get(URI.create(app.baseUrl()), Map.of()).getOrDefault("Cookie", List.of());
            return String.join("; ", cookies);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
