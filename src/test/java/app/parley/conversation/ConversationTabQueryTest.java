package app.parley.conversation;

import app.parley.account.Role;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Viewer;
import app.parley.testing.TestParley;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL behind the lists and counts must say exactly what {@link ConversationTab#contains} says. */
class ConversationTabQueryTest {
    static TestParley app;
    static Jdbi jdbi;
    static long account, me, other, groupA, groupB;
    static final Map<Long, ConversationTab.Facts> facts = new java.util.HashMap<>();

    @BeforeAll
    static void seed() {
        app = TestParley.start();
        jdbi = app.parley().database().jdbi();
        jdbi.useHandle(h -> {
            account = h.createQuery("SELECT id FROM accounts").mapTo(Long.class).one();
            me = h.createQuery("SELECT id FROM agents").mapTo(Long.class).one();
            other = h.createQuery("INSERT INTO agents (account_id, email, name, role, password_hash) "
                    + "VALUES (:a, 'other@shop.test', 'Other', 'agent', 'x') RETURNING id").bind("a", account).mapTo(Long.class).one();
            groupA = h.createQuery("INSERT INTO groups (account_id, name, key) VALUES (:a, 'A', 'a') RETURNING id")
                    .bind("a", account).mapTo(Long.class).one();
            groupB = h.createQuery("INSERT INTO groups (account_id, name, key) VALUES (:a, 'B', 'b') RETURNING id")
                    .bind("a", account).mapTo(Long.class).one();
            long visitor = h.createQuery("INSERT INTO visitors (account_id, visitor_key) VALUES (:a, 'v') RETURNING id")
                    .bind("a", account).mapTo(Long.class).one();
            List<Long> groups = new ArrayList<>();
            groups.add(null);
            groups.add(groupA);
            groups.add(groupB);
            List<Set<Long>> assigneeSets = List.of(Set.of(), Set.of(me), Set.of(other), Set.of(me, other));
            for (String status : List.of("open", "closed")) {
                for (Long g : groups) {
                    for (Set<Long> assignees : assigneeSets) {
                        long id = h.createQuery("""
                                        INSERT INTO conversations (account_id, visitor_id, group_id, status, assignee_ids, finished_at)
                                        VALUES (:a, :v, :g, :s, :as, CASE WHEN :s = 'closed' THEN now() END) RETURNING id""")
                                .bind("a", account).bind("v", visitor).bind("g", g).bind("s", status)
                                .bindArray("as", Long.class, assignees).mapTo(Long.class).one();
                        facts.put(id, new ConversationTab.Facts("open".equals(status), g, assignees));
                    }
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyTabListsExactlyWhatTheRuleSaysForEveryKindOfViewer() {
        List<Viewer> viewers = List.of(
                new Viewer(me, account, Role.AGENT, true, Set.of()),
                new Viewer(me, account, Role.AGENT, true, Set.of(groupA)),
                new Viewer(me, account, Role.AGENT, true, Set.of(groupA, groupB)),
                new Viewer(me, account, Role.ADMIN, true, Set.of(groupA)),
                new Viewer(me, account, Role.OWNER, true, Set.of()));
        for (Viewer v : viewers) {
            for (ConversationTab tab : ConversationTab.values()) {
                Set<Long> expected = new HashSet<>();
                facts.forEach((id, f) -> {
                    if (tab.contains(f, v)) expected.add(id);
                });
                Set<Long> listed = new HashSet<>();
                String after = null;
                do {
                    String cursor = after;
                    var page = jdbi.withHandle(h -> ConversationQueries.list(h, v, tab, cursor, 5));
                    page.items().forEach(c -> assertThat(listed.add(c.id())).as("listed twice").isTrue());
                    after = page.after();
                } while (after != null);
                assertThat(listed).as("%s for %s", tab, v).isEqualTo(expected);
                if (tab != ConversationTab.RESOLVED) {
                    Map<String, Integer> counts = jdbi.withHandle(h -> ConversationQueries.counts(h, v, false));
                    assertThat(counts.get(tab.wire())).as("count of %s for %s", tab, v).isEqualTo(expected.size());
                }
            }
        }
    }
}
