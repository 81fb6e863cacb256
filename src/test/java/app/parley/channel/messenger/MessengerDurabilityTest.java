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

    /**
     * One run's chunks follow each other without waiting for each commit: a mid sent again in a later chunk is still
     * stored once, and a reaction to a message taken a few chunks before (the shop's answer from Facebook) finds it.
     */
    @Test
    @Order(3)
    void laterChunksOfARunSeeTheMessagesOfEarlierOnesStillOnTheirWay() {
        world.parley.parley().jobs().close();
        String psid = "8100000000000777";
        long ts = System.currentTimeMillis();
        String echo = "{\"sender\":{\"id\":\"" + PAGE + "\"},\"recipient\":{\"id\":\"" + psid + "\"},\"timestamp\":" + (ts++)
                + ",\"message\":{\"is_echo\":true,\"app_id\":" + PAGE_INBOX_APP_ID + ",\"mid\":\"m_chunks_echo\",\"text\":\"Sent today.\"}}";
        assertThat(world.post(entry(PAGE, echo)).statusCode()).isEqualTo(200);
        for (int post = 0; post < 11; post++) {
            assertThat(world.post(entry(PAGE, text(psid, "m_chunks_" + post, ts++, "\"chunk " + post + "\""))).statusCode()).isEqualTo(200);
        }
        String reaction = "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":" + (ts++)
                + ",\"reaction\":{\"reaction\":\"love\",\"emoji\":\"\\u2764\\ufe0f\",\"action\":\"react\",\"mid\":\"m_chunks_echo\"}}";
        assertThat(world.post(entry(PAGE, text(psid, "m_chunks_1", ts++, "\"chunk 1\""), reaction)).statusCode()).isEqualTo(200);

        world.parley.restart();
        world.processed();
        List<String> stored = world.jdbi().withHandle(h -> h.createQuery(
                        "SELECT client_id FROM messages WHERE client_id LIKE 'm_chunks_%' ORDER BY id").mapTo(String.class).list());
        List<String> expected = new ArrayList<>(List.of("m_chunks_echo"));
        for (int post = 0; post < 11; post++) expected.add("m_chunks_" + post);
        assertThat(stored).containsExactlyElementsOf(expected);
        String reacted = world.jdbi().withHandle(h -> h.createQuery(
                "SELECT reaction FROM messenger_messages WHERE mid = 'm_chunks_echo'").mapTo(String.class).one());
        assertThat(reacted).isEqualTo("love");
    }
}
