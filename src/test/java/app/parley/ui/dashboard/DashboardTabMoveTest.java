package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows move between the lists live, where the server's {@code tabs} field puts them (docs/PRODUCT.md §1.2): the
 * dashboard has no rule of its own, so New is limited to an admin's groups live as it is on a fresh load.
 */
class DashboardTabMoveTest {
    private TestParley parley;

    @BeforeEach
    void start() {
        parley = TestParley.start();
    }

    @AfterEach
    void stop() {
        parley.close();
    }

    @Test
    void rowsMoveLiveWhereTheServerSaysTheyBelong() throws Exception {
        Jdbi jdbi = parley.parley().database().jdbi();
        TestParley.Api owner = parley.owner();
        TestParley.Api ada = parley.createAgent("ada@shop.test", "Ada Admin", "ada-password-1", "admin");
        long account = jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM agents WHERE id = :id")
                .bind("id", ada.agentId()).mapTo(Long.class).one());
        long groupA = jdbi.withHandle(h -> h.createQuery(
                "INSERT INTO groups (account_id, name, key) VALUES (:a, 'Sales', 'sales') RETURNING id")
                .bind("a", account).mapTo(Long.class).one());
        jdbi.useHandle(h -> h.execute("INSERT INTO groups (account_id, name, key) VALUES (?, 'Support', 'support')", account));
        jdbi.useHandle(h -> h.execute("INSERT INTO group_members (group_id, agent_id) VALUES (?, ?)", groupA, ada.agentId()));

        try (var shopper = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey());
             var me = DashboardSession.owner(parley);
             var admin = DashboardSession.signIn(parley, "ada@shop.test", "ada-password-1")) {
            long id = shopper.say("Hello, is this in stock?").path("conversation_id").asLong();
            me.tab("new").click();
            admin.tab("new").click();
            assertThat(me.row(id)).isVisible();
            assertThat(admin.row(id)).isVisible();

            // The owner joins from another session (the API): their New loses the row and their Mine gains it, live.
            owner.post("/v2/conversations/" + id + "/join", null);
            assertThat(me.row(id)).hasCount(0);
            // ... and Ada, whose New it was too, sees it leave: it is someone else's now.
            assertThat(admin.row(id)).hasCount(0);
            assertThat(me.tabCount("mine")).hasText("1");
            me.tab("mine").click();
            assertThat(me.row(id)).isVisible();

            // A shopper routed to Support, a group Ada is not in, while Ada looks at New: an admin sees it in All
            // but not in New (docs/PRODUCT.md §1.2), live as on a fresh load.
            try (var other = VisitorSocketClient.connect(parley.baseUrl(), parley.accountKey())) {
                other.identify(Map.of("group", "support"));
                awaitVisitorGroup(jdbi, "support");
                long supportId = other.say("Where is my parcel?").path("conversation_id").asLong();
                // The counts follow the event on the same socket: once All says 2, the event has been applied.
                assertThat(admin.tabCount("all")).hasText("2");
                assertThat(admin.tabCount("new")).hasText("0");
                assertThat(admin.row(supportId)).hasCount(0);
                admin.tab("all").click();
                assertThat(admin.row(supportId)).isVisible();
            }
            assertThat(me.errors).isEmpty();
            assertThat(admin.errors).isEmpty();
        }
    }

    private static void awaitVisitorGroup(Jdbi jdbi, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM visitors WHERE group_key = :k")
                .bind("k", key).mapTo(Long.class).one()) == 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("the visitor was not routed to " + key);
            Thread.sleep(50);
        }
    }
}
