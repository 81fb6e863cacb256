package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal's fast path: a batch that only buffers writes goes to PostgreSQL as one multi-statement flush
 * outside an explicit transaction, and trusts client ids to be new. These tests hold the writer back so several
 * commands share one batch, and check what that trust relies on.
 */
class JournalBatchTest {
    static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_VISITOR_MESSAGE_RATE", "1000"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aFlushOutsideATransactionIsAllOrNothing() {
        Jdbi jdbi = app.parley().database().jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE flush_probe (id int PRIMARY KEY)"));
        try {
            Flush ok = new Flush();
            ok.add("INSERT INTO flush_probe SELECT unnest(:a)", new Flush.Column("a", "int4", new Integer[] {1}));
            ok.add("INSERT INTO flush_probe SELECT unnest(:b)", new Flush.Column("b", "int4", new Integer[] {2}));
            jdbi.useHandle(ok::execute);

            Flush broken = new Flush();
            broken.add("INSERT INTO flush_probe SELECT unnest(:c)", new Flush.Column("c", "int4", new Integer[] {3}));
            broken.add("INSERT INTO flush_probe SELECT unnest(:d)", new Flush.Column("d", "int4", new Integer[] {1})); // a duplicate key
            assertThatThrownBy(() -> jdbi.useHandle(broken::execute)).hasMessageContaining("flush_probe_pkey");

            List<Integer> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM flush_probe ORDER BY id").mapTo(Integer.class).list());
            assertThat(ids).as("the first statement of the failed flush is rolled back with it").containsExactly(1, 2);
        } finally {
            jdbi.useHandle(h -> h.execute("DROP TABLE flush_probe"));
        }
    }

    @Test
    void aFlushStoresEveryValueExactlyAsGiven() {
        // Columns travel as array literals the flush writes itself: quotes, backslashes, braces, commas, the word
        // NULL, empty and multi-line text, emoji and SQL must all come back exactly, and null must stay null.
        Jdbi jdbi = app.parley().database().jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE flush_values (n int PRIMARY KEY, t text, b bigint, f boolean)"));
        try {
            String[] texts = {"plain", "", "NULL", null, "say \"hi\"", "back\\slash \\\" end\\", "{a,b}", "x, y",
                    "line one\nline two\ttab", "émoji 😀 and ščř", "'); DROP TABLE flush_values; --", " padded ",
                    "{\"json\": [1, \"two\"]}"};
            Integer[] ns = new Integer[texts.length];
            Long[] bs = new Long[texts.length];
            Boolean[] fs = new Boolean[texts.length];
            for (int i = 0; i < texts.length; i++) {
                ns[i] = i;
                bs[i] = i % 4 == 3 ? null : Long.MAX_VALUE - i;
                fs[i] = i % 3 == 2 ? null : i % 2 == 0;
            }
            Flush f = new Flush();
            f.add("INSERT INTO flush_values SELECT * FROM unnest(:n, :t, :b, :f)", new Flush.Column("n", "int4", ns),
                    new Flush.Column("t", "text", texts), new Flush.Column("b", "bigint", bs), new Flush.Column("f", "boolean", fs));
            jdbi.useHandle(f::execute);

            List<Object[]> rows = jdbi.withHandle(h -> h.createQuery("SELECT n, t, b, f FROM flush_values ORDER BY n")
                    .map((rs, ctx) -> new Object[] {rs.getInt(1), rs.getString(2), (Long) rs.getObject(3), (Boolean) rs.getObject(4)})
                    .list());
            assertThat(rows).hasSize(texts.length);
            for (int i = 0; i < texts.length; i++) {
                assertThat(rows.get(i)).as("row %d", i).containsExactly(i, texts[i], bs[i], fs[i]);
            }
        } finally {
            jdbi.useHandle(h -> h.execute("DROP TABLE flush_values"));
        }
    }

    @Test
    void eachBatchIsRecordedForFlightRecorderWithWhereItsTimeWent() throws Exception {
        Journal journal = app.parley().journal();
        Path file = Files.createTempFile("journal", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("parley.JournalBatch");
            recording.start();
            // Three commands queue up while the writer is held for 50 ms: they share the next batch, which waited.
            CountDownLatch holding = new CountDownLatch(1);
            var hold = journal.submit(tx -> {
                holding.countDown();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            long queued = System.nanoTime();
            var probes = List.of(journal.submit(tx -> "probe"), journal.submit(tx -> "probe"), journal.submit(tx -> "probe"));
            hold.get(10, TimeUnit.SECONDS);
            for (var probe : probes) assertThat(probe.get(10, TimeUnit.SECONDS)).isEqualTo("probe");
            long heldFor = System.nanoTime() - queued;
            recording.stop();
            recording.dump(file);

            // Recordings share one event stream: another test's recording running at the same time (Jdbi's statement
            // events) lands in this file too, so only this recording's event type is read.
            List<RecordedEvent> batches = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("parley.JournalBatch"))
                    .toList();
            assertThat(batches).isNotEmpty().allSatisfy(e -> {
                assertThat(e.getInt("commands")).isPositive();
                assertThat(e.getDuration("committed")).isPositive();
            });
            assertThat(batches).as("the probes' batch: three or more commands that waited for the held writer")
                    .anySatisfy(e -> {
                        assertThat(e.getInt("commands")).isGreaterThanOrEqualTo(3);
                        assertThat(e.getDuration("waited")).isPositive().isLessThanOrEqualTo(Duration.ofNanos(heldFor));
                        assertThat(e.getBoolean("inline")).as("a small batch with nothing being delivered").isTrue();
                    });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRetriedSendSharingABatchWithNewMessagesIsStoredOnceAndTheOthersAreStoredToo() throws Exception {
        TestParley.Api owner = app.owner();
        Journal journal = app.parley().journal();
        try (TestSocket agent = TestSocket.agent(app, owner, null);
             TestSocket a = TestSocket.visitor(app, null, null);
             TestSocket b = TestSocket.visitor(app, null, null)) {
            long after = agent.await("welcome").get("seq").asLong();
            a.await("welcome");
            b.await("welcome");
            a.send(Map.of("type", "message", "client_id", "a1", "text", "first from a"));
            JsonNode firstAck = a.await("ack");
            b.send(Map.of("type", "message", "client_id", "b1", "text", "first from b"));
            b.await("ack");
            long repeatedBefore = journal.repeatedRuns();

            // Hold the writer while a retry of a1 and two new messages queue up behind it: they form one batch.
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            var hold = journal.submit(tx -> {
                holding.countDown();
                try {
                    return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThat(holding.await(10, TimeUnit.SECONDS)).as("the writer runs the holding command").isTrue();
                a.send(Map.of("type", "message", "client_id", "a1", "text", "first from a"));
                b.send(Map.of("type", "message", "client_id", "b2", "text", "second from b"));
                a.send(Map.of("type", "message", "client_id", "a2", "text", "second from a"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (journal.waiting() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
                Thread.sleep(50);
                // (Other commands, such as the agent's presence, may share the batch too.)
                assertThat(journal.waiting()).as("the three sends wait for the writer; a saw %s, b saw %s", a.frames(0), b.frames(0))
                        .isGreaterThanOrEqualTo(3);
            } finally {
                release.countDown();
            }
            hold.get(10, TimeUnit.SECONDS);

            JsonNode retryAck = a.await(f -> "ack".equals(f.path("type").asText())
                    && "a1".equals(f.path("message").path("client_id").asText()) && f != firstAck);
            assertThat(retryAck.path("message").path("id").asLong()).isEqualTo(firstAck.path("message").path("id").asLong());
            assertThat(a.await(f -> "ack".equals(f.path("type").asText())
                    && "a2".equals(f.path("message").path("client_id").asText())).path("message").path("text").asText())
                    .isEqualTo("second from a");
            assertThat(b.await(f -> "ack".equals(f.path("type").asText())
                    && "b2".equals(f.path("message").path("client_id").asText())).path("message").path("text").asText())
                    .isEqualTo("second from b");
            assertThat(journal.repeatedRuns()).as("the batch ran again, looking client ids up").isEqualTo(repeatedBefore + 1);

            // Stored once each, and the agent was told once each, with no gap in the sequence.
            Jdbi jdbi = app.parley().database().jdbi();
            List<String> stored = jdbi.withHandle(h -> h.createQuery(
                    "SELECT client_id FROM messages WHERE client_id IN ('a1', 'a2', 'b1', 'b2') ORDER BY client_id").mapTo(String.class).list());
            assertThat(stored).containsExactly("a1", "a2", "b1", "b2");
            agent.await(f -> "second from a".equals(f.path("data").path("text").asText()));
            agent.await(f -> "second from b".equals(f.path("data").path("text").asText()));
            List<JsonNode> frames = TestSocket.durable(agent.frames(300));
            assertThat(frames.stream().filter(f -> "message.created".equals(f.path("type").asText())
                    && "first from a".equals(f.path("data").path("text").asText()))).hasSize(1);
            List<Long> received = new ArrayList<>();
            for (JsonNode f : frames) if (f.get("seq").asLong() > after) received.add(f.get("seq").asLong());
            List<Long> logged = jdbi.withHandle(h -> h.createQuery(
                            "SELECT seq FROM events WHERE seq > :after AND agent_payload IS NOT NULL ORDER BY seq")
                    .bind("after", after).mapTo(Long.class).list());
            assertThat(received).as("what the agent was told is what the log holds, once, in order").isEqualTo(logged);
            long first = jdbi.withHandle(h -> h.createQuery("SELECT min(seq) FROM events WHERE seq > :after").bind("after", after).mapTo(Long.class).one());
            long count = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM events WHERE seq > :after").bind("after", after).mapTo(Long.class).one());
            long last = jdbi.withHandle(h -> h.createQuery("SELECT max(seq) FROM events").mapTo(Long.class).one());
            assertThat(last - first + 1).as("no sequence number was lost to the batch that ran twice").isEqualTo(count);
        }
    }

    @Test
    void aContactLinkedWhileTheJournalHoldsTheConversationIsKeptByLaterMessages() throws Exception {
        TestParley.Api owner = app.owner();
        try (TestSocket v = TestSocket.visitor(app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "message", "client_id", "x1", "text", "hello"));
            long conversation = v.await("ack").path("message").path("conversation_id").asLong();
            v.send(Map.of("type", "identify", "email", "linked@example.com"));
            v.send(Map.of("type", "message", "client_id", "x2", "text", "still here"));
            v.await(f -> "ack".equals(f.path("type").asText()) && "x2".equals(f.path("message").path("client_id").asText()));
            JsonNode c = owner.get("/v2/conversations/" + conversation);
            assertThat(c.path("contact_id").isNull()).isFalse();
            assertThat(c.path("last_message").path("text").asText()).isEqualTo("still here");
        }
    }
}
