package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #9 points 2 and 3: what an agent had ends when their access ends (deactivation, logout, token revocation),
 * and an open dashboard socket follows a change of role or groups.
 */
class AccessEndsTest {
    // The server acts at once; the deadline is generous only so that a busy CI machine does not fail the test.
    private static final Duration CLOSES_WITHIN = Duration.ofSeconds(5);
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void deactivatedAgentIsRefusedSignInAndLosesSessionsTokensAndSockets() {
        String email = "ada" + SEQ.incrementAndGet() + "@shop.test";
        Api ada = agent(email, "Ada", "ada-password-1", "admin");
        String token = ada.expect(201, "POST", "/v2/tokens", Map.of("name", "Ada's integration")).path("token").asText();
        assertThat(RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations", null).status()).isEqualTo(200);
        try (TestSocket sessionSocket = open(TestSocket.agent(app, ada, null));
             TestSocket tokenSocket = open(TestSocket.agentWithToken(app, token))) {

            owner.expect(200, "PATCH", "/v2/agents/" + ada.agentId(), Map.of("active", false));

            assertThat(sessionSocket.closeCode(CLOSES_WITHIN)).isEqualTo(4403);
            assertThat(tokenSocket.closeCode(CLOSES_WITHIN)).isEqualTo(4403);
        }
        assertThat(ada.send("GET", "/v2/conversations", null).path("error").path("code").asText())
                .isIn("unauthenticated", "account_inactive");
        assertThat(ada.lastStatus).isIn(401, 403);
        RawHttp.Response withToken = RawHttp.bearer(app.baseUrl(), token, "GET", "/v2/conversations", null);
        assertThat(withToken.status()).isEqualTo(401);
        assertThat(withToken.code()).isEqualTo("unauthenticated");

        RawHttp.Response refused = login(email, "ada-password-1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("account_inactive");
        assertThat(refused.body().path("error").path("message").asText()).contains("turned off");
        // A wrong password learns nothing about the account's state.
        RawHttp.Response wrong = login(email, "not-her-password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("invalid_credentials");

        owner.expect(200, "PATCH", "/v2/agents/" + ada.agentId(), Map.of("active", true));
        Api back = app.login(email, "ada-password-1");
        back.expect(200, "GET", "/v2/conversations", null);
        try (TestSocket socket = open(TestSocket.agent(app, back, null))) {
            assertThat(socket.isClosed()).isFalse();
        }
    }

    /** Another process (a second node, an operator's SQL) deactivates: the sweep and every request still see it. */
    @Test
    void deactivationWrittenStraightIntoTheDatabaseEndsSessionAndSocket() {
        String email = "bo" + SEQ.incrementAndGet() + "@shop.test";
        Api bo = agent(email, "Bo", "bo-password-1", "agent");
        try (TestSocket socket = open(TestSocket.agent(app, bo, null))) {
            app.parley().database().jdbi().useHandle(h -> h.createUpdate("UPDATE agents SET active = false WHERE id = :id")
                    .bind("id", bo.agentId()).execute());

            assertThat(socket.closeCode(CLOSES_WITHIN)).isEqualTo(4403);
            JsonNode r = bo.expect(403, "GET", "/v2/conversations", null);
            assertThat(r.path("error").path("code").asText()).isEqualTo("account_inactive");
        } finally {
            app.parley().database().jdbi().useHandle(h -> h.createUpdate("UPDATE agents SET active = true WHERE id = :id")
                    .bind("id", bo.agentId()).execute());
        }
    }

    @Test
    void logoutClosesThatSessionsSocketOnly() {
        String email = "cy" + SEQ.incrementAndGet() + "@shop.test";
        Api first = agent(email, "Cy", "cy-password-1", "agent");
        Api second = app.login(email, "cy-password-1");
        try (TestSocket signedOut = open(TestSocket.agent(app, first, null));
             TestSocket stays = open(TestSocket.agent(app, second, null))) {

            first.expect(204, "POST", "/auth/logout", null);

            assertThat(signedOut.closeCode(CLOSES_WITHIN)).isEqualTo(4401);
            stays.send(Map.of("type", "ping"));
            stays.await("pong");
            assertThat(stays.isClosed()).isFalse();
        }
    }

    @Test
    void revokingATokenClosesItsSocket() {
        JsonNode issued = owner.expect(201, "POST", "/v2/tokens", Map.of("name", "Shop sync " + SEQ.incrementAndGet()));
        try (TestSocket socket = open(TestSocket.agentWithToken(app, issued.path("token").asText()))) {
            owner.expect(204, "DELETE", "/v2/tokens/" + issued.path("id").asLong(), null);
            assertThat(socket.closeCode(CLOSES_WITHIN)).isEqualTo(4401);
        }
    }

    @Test
    void demotedAdminStopsReceivingOtherGroupsEvents() {
        int n = SEQ.incrementAndGet();
        JsonNode x = group("Export " + n);
        JsonNode y = group("Yachts " + n);
        Api dana = agent("dana" + n + "@shop.test", "Dana", "dana-password-1", "admin");
        owner.expect(200, "PATCH", "/v2/agents/" + dana.agentId(), Map.of("group_ids", List.of(y.path("id").asLong())));
        try (TestSocket before = open(TestSocket.agent(app, dana, null))) {
            owner.expect(200, "PATCH", "/v2/agents/" + dana.agentId(), Map.of("role", "agent"));
            assertThat(before.closeCode(CLOSES_WITHIN)).isEqualTo(4409);
        }
        try (TestSocket after = open(TestSocket.agent(app, dana, null));
             ChatVisitor inX = ChatVisitor.connect(app);
             ChatVisitor inY = ChatVisitor.connect(app)) {
            inX.routeToGroup(x.path("key").asText());
            inX.say("A question for export");
            inY.routeToGroup(y.path("key").asText());
            inY.say("A question about yachts");

            // Events arrive in order: once Y's message is here, X's would have come before it.
            after.await(f -> "message.created".equals(f.path("type").asText())
                    && f.path("conversation_id").asLong() == inY.conversationId());
            assertThat(after.frames(0)).noneMatch(f -> f.path("conversation_id").asLong() == inX.conversationId());
        }
    }

    @Test
    void agentAddedToAGroupStartsReceivingItsEvents() {
        int n = SEQ.incrementAndGet();
        JsonNode x = group("Xylophones " + n);
        JsonNode y = group("Yarn " + n);
        Api emil = agent("emil" + n + "@shop.test", "Emil", "emil-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + emil.agentId(), Map.of("group_ids", List.of(y.path("id").asLong())));
        try (TestSocket before = open(TestSocket.agent(app, emil, null))) {
            owner.expect(200, "PATCH", "/v2/agents/" + emil.agentId(),
                    Map.of("group_ids", List.of(y.path("id").asLong(), x.path("id").asLong())));
            assertThat(before.closeCode(CLOSES_WITHIN)).isEqualTo(4409);
        }
        try (TestSocket after = open(TestSocket.agent(app, emil, null));
             ChatVisitor inX = ChatVisitor.connect(app)) {
            inX.routeToGroup(x.path("key").asText());
            inX.say("Do you tune xylophones?");
            after.await(f -> "message.created".equals(f.path("type").asText())
                    && f.path("conversation_id").asLong() == inX.conversationId());
        }
    }

    @Test
    void deletingAnAgentsGroupChangesWhatTheirSocketSees() {
        int n = SEQ.incrementAndGet();
        JsonNode z = group("Zithers " + n);
        Api fay = agent("fay" + n + "@shop.test", "Fay", "fay-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + fay.agentId(), Map.of("group_ids", List.of(z.path("id").asLong())));
        try (TestSocket socket = open(TestSocket.agent(app, fay, null))) {
            owner.expect(204, "DELETE", "/v2/groups/" + z.path("id").asLong(), null);
            assertThat(socket.closeCode(CLOSES_WITHIN)).isEqualTo(4409);
        }
    }

    @Test
    void renamingAnAgentLeavesTheirSocketOpen() {
        Api gil = agent("gil" + SEQ.incrementAndGet() + "@shop.test", "Gil", "gil-password-1", "agent");
        try (TestSocket socket = open(TestSocket.agent(app, gil, null))) {
            owner.expect(200, "PATCH", "/v2/agents/" + gil.agentId(), Map.of("name", "Gilbert"));
            socket.await(f -> "agent.updated".equals(f.path("type").asText())
                    && "Gilbert".equals(f.path("data").path("name").asText()));
            socket.send(Map.of("type", "ping"));
            socket.await("pong");
            assertThat(socket.isClosed()).isFalse();
        }
    }

    /** A socket that has been welcomed: registered with the server, so a change after this must reach it. */
    private static TestSocket open(TestSocket socket) {
        socket.await("welcome");
        return socket;
    }

    /** An agent invited by the one owner client: a sign-in costs a password hash, and the suite stays lean. */
    private static Api agent(String email, String name, String password, String role) {
        owner.expect(201, "POST", "/v2/agents", Map.of("email", email, "name", name, "password", password, "role", role));
        return app.login(email, password);
    }

    private static JsonNode group(String name) {
        return owner.expect(201, "POST", "/v2/groups", Map.of("name", name));
    }

    private static RawHttp.Response login(String email, String password) {
        return RawHttp.send(app.baseUrl(), "POST", "/auth/login", Map.of("Content-Type", "application/json"),
                Json.write(Map.of("email", email, "password", password)));
    }
}
