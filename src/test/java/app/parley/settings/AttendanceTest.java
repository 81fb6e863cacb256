package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence follows the dashboard (issue #18, point 5): online at sign-in, away then offline once the last tab is
 * gone (the account's timings, seconds here), online again when a tab comes back, and the chat box follows.
 */
class AttendanceTest {
    private static TestParley app;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        owner.expect(200, "PATCH", "/v2/account/settings", Map.of("away_after_seconds", 1, "offline_after_seconds", 3));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anAgentWhoSignsInGoesOnlineThenAwayThenOfflineAndComesBack() {
        app.createAgent("cy@shop.test", "Cy", "cy-password-1", "agent");
        TestParley.Api cy = app.login("cy@shop.test", "cy-password-1");
        assertThat(status(cy)).isEqualTo("offline");
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            assertThat(visitor.await("welcome").path("account").path("online").asBoolean()).isFalse();
            TestSocket tab = TestSocket.agent(app, cy, null);
            tab.await("welcome");
            await(() -> "online".equals(status(cy)));
            visitor.await(f -> "chat_status".equals(f.path("type").asText()) && f.path("data").path("online").asBoolean());

            tab.close();
            await(() -> "away".equals(status(cy)));
            visitor.await(f -> "chat_status".equals(f.path("type").asText()) && !f.path("data").path("online").asBoolean(true));
            await(() -> "offline".equals(status(cy)));

            // Back at the dashboard: online again by itself, without touching the switch.
            try (TestSocket again = TestSocket.agent(app, cy, null)) {
                again.await("welcome");
                await(() -> "online".equals(status(cy)));
                visitor.await(f -> "chat_status".equals(f.path("type").asText()) && f.path("data").path("online").asBoolean());
            }
        }
    }

    @Test
    void aPageReloadRightAfterSigningInStillPutsTheAgentOnline() {
        app.createAgent("gi@shop.test", "Gi", "gi-password-1", "agent");
        TestParley.Api gi = app.login("gi@shop.test", "gi-password-1");
        TestSocket first = TestSocket.agent(app, gi, null);
        first.close();
        try (TestSocket second = TestSocket.agent(app, gi, null)) {
            second.await("welcome");
            await(() -> "online".equals(status(gi)));
        }
    }

    @Test
    void anAgentWhoChoseOfflineStaysOfflineAndOneWhoOptedOutIsNotSwitchedOn() {
        app.createAgent("di@shop.test", "Di", "di-password-1", "agent");
        TestParley.Api di = app.login("di@shop.test", "di-password-1");
        di.expect(200, "PATCH", "/v2/me/preferences", Map.of("online_on_sign_in", false));
        TestParley.Api later = app.login("di@shop.test", "di-password-1");
        try (TestSocket tab = TestSocket.agent(app, later, null)) {
            tab.await("welcome");
            di.expect(200, "PATCH", "/auth/me", Map.of("status", "online"));
            di.expect(200, "PATCH", "/auth/me", Map.of("status", "offline"));
        }
        // A tab that opens again after the agent went offline by hand does not switch them on.
        try (TestSocket tab = TestSocket.agent(app, later, null)) {
            tab.await("welcome");
            tab.frames(1500);
            assertThat(status(di)).isEqualTo("offline");
        }
    }

    private static String status(TestParley.Api api) {
        JsonNode me = api.get("/auth/me");
        return me.path("agent").path("status").asText();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Not reached within 15 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
