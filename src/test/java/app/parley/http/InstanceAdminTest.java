package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many shops in one installation (issue #15 point 7): the instance administrator's API under /instance. */
class InstanceAdminTest {
    private static final String SECRET = "instance-secret-for-tests-0123456789";
    private static final Duration CLOSES_WITHIN = Duration.ofSeconds(5);
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api firstOwner;
    static long firstConversation;
    static ChatVisitor firstVisitor;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_INSTANCE_SECRET", SECRET));
        firstOwner = app.owner();
        firstVisitor = ChatVisitor.connect(app);
        firstVisitor.say("A question for the first shop");
        firstConversation = firstVisitor.conversationId();
    }

    @AfterAll
    static void stop() {
        firstVisitor.close();
        app.close();
    }

    static RawHttp.Response admin(String method, String path, Object body) {
        return RawHttp.bearer(app.baseUrl(), SECRET, method, path, body);
    }

    record Shop(long id, String name, String chatKey, String email, String password) {}

    static Shop newShop() {
        int n = SEQ.incrementAndGet();
        String name = "Shop <img src=x onerror=alert(1)> " + n;
        String email = "owner" + n + "@instance.test";
        RawHttp.Response r = admin("POST", "/instance/accounts", Map.of("name", name, "owner_email", email,
                "owner_name", "Owner " + n, "owner_password", "shop-password-" + n));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().toString()).doesNotContain("shop-password-" + n);
        return new Shop(r.body().path("id").asLong(), name, r.body().path("chat_key").asText(), email, "shop-password-" + n);
    }

    @Test
    void theApiNeedsTheInstanceSecret() {
        RawHttp.Response none = RawHttp.send(app.baseUrl(), "GET", "/instance/accounts", Map.of(), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("invalid_instance_secret");
        RawHttp.Response wrong = RawHttp.bearer(app.baseUrl(), SECRET + "x", "GET", "/instance/accounts", null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("invalid_instance_secret");
        assertThat(wrong.body().toString()).doesNotContain(SECRET);
        // An owner's own API token is no instance secret.
        String token = firstOwner.expect(201, "POST", "/v2/tokens", Map.of("name", "mine")).path("token").asText();
        assertThat(RawHttp.bearer(app.baseUrl(), token, "POST", "/instance/accounts",
                Map.of("name", "x", "owner_email", "x@x.test", "owner_name", "x", "owner_password", "long-enough-1")).status())
                .isEqualTo(401);
        firstOwner.expect(401, "GET", "/instance/accounts", null);
        assertThat(admin("GET", "/instance/accounts", null).status()).isEqualTo(200);
    }

    @Test
    void aNewAccountsOwnerSignsInToAnEmptyInboxAndItsChatBoxFillsOnlyIt() {
        Shop shop = newShop();
        JsonNode listed = admin("GET", "/instance/accounts", null).body().path("items");
        JsonNode mine = null;
        for (JsonNode a : listed) if (a.path("id").asLong() == shop.id()) mine = a;
        assertThat(mine).isNotNull();
        assertThat(mine.path("owner_email").asText()).isEqualTo(shop.email());
        assertThat(mine.path("suspended").asBoolean()).isFalse();
        assertThat(mine.path("agents").asInt()).isEqualTo(1);
        assertThat(mine.path("conversations").asInt()).isZero();
        assertThat(shop.chatKey()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(app.accountKey());

        Api owner = app.login(shop.email(), shop.password());
        assertThat(owner.me().path("agent").path("role").asText()).isEqualTo("owner");
        assertThat(owner.expect(200, "GET", "/v2/conversations", null).path("items")).isEmpty();
        assertThat(owner.expect(200, "GET", "/v2/account", null).path("name").asText()).isEqualTo(shop.name());

        try (ChatVisitor v = ChatVisitor.connect(app, shop.chatKey())) {
            v.say("Hello new shop");
            long c = v.conversationId();
            assertThat(ConversationRulesApiTest.ids(owner.expect(200, "GET", "/v2/conversations", null).path("items"), "id"))
                    .containsExactly(c);
            assertThat(ConversationRulesApiTest.ids(firstOwner.expect(200, "GET", "/v2/conversations?limit=200", null)
                    .path("items"), "id")).doesNotContain(c);
            firstOwner.expect(404, "GET", "/v2/conversations/" + c, null);
        }
        assertThat(admin("GET", "/instance/accounts/" + shop.id(), null).body().path("conversations").asInt()).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithStableCodesAndNothingWritten() {
        int before = admin("GET", "/instance/accounts", null).body().path("items").size();
        Map<String, String> good = Map.of("name", "Good shop", "owner_email", "good@instance.test", "owner_name", "Gina",
                "owner_password", "good-password-1");
        record Case(String field, Object value, int status, String code) {}
        for (Case c : List.of(new Case("owner_email", "not an email", 422, "invalid_email"),
                new Case("owner_email", "", 422, "invalid_email"),
                new Case("owner_password", "short", 422, "weak_password"),
                new Case("owner_email", TestParley.OWNER_EMAIL.toUpperCase(), 409, "email_taken"),
                new Case("name", "", 422, "validation_failed"))) {
            Map<String, Object> body = new HashMap<>(good);
            body.put(c.field(), c.value());
            RawHttp.Response r = admin("POST", "/instance/accounts", body);
            assertThat(r.status()).as(c.toString()).isEqualTo(c.status());
            assertThat(r.code()).as(c.toString()).isEqualTo(c.code());
        }
        assertThat(admin("GET", "/instance/accounts", null).body().path("items").size()).isEqualTo(before);
        for (String[] call : new String[][] {{"GET", "/instance/accounts/999999"}, {"POST", "/instance/accounts/999999/suspend"},
                {"POST", "/instance/accounts/999999/unsuspend"}, {"DELETE", "/instance/accounts/999999?confirm=999999"}}) {
            RawHttp.Response r = admin(call[0], call[1], null);
            assertThat(r.status()).as(call[1]).isEqualTo(404);
            assertThat(r.code()).as(call[1]).isEqualTo("account_not_found");
        }
    }

    @Test
    void suspensionStopsTheOwnersSessionSocketsAndChatBoxAtOnceAndUnsuspendingRestoresThem() {
        Shop shop = newShop();
        Api owner = app.login(shop.email(), shop.password());
        try (TestSocket agentSocket = TestSocket.agent(app, owner, null);
             ChatVisitor visitor = ChatVisitor.connect(app, shop.chatKey())) {
            agentSocket.await("welcome");
            visitor.say("Before the suspension");

            RawHttp.Response s = admin("POST", "/instance/accounts/" + shop.id() + "/suspend", null);
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.body().path("suspended").asBoolean()).isTrue();

            JsonNode refused = owner.expect(403, "GET", "/v2/conversations", null).path("error");
            assertThat(refused.path("code").asText()).isEqualTo("account_inactive");
            assertThat(refused.path("message").asText()).contains("suspended");
            assertThat(agentSocket.closeCode(CLOSES_WITHIN)).isEqualTo(4403);
            assertThat(visitor.socket.closeCode(CLOSES_WITHIN)).isEqualTo(VisitorSocket.CHAT_UNAVAILABLE);
        }
        try (TestSocket again = TestSocket.agent(app, owner, null)) {
            assertThat(again.closeCode()).isEqualTo(4403);
        }
        try (TestSocket chatBox = TestSocket.visitor(app.wsUrl(), shop.chatKey(), null, null)) {
            assertThat(chatBox.closeCode()).isEqualTo(VisitorSocket.CHAT_UNAVAILABLE);
        }
        RawHttp.Response config = RawHttp.send(app.baseUrl(), "GET", "/widget/config?key=" + shop.chatKey(), Map.of(), null);
        assertThat(config.status()).isEqualTo(403);
        assertThat(config.code()).isEqualTo("chat_unavailable");
        RawHttp.Response login = RawHttp.send(app.baseUrl(), "POST", "/auth/login", Map.of("Content-Type", "application/json"),
                Json.write(Map.of("email", shop.email(), "password", shop.password())));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("account_inactive");
        assertThat(login.body().path("error").path("message").asText()).contains("suspended");
        // The other shop goes on as before.
        assertThat(firstOwner.expect(200, "GET", "/v2/conversations/" + firstConversation, null).path("id").asLong())
                .isEqualTo(firstConversation);
        firstVisitor.say("Still chatting");

        assertThat(admin("POST", "/instance/accounts/" + shop.id() + "/unsuspend", null).body().path("suspended").asBoolean())
                .isFalse();
        assertThat(owner.expect(200, "GET", "/v2/conversations", null).path("items")).hasSize(1);
        try (TestSocket agentSocket = TestSocket.agent(app, owner, null); ChatVisitor v = ChatVisitor.connect(app, shop.chatKey())) {
            agentSocket.await("welcome");
            v.say("After the suspension");
        }
        assertThat(RawHttp.send(app.baseUrl(), "GET", "/widget/config?key=" + shop.chatKey(), Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void aSuspensionMadeElsewhereClosesThisNodesSocketsWithinASecondOrTwo() {
        Shop shop = newShop();
        Api owner = app.login(shop.email(), shop.password());
        try (TestSocket agentSocket = TestSocket.agent(app, owner, null);
             ChatVisitor visitor = ChatVisitor.connect(app, shop.chatKey())) {
            agentSocket.await("welcome");
            visitor.say("Before another node suspends the shop");
            // As another node or the command-line tool does it: only the database knows.
            app.parley().database().jdbi().useHandle(h -> h.createUpdate("UPDATE accounts SET suspended_at = now() WHERE id = :id")
                    .bind("id", shop.id()).execute());
            assertThat(visitor.socket.closeCode(CLOSES_WITHIN)).isEqualTo(VisitorSocket.CHAT_UNAVAILABLE);
            assertThat(agentSocket.closeCode(CLOSES_WITHIN)).isEqualTo(4403);
        }
        assertThat(owner.send("GET", "/v2/conversations", null).path("error").path("code").asText()).isEqualTo("account_inactive");
        assertThat(admin("POST", "/instance/accounts/" + shop.id() + "/unsuspend", null).status()).isEqualTo(200);
        try (ChatVisitor v = ChatVisitor.connect(app, shop.chatKey())) {
            v.say("Back again");
        }
    }

    @Test
    void deletingNeedsTheNameAndRemovesEverythingOfTheAccountAndNothingElse() {
        Shop shop = newShop();
        Api owner = app.login(shop.email(), shop.password());
        owner.expect(201, "POST", "/v2/tags", Map.of("name", "doomed"));
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Doomed group"));
        owner.expect(201, "POST", "/v2/agents", Map.of("email", "helper" + shop.id() + "@instance.test", "name", "Helper",
                "password", "helper-password-1", "role", "agent"));
        owner.expect(201, "POST", "/v2/tokens", Map.of("name", "doomed token"));
        try (ChatVisitor v = ChatVisitor.connect(app, shop.chatKey())) {
            v.say("Delete me");
            owner.expect(201, "POST", "/v2/conversations/" + v.conversationId() + "/messages", Map.of("text", "A reply"));
        }

        RawHttp.Response wrong = admin("DELETE", "/instance/accounts/" + shop.id() + "?confirm=" + java.net.URLEncoder.encode(
                "Another shop", java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.code()).isEqualTo("confirmation_mismatch");
        assertThat(admin("DELETE", "/instance/accounts/" + shop.id(), null).code()).isEqualTo("confirmation_mismatch");
        assertThat(owner.expect(200, "GET", "/v2/conversations", null).path("items")).hasSize(1);

        RawHttp.Response done = admin("DELETE", "/instance/accounts/" + shop.id(), Map.of("confirm", shop.name()));
        assertThat(done.status()).as(done.body().toString()).isEqualTo(204);

        assertThat(admin("GET", "/instance/accounts/" + shop.id(), null).status()).isEqualTo(404);
        assertThat(rowsOfAccount(shop.id())).as("rows left of the deleted account").isEmpty();
        assertThat(owner.send("GET", "/v2/conversations", null).path("error").path("code").asText()).isEqualTo("unauthenticated");
        try (TestSocket chatBox = TestSocket.visitor(app.wsUrl(), shop.chatKey(), null, null)) {
            assertThat(chatBox.closeCode()).isEqualTo(4404);
        }
        // The first shop: its session, its conversation and its chat box are untouched.
        assertThat(firstOwner.expect(200, "GET", "/v2/conversations/" + firstConversation, null).path("id").asLong())
                .isEqualTo(firstConversation);
        firstVisitor.say("Still here after another shop went");
    }

    /** Every table with an account_id column that still holds a row of {@code accountId}, and how many. */
    static Map<String, Long> rowsOfAccount(long accountId) {
        return app.parley().database().jdbi().withHandle(h -> {
            Map<String, Long> left = new java.util.TreeMap<>();
            for (String table : h.createQuery("""
                            SELECT c.table_name FROM information_schema.columns c
                            JOIN information_schema.tables t USING (table_schema, table_name)
                            WHERE c.column_name = 'account_id' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'""")
                    .mapTo(String.class).list()) {
                long n = h.createQuery("SELECT count(*) FROM " + table + " WHERE account_id = :a").bind("a", accountId)
                        .mapTo(Long.class).one();
                if (n > 0) left.put(table, n);
            }
            long accounts = h.createQuery("SELECT count(*) FROM accounts WHERE id = :a").bind("a", accountId).mapTo(Long.class).one();
            if (accounts > 0) left.put("accounts", accounts);
            return left;
        });
    }
}
