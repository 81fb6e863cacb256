package app.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.Flush;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal writes conversation rows back on every batch, through prepared statements whose plans PostgreSQL
 * caches. Whatever plan it caches (generic or custom), the write must find its rows through the primary key: a plan
 * that scans the conversations table costs every batch more as the shop grows.
 */
class ConversationWriteBackTest {
    static TestParley app;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        jdbi = app.parley().database().jdbi();
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            visitor.send(Map.of("type", "message", "client_id", "first", "text", "Hello"));
            visitor.await("ack");
        }
        // A shop with some history (a few hundred conversations: where a scan still looks cheap to the planner).
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO conversations (account_id, visitor_id, status, finished_at)
                    SELECT account_id, visitor_id, 'closed', now() FROM conversations, generate_series(1, 700)""");
            h.execute("ANALYZE conversations");
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void writingOneRowBackReadsThePrimaryKeyWithAGenericOrACustomPlan() {
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            assertWriteBackUsesTheIndex(1, mode);
        }
    }

    @Test
    void writingSeveralRowsBackReadsThePrimaryKeyWithAGenericOrACustomPlan() {
        for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
            assertWriteBackUsesTheIndex(5, mode);
        }
    }

    private static void assertWriteBackUsesTheIndex(int count, String planCacheMode) {
        jdbi.useTransaction(h -> {
            h.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
            List<ConversationRow> rows = h.createQuery("SELECT * FROM conversations ORDER BY id DESC LIMIT :n")
                    .bind("n", count).map((rs, ctx) -> ConversationRow.map(rs)).list();
            for (ConversationRow r : rows) r.lastMessageText = "written back (" + planCacheMode + ")";
            Scans before = Scans.of(h);

            Flush f = new Flush();
            ConversationCache.writeBack(f, rows);
            f.execute(h);

            Scans after = Scans.of(h);
            assertThat(after.sequential - before.sequential).as("sequential scans of conversations, %s", planCacheMode).isZero();
            assertThat(after.index - before.index).as("index scans of conversations, %s", planCacheMode).isPositive();
            List<String> texts = h.createQuery("SELECT last_message_text FROM conversations WHERE id = ANY(:ids)")
                    .bindArray("ids", Long.class, rows.stream().map(r -> r.id).toList()).mapTo(String.class).list();
            assertThat(texts).hasSize(count).containsOnly("written back (" + planCacheMode + ")");
            h.rollback();
        });
    }

    /** The scans of the conversations table this transaction has made so far. */
    private record Scans(long sequential, long index) {
        static Scans of(Handle h) {
            return h.createQuery("""
                            SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0)
                            FROM pg_stat_xact_user_tables WHERE relname = 'conversations'""")
                    .map((rs, ctx) -> new Scans(rs.getLong(1), rs.getLong(2))).one();
        }
    }
}
