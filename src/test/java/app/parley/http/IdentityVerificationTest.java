package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity verification (docs/PRODUCT.md §3): only an identity the shop signed with the account's secret
 * (HMAC-SHA256 hex of the user id or email) merges into an existing contact; anyone else who sends that email
 * gets a contact of their own, marked not verified, and the real one stays as it was.
 */
class IdentityVerificationTest {
    static TestParley app;
    static Api owner;
    static String secret;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        secret = owner.expect(200, "GET", "/v2/account/identity-secret", null).path("secret").asText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String sign(String key, String value) {
        return TestParley.hmacHex(key, value);
    }

    /** A visitor who identifies with {@code fields} and writes: their visitor JSON, as the owner sees it. */
    static JsonNode visitorWho(Map<String, Object> fields) {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            Map<String, Object> frame = new LinkedHashMap<>(fields);
            frame.put("type", "identify");
            v.socket.send(frame);
            v.say("Hello");
            long visitorId = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
            return owner.expect(200, "GET", "/v2/visitors/" + visitorId, null);
        }
    }

    static Map<String, Object> claim(String email, String name, String phone, String plan, String hash) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("email", email);
        f.put("name", name);
        f.put("phone", phone);
        f.put("variables", Map.of("plan", plan));
        if (hash != null) f.put("hash", hash);
        return f;
    }

    @Test
    void anUnverifiedIdentifyNeverTakesOverAVerifiedContact() {
        String email = "jane@example.com";
        JsonNode jane = visitorWho(claim(email, "Jane Real", "+1 555 0100", "gold", sign(secret, email)));
        assertThat(jane.path("verified").asBoolean()).isTrue();
        long x = jane.path("contact_id").asLong();
        JsonNode before = owner.expect(200, "GET", "/v2/contacts/" + x, null);
        assertThat(before.path("verified").asBoolean()).isTrue();
        assertThat(before.path("name").asText()).isEqualTo("Jane Real");

        JsonNode noHash = visitorWho(claim(email, "Mallory", "+1 555 0666", "free", null));
        JsonNode wrongHash = visitorWho(claim(email, "Mallory", "+1 555 0666", "free", sign("not-the-secret", email)));
        for (JsonNode mallory : new JsonNode[] {noHash, wrongHash}) {
            assertThat(mallory.path("contact_id").asLong()).as("linked to the real contact").isNotEqualTo(x);
            assertThat(mallory.path("verified").asBoolean()).isFalse();
            assertThat(mallory.path("email").asText()).isEqualTo(email); // kept on the visitor, for the agent to judge
            JsonNode own = owner.expect(200, "GET", "/v2/contacts/" + mallory.path("contact_id").asLong(), null);
            assertThat(own.path("verified").asBoolean()).isFalse();
        }
        JsonNode after = owner.expect(200, "GET", "/v2/contacts/" + x, null);
        assertThat(after.path("name").asText()).isEqualTo("Jane Real");
        assertThat(after.path("phone").asText()).isEqualTo("+1 555 0100");
        assertThat(after.path("variables").path("plan").path("value").asText()).isEqualTo("gold");
    }

    @Test
    void aVerifiedIdentifyMergesIntoTheContactByEmailOrUserId() {
        String email = "karel@example.com";
        long x = visitorWho(claim(email, "Karel", null, "gold", sign(secret, email))).path("contact_id").asLong();
        JsonNode sameOnAnotherDevice = visitorWho(claim(email, "Karel N.", null, "gold", sign(secret, email.toUpperCase())));
        assertThat(sameOnAnotherDevice.path("contact_id").asLong()).as("a hash of another string").isNotEqualTo(x);
        JsonNode signed = visitorWho(claim(email, "Karel N.", null, "gold", sign(secret, email).toUpperCase()));
        assertThat(signed.path("contact_id").asLong()).isEqualTo(x);
        assertThat(signed.path("verified").asBoolean()).isTrue();
        assertThat(owner.expect(200, "GET", "/v2/contacts/" + x, null).path("name").asText()).isEqualTo("Karel N.");

        Map<String, Object> byId = new LinkedHashMap<>(Map.of("user_id", "customer-42", "name", "Ola", "hash", sign(secret, "customer-42")));
        long y = visitorWho(byId).path("contact_id").asLong();
        JsonNode second = visitorWho(Map.of("user_id", "customer-42", "email", "ola@example.com", "hash", sign(secret, "customer-42")));
        assertThat(second.path("contact_id").asLong()).isEqualTo(y);
        JsonNode contact = owner.expect(200, "GET", "/v2/contacts/" + y, null);
        assertThat(contact.path("user_id").asText()).isEqualTo("customer-42");
        assertThat(contact.path("verified").asBoolean()).isTrue();
        JsonNode impostor = visitorWho(Map.of("user_id", "customer-42", "name", "Not Ola"));
        assertThat(impostor.path("contact_id").asLong()).isNotEqualTo(y);
        assertThat(owner.expect(200, "GET", "/v2/contacts/" + y, null).path("name").asText()).isEqualTo("Ola");
    }

    @Test
    void theShopsServerIdentifiesThroughRest() {
        String email = "petra@example.com";
        long x = visitorWho(claim(email, "Petra", null, "gold", sign(secret, email))).path("contact_id").asLong();
        JsonNode anonymous = visitorWho(claim(email, "Petra?", null, "free", null));
        assertThat(anonymous.path("contact_id").asLong()).isNotEqualTo(x);

        JsonNode identified = owner.expect(200, "POST", "/v2/visitors/" + anonymous.path("id").asLong() + "/identify",
                Map.of("email", email));
        assertThat(identified.path("contact_id").asLong()).isEqualTo(x);
        assertThat(identified.path("verified").asBoolean()).isTrue();
        JsonNode refused = owner.expect(422, "POST", "/v2/visitors/" + anonymous.path("id").asLong() + "/identify", Map.of("name", "P"));
        assertThat(refused.path("error").path("field").asText()).isEqualTo("email");
    }

    @Test
    void onlyTheOwnerAndAdminsSeeAndRotateTheSecret() {
        Api agent = app.createAgent("limited@shop.test", "Limited", "limited-password-1", "agent");
        agent.expect(403, "GET", "/v2/account/identity-secret", null);
        agent.expect(403, "POST", "/v2/account/identity-secret/rotate", null);
        Api admin = app.createAgent("admin@shop.test", "Admin", "admin-password-1", "admin");
        assertThat(admin.expect(200, "GET", "/v2/account/identity-secret", null).path("secret").asText()).isEqualTo(secret);

        String email = "rotated@example.com";
        long x = visitorWho(claim(email, "Rot", null, "gold", sign(secret, email))).path("contact_id").asLong();
        String rotated = admin.expect(200, "POST", "/v2/account/identity-secret/rotate", null).path("secret").asText();
        try {
            assertThat(rotated).isNotEqualTo(secret).hasSizeGreaterThanOrEqualTo(32);
            assertThat(visitorWho(claim(email, "Rot", null, "gold", sign(secret, email))).path("contact_id").asLong())
                    .as("signed with the old secret").isNotEqualTo(x);
            assertThat(visitorWho(claim(email, "Rot", null, "gold", sign(rotated, email))).path("contact_id").asLong()).isEqualTo(x);
        } finally {
            secret = rotated;
        }
    }
}
