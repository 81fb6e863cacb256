package app.parley.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Role;
import app.parley.account.Viewer;
import app.parley.core.Json;
import app.parley.testing.TestParley;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #14, point 5: the main search queries are served by their indexes (EXPLAIN), on a table large enough
 * (6,000 documents, analysed) that PostgreSQL would rather scan it whole if an index did not fit. The data is made in
 * SQL, and the documents by the indexer's own {@link SearchDocuments#index}.
 */
class SearchPlanTest {
    static TestParley app;
    static ConversationSearch search;
    static Jdbi jdbi;
    static Viewer owner;
    static long tag;
    static long contact;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        jdbi = app.parley().database().jdbi();
        search = new ConversationSearch(jdbi);
        jdbi.useTransaction(h -> {
            long account = h.createQuery("SELECT min(id) FROM accounts").mapTo(Long.class).one();
            long agent = h.createQuery("SELECT min(id) FROM agents").mapTo(Long.class).one();
            owner = new Viewer(agent, account, Role.OWNER, true, Set.of());
            tag = h.createQuery("INSERT INTO tags (account_id, name) VALUES (:a, 'plan') RETURNING id").bind("a", account).mapTo(Long.class).one();
            contact = h.createQuery("INSERT INTO contacts (account_id, name) VALUES (:a, 'Plan Person') RETURNING id").bind("a", account).mapTo(Long.class).one();
            h.createUpdate("""
                            INSERT INTO visitors (account_id, visitor_key, ip, current_url, language)
                            SELECT :a, 'plan-' || i, '10.' || (i % 250) || '.' || (i / 250 % 250) || '.1',
                                   'https://shop.test/p/' || (i % 300), 'en'
                            FROM generate_series(1, 6000) i""").bind("a", account).execute();
            h.createUpdate("""
                            INSERT INTO conversations (account_id, visitor_id, contact_id, status, rating_value, ip, assignee_ids,
                                                       participant_ids, created_at, finished_at)
                            SELECT :a, v.id, CASE WHEN v.id % 3000 = 0 THEN :c END, CASE WHEN v.id % 10 = 0 THEN 'open' ELSE 'closed' END,
                                   CASE v.id % 4 WHEN 0 THEN 5 WHEN 1 THEN 1 END, v.ip, ARRAY[:agent]::bigint[], '{}',
                                   now() - v.id * interval '1 hour', CASE WHEN v.id % 10 <> 0 THEN now() - v.id * interval '1 hour' END
                            FROM visitors v WHERE v.visitor_key LIKE 'plan-%'""")
                    .bind("a", account).bind("c", contact).bind("agent", agent).execute();
            h.createUpdate("""
                            INSERT INTO messages (account_id, conversation_id, kind, sub_type, text)
                            SELECT :a, c.id, 'message', 'contact',
                                   'order ' || (ARRAY['parcel','refund','invoice','shoes','jacket'])[1 + c.id % 5]
                                   || CASE WHEN c.id % 2000 = 0 THEN ' walrus' ELSE '' END
                            FROM conversations c""").bind("a", account).execute();
            h.createUpdate("INSERT INTO conversation_tags (conversation_id, tag_id) SELECT id, :t FROM conversations WHERE id % 500 = 0")
                    .bind("t", tag).execute();
            List<Long> ids = h.createQuery("SELECT id FROM conversations").mapTo(Long.class).list();
            SearchDocuments.index(h, ids, true);
        });
        jdbi.useHandle(h -> h.execute("ANALYZE"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<String> plans(Map<String, ?> filters) {
        SearchRequest r = Json.MAPPER.convertValue(Map.of("filters", filters), SearchRequest.class);
        return search.explain(owner, r);
    }

    static void usesIndex(Map<String, ?> filters, String index) {
        List<String> plans = plans(filters);
        for (String plan : plans) {
            assertThat(plan).as(filters + "\n" + plan).contains(index).doesNotContain("Seq Scan on search_conversations");
        }
    }

    @Test
    void theNewestPageWalksTheCreationIndex() {
        List<String> plans = plans(Map.of());
        assertThat(plans.get(1)).contains("search_created").doesNotContain("Seq Scan").doesNotContain("Sort");
    }

    @Test
    void aRareWordUsesTheTextIndex() {
        // The words are in the message rows: their text index gives the candidates (6,000 rows are few enough that
        // PostgreSQL may scan them here; whether the index serves the query at all is what is asked).
        SearchRequest r = Json.MAPPER.convertValue(Map.of("filters", Map.of("query", "walrus")), SearchRequest.class);
        for (String plan : search.explain(owner, r, true)) {
            assertThat(plan).as(plan).contains("search_messages_doc").contains("search_doc")
                    .doesNotContain("Seq Scan on search_conversations").doesNotContain("Seq Scan on search_messages");
        }
    }

    @Test
    void aTagUsesTheTagIndex() {
        usesIndex(Map.of("tags", List.of(tag), "tags_match", "all"), "search_tags");
    }

    @Test
    void aNetworkUsesTheAddressIndex() {
        usesIndex(Map.of("loc_ip", "10.7.0.0/16"), "search_ip");
        usesIndex(Map.of("loc_ip", "10.7.3.1"), "search_ip");
    }

    @Test
    void aContactUsesItsIndex() {
        usesIndex(Map.of("contact_id", contact), "search_contact");
    }

    // On a few thousand short addresses PostgreSQL rightly prefers reading the table (or the account's index, then a
    // filter: which of the two depends on the sample ANALYZE took); the bench's millions use the trigram index. Here:
    // with table scans priced out, a "contains" on the page columns can be served by their trigram indexes at all.
    @Test
    void aPageAddressCanUseTheTrigramIndex() {
        for (var column : Map.of("pages_text", "search_pages", "start_url", "search_start_url").entrySet()) {
            String plan = jdbi.inTransaction(h -> {
                h.execute("SET LOCAL enable_seqscan = off");
                return String.join("\n", h.createQuery("EXPLAIN SELECT conversation_id FROM search_conversations WHERE "
                        + column.getKey() + " ILIKE '%/p/123%'").mapTo(String.class).list());
            });
            assertThat(plan).as(plan).contains(column.getValue()).doesNotContain("Seq Scan on search_conversations");
        }
        // And the API's own queries for those filters never read the whole table.
        for (var f : List.of(Map.of("page_url", "/p/123"), Map.of("start_url", "/P/123"))) {
            SearchRequest r = Json.MAPPER.convertValue(Map.of("filters", f), SearchRequest.class);
            for (String plan : search.explain(owner, r, true)) {
                assertThat(plan).as(f + "\n" + plan).doesNotContain("Seq Scan on search_conversations");
            }
        }
    }

    @Test
    void theResolvedListByFinishTimeWalksItsIndex() {
        SearchRequest r = Json.MAPPER.convertValue(Map.of("sort", List.of(Map.of("finished_at", "desc"))), SearchRequest.class);
        assertThat(search.explain(owner, r).get(1)).contains("search_finished").doesNotContain("Seq Scan");
    }

    /**
     * A batch's messages of one conversation are one row (V31), at most {@value SearchDocuments#PIECE_MESSAGES}
     * messages each, and the conversation's words read from its rows are those its messages give one by one; the
     * same batch seen again adds nothing, and a rebuild makes the same words.
     */
    @Test
    void aBatchOfMessagesIsOnePieceWithTheWordsOfEach() {
        jdbi.useTransaction(h -> {
            long c = h.createQuery("""
                            INSERT INTO conversations (account_id, visitor_id, status, assignee_ids, participant_ids)
                            SELECT account_id, id, 'open', '{}', '{}' FROM visitors WHERE visitor_key = 'plan-1' RETURNING id""")
                    .mapTo(Long.class).one();
            SearchDocuments.index(h, List.of(c), true);
            String say = """
                    INSERT INTO messages (account_id, conversation_id, kind, sub_type, text)
                    SELECT account_id, id, 'message', 'contact', 'Lieferung ' || i || ' of the order: is it delayed?'
                    FROM conversations, generate_series(1, :n) i WHERE id = :c RETURNING id""";
            List<Long> first = h.createQuery(say).bind("n", 3).bind("c", c).mapTo(Long.class).list();
            SearchDocuments.addMessages(h, first);
            String rows = "SELECT count(*) FROM search_messages WHERE conversation_id = :c";
            assertThat(h.createQuery(rows).bind("c", c).mapTo(Long.class).one()).isEqualTo(1);
            List<Long> more = h.createQuery(say).bind("n", SearchDocuments.PIECE_MESSAGES + 1).bind("c", c).mapTo(Long.class).list();
            SearchDocuments.addMessages(h, more);
            SearchDocuments.addMessages(h, more);
            assertThat(h.createQuery(rows).bind("c", c).mapTo(Long.class).one()).isEqualTo(3);
            String words = "SELECT parley_tsvector_agg(doc ORDER BY first_message_id)::text FROM search_messages WHERE conversation_id = :c";
            String each = """
                    SELECT parley_tsvector_agg(setweight(to_tsvector('parley_en', text), 'B') ORDER BY id)::text
                    FROM messages WHERE conversation_id = :c""";
            String expected = h.createQuery(each).bind("c", c).mapTo(String.class).one();
            assertThat(h.createQuery(words).bind("c", c).mapTo(String.class).one()).isEqualTo(expected);
            SearchDocuments.index(h, List.of(c), true);
            assertThat(h.createQuery(rows).bind("c", c).mapTo(Long.class).one()).isEqualTo(2);
            assertThat(h.createQuery(words).bind("c", c).mapTo(String.class).one()).isEqualTo(expected);
            h.rollback();
        });
    }

    /**
     * The consumer's statement for a batch's new messages reads the log's stretches and the messages by their keys
     * (with table scans priced out, as these few thousand rows would rather be scanned): never a whole table.
     */
    @Test
    void aBatchsNewMessagesAreReadByTheirKeys() {
        String plan = jdbi.inTransaction(h -> {
            h.execute("SET LOCAL enable_seqscan = off");
            return String.join("\n", h.createQuery("EXPLAIN " + SearchDocuments.ADD_MESSAGES_OF)
                    .bindArray("accounts", Long.class, List.of(owner.accountId())).bindArray("afters", Long.class, List.of(0L))
                    .bindArray("upTos", Long.class, List.of(1_000L)).bind("max", 1).bind("pieceMessages", 1).bind("pieceBytes", 1)
                    .mapTo(String.class).list());
        });
        assertThat(plan).as(plan).contains("events_pkey").contains("messages_pkey").doesNotContain("Seq Scan");
    }

    /** Message rows hold no key to their document (V24): a deleted document still takes its rows, in one statement. */
    @Test
    void aDeletedDocumentTakesItsMessageRowsWithIt() {
        jdbi.useTransaction(h -> {
            long id = h.createQuery("SELECT conversation_id FROM search_messages LIMIT 1").mapTo(Long.class).one();
            String count = "SELECT count(*) FROM search_messages WHERE conversation_id = :c";
            assertThat(h.createQuery(count).bind("c", id).mapTo(Long.class).one()).isPositive();
            h.createUpdate("DELETE FROM search_conversations WHERE conversation_id = :c").bind("c", id).execute();
            assertThat(h.createQuery(count).bind("c", id).mapTo(Long.class).one()).isZero();
            h.rollback();
        });
    }
}
