package app.parley.channel.messenger;

import static app.parley.channel.messenger.MessengerWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * "Answered 200 quickly, the work done durably after; a stop after the answer loses nothing" (issue #13, point 2):
 * with Parley's job runner stopped, signed POSTs are still answered 200 and nothing is processed; Parley is then
 * stopped and started again on the same database, and every message of every answered POST arrives, once. (A kill
 * -9 in the middle of a job is the backbone's case: the job's lease expires and another run takes it, BackboneTest.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessengerDurabilityTest {
    private static MessengerWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new MessengerWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    @Order(1)
    void everyAnsweredPostIsProcessedAfterARestart() {
        world.parley.parley().jobs().close();
        List<String> answered = new ArrayList<>();
        long ts = System.currentTimeMillis();
        for (int post = 0; post < 20; post++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String mid = "m_durable_" + post + "_" + i;
                answered.add(mid);
                items.add(text("8" + (100000000000000L + post % 4), mid, ts++, "\"message " + post + "/" + i + "\""));
            }
            assertThat(world.post(entry(PAGE, items.toArray(String[]::new))).statusCode()).isEqualTo(200);
        }
        int waiting = world.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messenger_inbox WHERE processed_at IS NULL")
                .mapTo(Integer.class).one());
        int messages = world.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messages").mapTo(Integer.class).one());
        assertThat(waiting).isEqualTo(20);
        assertThat(messages).isZero();

        world.parley.restart();
        world.processed();
        List<String> stored = world.jdbi().withHandle(h -> h.createQuery(
                        "SELECT client_id FROM messages WHERE kind = 'message' ORDER BY id").mapTo(String.class).list());
        assertThat(stored).containsExactlyElementsOf(answered);
    }

    /** A backlog longer than one run takes: the rest goes back to the queue and follows, in order, nothing twice. */
    @Test
    @Order(2)
    void aBacklogLongerThanOneRunIsProcessedInOrderOverSeveralRuns() {
        world.parley.parley().jobs().close();
        List<String> answered = new ArrayList<>();
        long ts = System.currentTimeMillis();
        for (int post = 0; post < InboundProcessor.BODIES_PER_RUN + 7; post++) {
            String mid = "m_backlog_" + post;
            answered.add(mid);
            assertThat(world.post(entry(PAGE, text("8" + (100000000000000L + post % 3), mid, ts++, "\"backlog " + post + "\"")))
                    .statusCode()).isEqualTo(200);
        }
        world.parley.restart();
        world.processed();
        List<String> stored = world.jdbi().withHandle(h -> h.createQuery(
                        "SELECT client_id FROM messages WHERE client_id LIKE 'm_backlog_%' ORDER BY id").mapTo(String.class).list());
        assertThat(stored).containsExactlyElementsOf(answered);
        await("every inbound job done", () -> world.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) = 0 FROM jobs WHERE kind = 'messenger.inbound'").mapTo(Boolean.class).one()));
    }
}
