package app.parley.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The card's and the visitors list's queries stay index-served on a large history (EXPLAIN on five million page views
 * of 250,000 visitors, as the issue sizes a shop, the statistics fresh), and run as many statements for a long history as for a short one.
 */
class VisitorQueriesTest {
    static final int VISITORS = 250_000;
    static final int VIEWS = 5_000_000;
    private static TestParley app;
    private static Jdbi jdbi;
    private static long account;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        jdbi = app.parley().database().jdbi();
        account = jdbi.withHandle(h -> h.createQuery("SELECT id FROM accounts").mapTo(Long.class).one());
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO visitor_activity (visitor_id, account_id, first_seen_at, last_seen_at, visit_started_at, pages,
                                                  current_url, country_code, city)
                    SELECT 1000000 + g, ?, now() - g * interval '1 second', now() - g * interval '1 second',
                           now() - g * interval '1 second', 20, 'https://shop.test/p/' || g, 'GB', 'London'
                    FROM generate_series(1, ?) g""", account, VISITORS);
            h.execute("""
                    INSERT INTO page_views (visitor_id, account_id, viewed_at, url, title, referrer)
                    SELECT 1000000 + (g % ?) + 1, ?, now() - g * interval '1 second', 'https://shop.test/p/' || g, 'Page', NULL
                    FROM generate_series(1, ?) g""", VISITORS, account, VIEWS);
            h.execute("ANALYZE page_views");
            h.execute("ANALYZE visitor_activity");
            h.execute("ANALYZE visitors");
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String explain(Handle h, String sql, Map<String, Object> binds) {
        var q = h.createQuery("EXPLAIN " + sql);
        binds.forEach(q::bind);
        return String.join("\n", q.mapTo(String.class).list());
    }

    @Test
    void theCardsPagesAreReadThroughTheVisitorIndex() {
        String plan = jdbi.withHandle(h -> explain(h, VisitorDirectory.PAGES,
                Map.of("v", 1_000_042L, "a", account, "n", VisitorDirectory.HISTORY)));
        assertThat(plan).as(plan).contains("page_views_visitor").doesNotContain("Seq Scan");
    }

    @Test
    void everyFilterOfTheVisitorsListWalksTheRecentIndexInOrder() {
        for (VisitorFilter filter : VisitorFilter.values()) {
            for (boolean cursor : new boolean[] {false, true}) {
                String sql = VisitorDirectory.listSql(filter, cursor, false);
                Map<String, Object> binds = new java.util.HashMap<>(Map.of("a", account, "limit", 51));
                if (cursor) {
                    binds.put("cursorAt", java.time.OffsetDateTime.now().minusHours(1));
                    binds.put("cursorId", 1_010_000L);
                }
                String plan = jdbi.withHandle(h -> explain(h, sql, binds));
                assertThat(plan).as(filter + " " + cursor + "\n" + plan).doesNotContain("Seq Scan on visitor_activity");
                // The filters over most visitors walk the recent index in its order (no sort of the account's
                // visitors); in_chat and customers may start from the few open conversations or identified visitors.
                if (filter == VisitorFilter.ALL || filter == VisitorFilter.ACTIVE || filter == VisitorFilter.BLOCKED) {
                    assertThat(plan).as(filter + " " + cursor + "\n" + plan)
                            .containsAnyOf("visitor_activity_recent", "visitor_activity_blocked").doesNotContain("Sort ");
                }
            }
        }
    }

    @Test
    void theCardAndTheListRunTheSameStatementsForALongHistoryAsForAShortOne() {
        TestParley.Api owner = app.owner();
        long shortHistory = 2_000_000L;
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO visitor_activity (visitor_id, account_id, first_seen_at, last_seen_at, visit_started_at, pages)
                    VALUES (?, ?, now(), now(), now(), 1)""", shortHistory, account);
            h.execute("INSERT INTO page_views (visitor_id, account_id, viewed_at, url) VALUES (?, ?, now(), 'https://shop.test/')",
                    shortHistory, account);
        });
        Statements statements = Statements.install(jdbi);
        try {
            List<String> one = statements.during(() -> owner.expect(200, "GET", "/v2/visitors/" + shortHistory, null));
            List<String> many = statements.during(() -> owner.expect(200, "GET", "/v2/visitors/" + 1_000_042L, null));
            assertThat(owner.get("/v2/visitors/" + 1_000_042L).path("pages")).hasSize(VIEWS / VISITORS);
            assertThat(many).isEqualTo(one);
            List<String> small = statements.during(() -> owner.expect(200, "GET", "/v2/visitors?limit=1", null));
            List<String> large = statements.during(() -> owner.expect(200, "GET", "/v2/visitors?limit=200", null));
            assertThat(large).isEqualTo(small);
        } finally {
            statements.uninstall(jdbi);
        }
    }

    /** The statements Parley's request threads send (not the background writers'), as QueryCountTest counts them. */
    static final class Statements implements SqlLogger {
        private final SqlLogger delegate;
        private final List<String> seen = new ArrayList<>();

        private Statements(SqlLogger delegate) {
            this.delegate = delegate;
        }

        static Statements install(Jdbi jdbi) {
            Statements s = new Statements(jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).getSqlLogger());
            jdbi.setSqlLogger(s);
            return s;
        }

        void uninstall(Jdbi jdbi) {
            jdbi.setSqlLogger(delegate);
        }

        @Override
        public void logBeforeExecution(StatementContext context) {
            String thread = Thread.currentThread().getName();
            if (thread.startsWith("parley-")) return;
            synchronized (seen) {
                seen.add(context.getRawSql().strip().replaceAll("\\s+", " "));
            }
        }

        List<String> during(Runnable action) {
            synchronized (seen) {
                seen.clear();
            }
            action.run();
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }
    }
}
