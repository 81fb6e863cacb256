package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Agents;
import app.parley.account.Caller;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Office hours on a real Parley (issue #18, point 4): outside them the chat box is offline, whoever is online, a
 * visitor's message becomes an offline conversation, and connected chat boxes follow a change at once.
 */
class OfficeHoursApiTest {
    private static TestParley app;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        owner.expect(200, "PATCH", "/auth/me", Map.of("status", "online"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Map<String, Object> week(List<Map<String, String>> everyDay, boolean enabled) {
        Map<String, Object> week = new HashMap<>();
        for (String d : List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) week.put(d, everyDay);
        return Map.of("enabled", enabled, "week", week, "holidays", List.of());
    }

    private static boolean online(JsonNode frame) {
        return "chat_status".equals(frame.path("type").asText()) && frame.path("data").path("online").asBoolean(false);
    }

    private static boolean offline(JsonNode frame) {
        return "chat_status".equals(frame.path("type").asText()) && !frame.path("data").path("online").asBoolean(true);
    }

    @Test
    void outsideOfficeHoursTheChatBoxIsOfflineWhoeverIsOnlineAndFollowsAChangeAtOnce() {
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            JsonNode welcome = visitor.await("welcome");
            assertThat(welcome.path("account").path("online").asBoolean()).isTrue();

            // Enabled with no interval on any day: closed all week.
            owner.expect(200, "PUT", "/v2/account/office-hours", week(List.of(), true));
            visitor.await(OfficeHoursApiTest::offline);
            assertThat(owner.get("/widget/config?key=" + app.accountKey()).path("online").asBoolean()).isFalse();
            visitor.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "Anyone there?"));
            long conversationId = visitor.await("ack").path("message").path("conversation_id").asLong();
            assertThat(owner.get("/v2/conversations/" + conversationId).path("is_offline").asBoolean()).isTrue();

            owner.expect(200, "PUT", "/v2/account/office-hours", week(List.of(Map.of("from", "00:00", "to", "24:00")), true));
            visitor.await(OfficeHoursApiTest::online);
            assertThat(owner.get("/widget/config?key=" + app.accountKey()).path("online").asBoolean()).isTrue();
        }
    }

    @Test
    void aGroupsOwnHoursWinOverTheAccountsAndOnlyAdminsSetThem() {
        long sales = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Night desk", "key", "night")).path("id").asLong();
        owner.expect(200, "PUT", "/v2/groups/" + sales + "/office-hours",
                Map.of("enabled", true, "week", Map.of("monday", List.of(Map.of("from", "22:00", "to", "06:00")))));
        assertThat(owner.get("/v2/groups/" + sales + "/office-hours").path("own").asBoolean()).isTrue();

        // The book itself, on the same database, at a fixed Monday 23:00 UTC: the group is open, the account
        // (Monday to Friday 9–17 here) is not.
        var jdbi = app.parley().database().jdbi();
        Caller admin = new Caller(jdbi.withHandle(h -> Agents.byId(h, owner.agentId())).orElseThrow(), false, "");
        OfficeHoursBook book = new OfficeHoursBook(jdbi,
                Clock.fixed(Instant.parse("2026-12-07T23:00:00Z"), ZoneOffset.UTC));
        book.save(admin, null, new OfficeHours(true, Map.of("monday", List.of(new OfficeHours.Interval("09:00", "17:00"))), List.of()));
        assertThat(book.open(admin.accountId(), sales)).isTrue();
        assertThat(book.open(admin.accountId(), null)).isFalse();
        owner.expect(204, "DELETE", "/v2/groups/" + sales + "/office-hours", null);
        book.forget(admin.accountId());
        assertThat(book.open(admin.accountId(), sales)).as("back to the account's hours").isFalse();

        TestParley.Api agent = app.createAgent("fe@shop.test", "Fe", "fe-password-1", "agent");
        agent.send("PUT", "/v2/account/office-hours", week(List.of(), true));
        assertThat(agent.lastStatus).isEqualTo(403);
        JsonNode bad = owner.send("PUT", "/v2/account/office-hours",
                Map.of("enabled", true, "week", Map.of("monday", List.of(Map.of("from", "9am", "to", "5pm")))));
        assertThat(owner.lastStatus).isEqualTo(422);
        assertThat(bad.path("error").path("field").asText()).isEqualTo("week.monday");
        owner.expect(200, "PUT", "/v2/account/office-hours", week(List.of(), false));
    }
}
