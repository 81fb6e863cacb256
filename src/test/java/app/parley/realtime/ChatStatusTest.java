package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connected chat box learns whether someone is there to answer from committed changes (ChatStatus): an agent's
 * status, and a group change that changes who answers its visitors.
 */
class ChatStatusTest {
    static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aChatBoxHearsTheOnlyAgentGoOnlineAndOffline() {
        TestParley.Api owner = app.owner();
        owner.patch("/auth/me", Map.of("status", "offline"));
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            assertThat(visitor.await("welcome").path("account").path("online").asBoolean()).isFalse();
            owner.patch("/auth/me", Map.of("status", "online"));
            visitor.await(f -> chatStatus(f, true));
            owner.patch("/auth/me", Map.of("status", "offline"));
            visitor.await(f -> chatStatus(f, false));
        }
    }

    @Test
    void deletingTheGroupOfTheOnlyOnlineAgentLetsThemAnswerEveryChatBox() {
        TestParley.Api owner = app.owner();
        owner.patch("/auth/me", Map.of("status", "offline"));
        long sales = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales")).path("id").asLong();
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Billing"));
        TestParley.Api seller = app.createAgent("seller@shop.test", "Seller", "seller-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + seller.agentId(), Map.of("group_ids", List.of(sales)));
        seller.patch("/auth/me", Map.of("status", "online"));
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            visitor.send(Map.of("type", "identify", "group", "billing"));
            // Nobody of Billing is online: the seller answers Sales only.
            visitor.await(f -> chatStatus(f, false));
            owner.expect(204, "DELETE", "/v2/groups/" + sales, null);
            // In no group now, the seller answers every chat box: the account's agents were read again.
            visitor.await(f -> chatStatus(f, true));
        }
    }

    private static boolean chatStatus(JsonNode frame, boolean online) {
        return "chat_status".equals(frame.path("type").asText()) && frame.path("data").path("online").asBoolean() == online
                && frame.path("data").has("online");
    }
}
