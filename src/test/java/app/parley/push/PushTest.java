package app.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.Await;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web Push to agents' devices (issue #17, point 3) through a real local push service that checks each VAPID token
 * and decrypts each payload with the subscription's own private key, as a browser does: what is pushed and to whom,
 * that nothing is pushed to an agent at a dashboard tab, that offline messages follow the agent's choice, that a
 * failing service is retried through the jobs and that a device the service reports gone is removed.
 */
class PushTest {
    static PushService push;
    static TestParley app;
    static TestParley.Api owner;
    static TestParley.Api petr;

    @BeforeAll
    static void start() throws Exception {
        push = new PushService();
        app = TestParley.start(Map.of("PARLEY_PUSH_ALLOW_HTTP", "true", "PARLEY_PUSH_RETRY_BASE_MS", "200",
                "PARLEY_BACKBONE_POLL_MS", "300", "PARLEY_NOTIFY_DELAY_MILLIS", "1000"));
        owner = app.owner();
        petr = app.createAgent("petr@shop.test", "Petr", "petr-password-1", "agent");
    }

    @AfterAll
    static void stop() {
        app.close();
        push.close();
    }

    @Test
    void aNewConversationReachesTheDeviceSignedEncryptedAndMaskedWithKeysKeptAcrossRestarts() throws Exception {
        PushService.Subscription phone = push.subscribe();
        JsonNode device = owner.expect(201, "POST", "/v2/me/push/devices", phone.json("Pixel 8"));
        assertThat(device.path("label").asText()).isEqualTo("Pixel 8");
        assertThat(device.toString()).doesNotContain(phone.p256dh()).doesNotContain(phone.auth());
        String key = owner.get("/v2/me/push").path("public_key").asText();

        long c = visitorWrites("Jane <b>Doe</b>", "My card 4111 1111 1111 1111 was charged twice <img src=x onerror=alert(1)>").id();
        PushService.Push p = await(() -> pushFor(phone, c, "New conversation"));
        assertThat(p.notice().path("title").asText()).isEqualTo("New conversation: Jane <b>Doe</b>");
        assertThat(p.notice().path("body").asText()).contains("was charged twice").doesNotContain("4111 1111 1111 1111");
        assertThat(p.notice().path("url").asText()).isEqualTo("/app/#/conversations/all/" + c);
        assertThat(p.vapidKey()).isEqualTo(key);
        assertThat(p.urgency()).isEqualTo("high");
        assertThat(Integer.parseInt(p.ttl())).isPositive();
        assertThat(push.problems).isEmpty();
        await(() -> devices(owner).stream().anyMatch(d -> d.path("id").asLong() == device.path("id").asLong()
                && !d.path("last_sent_at").isNull()) ? true : null);

        app.restart();
        owner = app.owner();
        petr = app.login("petr@shop.test", "petr-password-1");
        assertThat(owner.get("/v2/me/push").path("public_key").asText()).as("the VAPID keys outlive a restart").isEqualTo(key);
    }

    @Test
    void aFailingPushServiceIsRetriedAndADeviceItReportsGoneIsRemoved() throws Exception {
        PushService.Subscription flaky = push.subscribe();
        PushService.Subscription gone = push.subscribe();
        push.answer(flaky, 503, 500);
        push.answer(gone, 410);
        owner.expect(201, "POST", "/v2/me/push/devices", flaky.json("Flaky"));
        long goneId = owner.expect(201, "POST", "/v2/me/push/devices", gone.json("Old phone")).path("id").asLong();

        long c = visitorWrites("Kim", "Hello?").id();
        await(() -> pushFor(flaky, c, "New conversation"));
        assertThat(push.attempts.stream().filter(flaky.id()::equals).count()).as("two failures, then delivered")
                .isGreaterThanOrEqualTo(3);
        await(() -> devices(owner).stream().noneMatch(d -> d.path("id").asLong() == goneId) ? true : null);
        assertThat(push.to(gone)).isEmpty();
    }

    @Test
    void nothingIsPushedToAnAgentAtADashboardTabAndAssignedConversationsReachOnlyTheirAssignees() throws Exception {
        PushService.Subscription ownerPhone = push.subscribe();
        PushService.Subscription petrPhone = push.subscribe();
        owner.expect(201, "POST", "/v2/me/push/devices", ownerPhone.json("Owner's phone"));
        petr.expect(201, "POST", "/v2/me/push/devices", petrPhone.json("Petr's phone"));
        try (Visitor v = visitorWrites("Lee", "Is anyone there?", true)) {
            try (TestSocket tab = TestSocket.agent(app, owner, null)) {
                tab.await("welcome");
                v.say("Is anyone there?");
                await(() -> pushFor(petrPhone, v.id(), "New conversation"));
                settled();
                assertThat(pushFor(ownerPhone, v.id(), null)).as("the owner had a dashboard tab open").isNull();
                owner.expect(200, "POST", "/v2/conversations/" + v.id() + "/join", Map.of());
            }
            await(() -> app.parley().hub().agents(1).stream().noneMatch(cl -> cl.viewer().agentId() == owner.agentId()) ? true : null);
            v.say("Still waiting for my refund");
            PushService.Push p = await(() -> pushFor(ownerPhone, v.id(), "Lee"));
            assertThat(p.notice().path("body").asText()).isEqualTo("Still waiting for my refund");
            settled();
            assertThat(push.to(petrPhone).stream().filter(x -> x.notice().path("body").asText().contains("refund")))
                    .as("Petr is not assigned").isEmpty();
        }
    }

    @Test
    void anOfflineMessageIsPushedPerEachAgentsChoice() throws Exception {
        owner.patch("/auth/me", Map.of("status", "offline"));
        petr.patch("/auth/me", Map.of("status", "offline"));
        petr.put("/v2/me/notifications", Map.of("offline_message", false));
        PushService.Subscription ownerPhone = push.subscribe();
        PushService.Subscription petrPhone = push.subscribe();
        owner.expect(201, "POST", "/v2/me/push/devices", ownerPhone.json("Owner's phone"));
        petr.expect(201, "POST", "/v2/me/push/devices", petrPhone.json("Petr's phone"));
        try {
            long c = visitorWrites("Noa", "Do you ship to Norway?").id();
            PushService.Push p = await(() -> pushFor(ownerPhone, c, "Offline message"));
            assertThat(p.notice().path("title").asText()).isEqualTo("Offline message: Noa");
            assertThat(p.notice().path("body").asText()).isEqualTo("Do you ship to Norway?");
            await(() -> pushFor(petrPhone, c, "New conversation"));
            settled();
            assertThat(pushFor(petrPhone, c, "Offline message")).as("Petr turned offline messages off").isNull();
        } finally {
            petr.put("/v2/me/notifications", Map.of("offline_message", true));
        }
    }

    @Test
    void devicesAreCheckedAndBelongToTheirAgent() throws Exception {
        JsonNode bad = owner.expect(422, "POST", "/v2/me/push/devices",
                Map.of("endpoint", "ftp://push.example/x", "keys", Map.of("p256dh", "AAAA", "auth", "AAAA")));
        assertThat(bad.path("error").path("code").asText()).isEqualTo("validation_failed");
        assertThat(bad.path("error").path("field").asText()).isEqualTo("endpoint");
        PushService.Subscription s = push.subscribe();
        JsonNode badKey = owner.expect(422, "POST", "/v2/me/push/devices",
                Map.of("endpoint", s.endpoint(), "keys", Map.of("p256dh", s.auth(), "auth", s.auth())));
        assertThat(badKey.path("error").path("field").asText()).isEqualTo("keys.p256dh");
        owner.expect(422, "POST", "/v2/me/push/devices", Map.of("endpoint", s.endpoint()));

        long id = owner.expect(201, "POST", "/v2/me/push/devices", s.json("Laptop")).path("id").asLong();
        assertThat(petr.expect(404, "DELETE", "/v2/me/push/devices/" + id, null).path("error").path("code").asText()).isEqualTo("not_found");
        petr.expect(404, "POST", "/v2/me/push/devices/" + id + "/test", Map.of());
        owner.expect(202, "POST", "/v2/me/push/devices/" + id + "/test", Map.of());
        PushService.Push test = await(() -> push.to(s).stream().findFirst().orElse(null));
        assertThat(test.notice().path("title").asText()).isEqualTo("Parley");
        owner.expect(204, "DELETE", "/v2/me/push/devices/" + id, null);
        assertThat(devices(owner).stream().noneMatch(d -> d.path("id").asLong() == id)).isTrue();
    }

    private static PushService.Push pushFor(PushService.Subscription s, long conversationId, String titleStart) {
        return push.to(s).stream()
                .filter(p -> p.notice().path("url").asText().equals("/app/#/conversations/all/" + conversationId))
                .filter(p -> titleStart == null || p.notice().path("title").asText().startsWith(titleStart))
                .findFirst().orElse(null);
    }

    private static List<JsonNode> devices(TestParley.Api api) {
        List<JsonNode> out = new java.util.ArrayList<>();
        api.get("/v2/me/push").path("devices").forEach(out::add);
        return out;
    }

    /** The push consumer has read everything committed and no push or notification check waits. */
    private static void settled() {
        await(() -> app.parley().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT NOT EXISTS (SELECT 1 FROM account_seqs s LEFT JOIN event_consumer_positions p
                                           ON p.name = 'push' AND p.account_id = s.account_id WHERE s.seq > coalesce(p.last_seq, 0))
                           AND NOT EXISTS (SELECT 1 FROM notification_bursts)
                           AND NOT EXISTS (SELECT 1 FROM jobs WHERE kind IN ('push.send', 'notify.check') AND state <> 'dead')""")
                .mapTo(Boolean.class).one()) ? true : null);
    }

    /** A visitor in the chat box: their conversation, and (kept open) more to say. */
    record Visitor(TestSocket socket, long[] conversation) implements AutoCloseable {
        long id() {
            return conversation[0];
        }

        void say(String text) {
            String clientId = TestSocket.clientId();
            socket.send(Map.of("type", "message", "client_id", clientId, "text", text));
            conversation[0] = socket.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()))
                    .path("message").path("conversation_id").asLong();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static Visitor visitorWrites(String name, String text) {
        try (Visitor v = visitorWrites(name, text, false)) {
            return v;
        }
    }

    /** A new visitor gives their name and, unless {@code silent}, writes {@code text}. */
    private static Visitor visitorWrites(String name, String text, boolean silent) {
        TestSocket s = TestSocket.visitor(app, null, null);
        s.await("welcome");
        s.send(Map.of("type", "identify", "name", name));
        Visitor v = new Visitor(s, new long[1]);
        if (!silent) v.say(text);
        return v;
    }

    private static <T> T await(Supplier<T> probe) {
        return Await.value(probe, () -> "push service problems: " + push.problems);
    }
}
