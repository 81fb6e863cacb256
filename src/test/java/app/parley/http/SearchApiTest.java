package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: {@code POST /v2/conversations/search} over the search documents the "search" consumer keeps: full text
 * (stemmed, accents folded, phrases, prefixes, notes, the contact's fields and variables), every filter, keyset
 * paging, limited agents, bad input, the rebuild and saved searches. Each test works in its own shop.
 */
class SearchApiTest {
    static TestParley app;
    static final List<ChatVisitor> visitors = new ArrayList<>();

    @BeforeAll
    static void start() {
        app = TestParley.start();
    }

    @AfterAll
    static void stop() {
        visitors.forEach(ChatVisitor::close);
        app.close();
    }

    record Shop(TestAccounts.Created created, Api owner) {
        ChatVisitor visitor() {
            ChatVisitor v = ChatVisitor.connect(app, created.chatKey());
            visitors.add(v);
            return v;
        }

        /** A visitor in a real browser (a bare HTTP client counts as a bot, whose pages are not kept). */
        ChatVisitor browser() {
            ChatVisitor v = ChatVisitor.connect(app, created.chatKey(), ContactHistoryTest.CHROME);
            visitors.add(v);
            return v;
        }
    }

    static Shop shop(String name) {
        TestAccounts.Created c = TestAccounts.create(app, name, name + "@search.test", "search-password-1");
        return new Shop(c, app.login(c.ownerEmail(), c.ownerPassword()));
    }

    static JsonNode search(Api api, Map<String, ?> body) {
        return api.expect(200, "POST", "/v2/conversations/search", body);
    }

    static JsonNode text(Api api, String query) {
        return search(api, Map.of("filters", Map.of("query", query)));
    }

    /** Polls (the index follows the chat a moment later) until the answer satisfies {@code done}, or fails. */
    static JsonNode until(Duration within, java.util.function.Supplier<JsonNode> ask, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = ask.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) throw new AssertionError("Not so within " + within + ": " + last);
            Thread.onSpinWait();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = ask.get();
        }
        return last;
    }

    @Test
    void thePagesAStoredVisitorOpensWhileTheChatIsOpenAreFoundAndNotThoseAfterIt() {
        Shop s = shop("pages-seen");
        Api o = s.owner();
        ChatVisitor v = s.browser();
        v.socket.send(Map.of("type", "page", "url", "https://shop.test/start/teapots", "title", "Teapots"));
        v.say("Do you have a blue teapot?");
        long id = v.conversationId();
        long visitorId = o.expect(200, "GET", "/v2/conversations/" + id, null).path("visitor_id").asLong();
        java.util.function.LongSupplier visitorEvents = () -> app.parley().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM events WHERE type = 'visitor.updated' AND visitor_id = :v").bind("v", visitorId)
                .mapTo(Long.class).one());
        long eventsBefore = visitorEvents.getAsLong();

        // The visitor is stored now; their next pages go to tracking's writer, not through the journal as events.
        v.socket.send(Map.of("type", "page", "url", "https://shop.test/product/blue-teapot-42", "title", "Blue teapot"));
        awaitPage(o, visitorId, "https://shop.test/product/blue-teapot-42");
        assertThat(visitorEvents.getAsLong()).isEqualTo(eventsBefore);
        o.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
        assertThat(ids(found(o, Map.of("filters", Map.of("page_url", "blue-teapot-42")), 1))).containsExactly(id);
        assertThat(ids(found(o, Map.of("filters", Map.of("start_url", "/start/teapots")), 1))).containsExactly(id);

        // After the chat ended the visitor's pages are not the conversation's, even when its document is written again.
        v.socket.send(Map.of("type", "page", "url", "https://shop.test/product/after-the-chat", "title", "Later"));
        awaitPage(o, visitorId, "https://shop.test/product/after-the-chat");
        long tag = o.expect(201, "POST", "/v2/tags", Map.of("name", "teapots")).path("id").asLong();
        o.expect(200, "PUT", "/v2/conversations/" + id + "/tags", Map.of("tag_ids", List.of(tag)));
        found(o, Map.of("filters", Map.of("tags", List.of(tag))), 1);
        assertThat(search(o, Map.of("filters", Map.of("page_url", "after-the-chat"))).path("total").asInt()).isZero();
    }

    /** The card lists the page once tracking's writer stored it. */
    private static void awaitPage(Api o, long visitorId, String url) {
        until(Duration.ofSeconds(10), () -> o.expect(200, "GET", "/v2/visitors/" + visitorId, null),
                card -> url.equals(card.path("pages").path(0).path("url").asText()));
    }

    static JsonNode found(Api api, Map<String, ?> body, int total) {
        return until(Duration.ofSeconds(10), () -> search(api, body), r -> r.path("total").asInt() == total);
    }

    static List<Long> ids(JsonNode result) {
        List<Long> out = new ArrayList<>();
        result.path("items").forEach(i -> out.add(i.path("id").asLong()));
        return out;
    }

    @Test
    void aMessageIsFindableWithinTwoSecondsOfItsAck() {
        Shop s = shop("swift");
        ChatVisitor v = s.visitor();
        v.say("Where is my parcel with the quokka figurine?");
        // The clock starts at the ack: the message is committed, and the index follows on its own thread.
        JsonNode r = until(Duration.ofSeconds(2), () -> text(s.owner(), "quokka"), x -> x.path("total").asInt() == 1);
        assertThat(ids(r)).containsExactly(v.conversationId());
    }

    @Test
    void fullTextStemsFoldsAccentsAndReadsPhrasesAndPrefixes() {
        Shop s = shop("words");
        ChatVisitor en = s.visitor();
        en.say("My deliveries were delayed twice");
        en.say("The order number is on the invoice");
        ChatVisitor de = s.visitor();
        de.socket.send(Map.of("type", "identify", "language", "de"));
        de.say("Die Lieferungen kamen nicht an, bitte um Rückruf im Café");
        ChatVisitor other = s.visitor();
        other.say("What number should I call about my order?");
        Api o = s.owner();
        // The index follows the chat in commit order: once the last message said is found, all three are indexed.
        found(o, Map.of("filters", Map.of("query", "call")), 1);
        assertThat(ids(text(o, "delivery"))).containsExactly(en.conversationId());
        assertThat(ids(text(o, "Lieferung"))).containsExactly(de.conversationId());
        assertThat(ids(text(o, "cafe ruckruf"))).as("accents folded").containsExactly(de.conversationId());
        assertThat(ids(text(o, "\"order number\""))).as("a phrase").containsExactly(en.conversationId());
        assertThat(ids(text(o, "order number"))).as("all words").containsExactlyInAnyOrder(en.conversationId(), other.conversationId());
        assertThat(ids(text(o, "delayed invoice"))).as("words of two messages").containsExactly(en.conversationId());
        assertThat(ids(text(o, "deliv*"))).as("a prefix").containsExactly(en.conversationId());
        assertThat(ids(text(o, "order -invoice"))).as("without a word").containsExactly(other.conversationId());
        JsonNode hit = text(o, "delayed").path("items").get(0);
        assertThat(hit.path("highlight").toString()).contains("{\"text\":\"delayed\",\"hit\":true}");
    }

    @Test
    void notesContactFieldsAndVariablesAreSearchedButCardNumbersNeverStored() {
        Shop s = shop("fields");
        ChatVisitor v = s.visitor();
        v.say("Hello, my card is 4242 4242 4242 4242 and it failed");
        long id = v.conversationId();
        v.socket.send(Map.of("type", "identify", "name", "Zdeňka Nováková", "email", "zdenka@example.cz",
                "phone", "+420 777 123 456", "variables", Map.of("plan", "Platinum")));
        s.owner().expect(201, "POST", "/v2/conversations/" + id + "/messages", Map.of("type", "note", "text", "Refund approved by finance"));
        Api o = s.owner();
        found(o, Map.of("filters", Map.of("query", "finance")), 1);
        found(o, Map.of("filters", Map.of("query", "novakova")), 1);
        assertThat(ids(text(o, "zdenka@example.cz"))).containsExactly(id);
        assertThat(ids(text(o, "+420777123456"))).as("phone digits").containsExactly(id);
        assertThat(ids(text(o, "777 123 456"))).as("phone as written").containsExactly(id);
        assertThat(ids(text(o, "platinum"))).as("variables").containsExactly(id);
        assertThat(ids(text(o, "failed"))).containsExactly(id);
        assertThat(text(o, "4242424242424242").path("total").asInt()).as("card number").isZero();
        assertThat(text(o, "\"4242 4242 4242 4242\"").path("total").asInt()).isZero();
    }

    @Test
    void filtersCombineWithAndAndPageByKeyset() {
        Shop s = shop("filters");
        Api o = s.owner();
        // Addresses are kept whole only when the shop turned anonymising off (on by default: a truncated address).
        o.expect(200, "PATCH", "/v2/tracking", Map.of("anonymize_ip", false));
        long vip = o.expect(201, "POST", "/v2/tags", Map.of("name", "vip")).path("id").asLong();
        long bug = o.expect(201, "POST", "/v2/tags", Map.of("name", "bug")).path("id").asLong();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ChatVisitor v = s.visitor();
            v.socket.send(Map.of("type", "page", "url", "https://shop.test/product/" + (i % 2 == 0 ? "boots" : "hats") + "?i=" + i));
            v.say("Question number " + i);
            all.add(v.conversationId());
        }
        long a = all.get(0), b = all.get(1), c = all.get(2);
        o.expect(200, "PUT", "/v2/conversations/" + a + "/tags", Map.of("tag_ids", List.of(vip, bug)));
        o.expect(200, "PUT", "/v2/conversations/" + b + "/tags", Map.of("tag_ids", List.of(vip)));
        o.expect(201, "POST", "/v2/conversations/" + a + "/messages", Map.of("text", "Let me check"));
        o.expect(200, "POST", "/v2/conversations/" + a + "/resolve", null);
        o.expect(200, "POST", "/v2/conversations/" + c + "/resolve", null);
        ChatVisitor va = visitors.get(visitors.size() - 5);
        va.socket.send(Map.of("type", "rate", "value", 5, "client_id", TestSocket.clientId()));
        visitors.get(visitors.size() - 3).socket.send(Map.of("type", "rate", "value", 1, "client_id", TestSocket.clientId()));

        found(o, Map.of("filters", Map.of("rating", List.of("good"))), 1);
        found(o, Map.of("filters", Map.of("rating", List.of("bad"))), 1);
        assertThat(ids(search(o, Map.of("filters", Map.of("rating", List.of("none")))))).containsExactlyInAnyOrder(all.get(1), all.get(3), all.get(4));
        assertThat(ids(search(o, Map.of("filters", Map.of("tags", List.of(vip, bug), "tags_match", "all"))))).containsExactly(a);
        assertThat(ids(search(o, Map.of("filters", Map.of("tags", List.of(vip, bug)))))).containsExactlyInAnyOrder(a, b);
        // The owner wrote in a and resolved c: both count as theirs.
        assertThat(ids(search(o, Map.of("filters", Map.of("agent_id", o.agentId()))))).containsExactlyInAnyOrder(a, c);
        assertThat(ids(search(o, Map.of("filters", Map.of("status", "closed"))))).containsExactlyInAnyOrder(a, c);
        assertThat(ids(search(o, Map.of("filters", Map.of("start_url", "/product/boots"))))).containsExactlyInAnyOrder(a, c, all.get(4));
        assertThat(ids(search(o, Map.of("filters", Map.of("page_url", "HATS"))))).containsExactlyInAnyOrder(b, all.get(3));
        assertThat(ids(search(o, Map.of("filters", Map.of("tags", List.of(vip), "rating", List.of("good"), "page_url", "boots")))))
                .as("AND-combined").containsExactly(a);
        assertThat(ids(search(o, Map.of("filters", Map.of("channel", "chat", "loc_ip", "127.0.0.1"))))).hasSize(5);
        assertThat(ids(search(o, Map.of("filters", Map.of("loc_ip", "127.0"))))).as("prefix").hasSize(5);
        assertThat(ids(search(o, Map.of("filters", Map.of("loc_ip", "127.0.0.0/8"))))).as("CIDR").hasSize(5);
        assertThat(ids(search(o, Map.of("filters", Map.of("loc_ip", "10.0.0.0/8"))))).isEmpty();
        assertThat(ids(search(o, Map.of("filters", Map.of("date_from", "2000-01-01", "date_to", "2000-12-31"))))).isEmpty();
        assertThat(ids(search(o, Map.of("query", List.of(Map.of("field", "tag", "value", vip, "op", "must_not"),
                Map.of("field", "status", "value", "open", "op", "must")))))).containsExactlyInAnyOrder(all.get(3), all.get(4));

        // Keyset paging: two at a time, newest first, every conversation once.
        List<Long> paged = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 4; page++) {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("size", 2));
            if (after != null) body.put("after", after);
            JsonNode r = search(o, body);
            assertThat(r.path("total").asInt()).isEqualTo(5);
            paged.addAll(ids(r));
            if (r.path("after").isNull()) break;
            after = r.path("after").asText();
        }
        assertThat(paged).isEqualTo(all.reversed());
        JsonNode byFinish = search(o, Map.of("sort", List.of(Map.of("finished_at", "asc"))));
        assertThat(ids(byFinish)).containsExactly(a, c);
    }

    @Test
    void aLimitedAgentFindsOnlyWhatTheyMaySee() {
        Shop s = shop("limited");
        Api o = s.owner();
        long sales = o.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales")).path("id").asLong();
        o.expect(201, "POST", "/v2/groups", Map.of("name", "Support", "key", "support"));
        Api ana = inviteAgent(o, "ana@limited.search.test", List.of(sales));
        ChatVisitor inSales = s.visitor();
        inSales.routeToGroup("sales");
        inSales.say("Secret pricing question about walrus");
        ChatVisitor inSupport = s.visitor();
        inSupport.routeToGroup("support");
        inSupport.say("Secret walrus complaint");
        found(o, Map.of("filters", Map.of("query", "walrus")), 2);
        JsonNode seen = text(ana, "walrus");
        assertThat(seen.path("total").asInt()).isEqualTo(1);
        assertThat(ids(seen)).containsExactly(inSales.conversationId());
        assertThat(search(ana, Map.of("size", 200)).path("total").asInt()).isEqualTo(1);
    }

    static Api inviteAgent(Api owner, String email, List<Long> groups) {
        owner.expect(201, "POST", "/v2/agents", Map.of("email", email, "name", "Ana", "password", "agent-password-1",
                "role", "agent", "group_ids", groups));
        return app.login(email, "agent-password-1");
    }

    @Test
    void aSearchRunsAFixedNumberOfStatements() {
        Shop s = shop("statements");
        for (int i = 0; i < 12; i++) s.visitor().say("Counting statements with a marmot " + i);
        found(s.owner(), Map.of("filters", Map.of("query", "marmot")), 12);
        var jdbi = app.parley().database().jdbi();
        var previous = jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).getSqlLogger();
        QueryCountTest.Statements statements = new QueryCountTest.Statements(previous);
        jdbi.setSqlLogger(statements);
        try {
            // The session (2), then the plan setting, the count, the page, the conversations, the excerpts: however many hits.
            assertThat(statements.during(() -> text(s.owner(), "marmot"))).as("text search").hasSize(7);
            assertThat(statements.during(() -> search(s.owner(), Map.of("size", 3, "filters", Map.of("query", "marmot")))))
                    .hasSize(7);
            assertThat(statements.during(() -> search(s.owner(), Map.of("filters", Map.of("status", "open"))))).as("filters only")
                    .hasSize(6);
        } finally {
            jdbi.setSqlLogger(previous);
        }
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        Api o = app.owner();
        for (Object[] c : new Object[][] {
                {Map.of("filters", Map.of("rating", List.of("great"))), "rating"},
                {Map.of("filters", Map.of("loc_ip", "300.1.2.3")), "loc_ip"},
                {Map.of("filters", Map.of("loc_ip", "10.0.0.0/40")), "loc_ip"},
                {Map.of("filters", Map.of("tags", List.of(1), "tags_match", "some")), "tags_match"},
                {Map.of("filters", Map.of("channel", "fax")), "channel"},
                {Map.of("sort", List.of(Map.of("updated_at", "desc"))), "sort"},
                {Map.of("query", List.of(Map.of("field", "colour", "value", "red"))), "query[0].field"},
                {Map.of("query", List.of(Map.of("field", "status", "value", "open", "op", "should"))), "query[0].op"},
                {Map.of("query", List.of(Map.of("field", "agent_id", "value", "x"))), "query[0].value"},
                {Map.of("filters", Map.of("query", "x".repeat(501))), "query"}}) {
            JsonNode r = o.expect(422, "POST", "/v2/conversations/search", c[0]);
            assertThat(r.path("error").path("code").asText()).as(c[0].toString()).isEqualTo("validation_failed");
            assertThat(r.path("error").path("field").asText()).as(c[0].toString()).isEqualTo(c[1]);
            assertThat(r.path("error").path("message").asText()).isNotBlank();
        }
    }

    @Test
    void anAdminRebuildsTheIndexFromScratch() {
        Shop s = shop("rebuild");
        ChatVisitor v = s.visitor();
        v.say("Rebuild me: narwhal");
        found(s.owner(), Map.of("filters", Map.of("query", "narwhal")), 1);
        app.parley().database().jdbi().useHandle(h -> h.createUpdate("DELETE FROM search_conversations WHERE account_id = :a")
                .bind("a", s.created().accountId()).execute());
        assertThat(text(s.owner(), "narwhal").path("total").asInt()).isZero();
        JsonNode started = s.owner().expect(202, "POST", "/v2/search/index/rebuild", null);
        assertThat(started.path("conversations").asInt()).isEqualTo(1);
        found(s.owner(), Map.of("filters", Map.of("query", "narwhal")), 1);
        JsonNode status = s.owner().expect(200, "GET", "/v2/search/index", null);
        assertThat(status.path("indexed").asInt()).isEqualTo(1);
        Api agent = inviteAgent(s.owner(), "eve@rebuild.search.test", List.of());
        assertThat(agent.expect(403, "POST", "/v2/search/index/rebuild", null).path("error").path("code").asText()).isNotBlank();
    }

    @Test
    void savedSearchesBelongToTheirAgent() {
        Shop s = shop("saved");
        Api o = s.owner();
        Api bea = inviteAgent(o, "bea@saved.search.test", List.of());
        JsonNode made = o.expect(201, "POST", "/v2/saved-searches", Map.of("name", "Angry VIPs", "filter", "rating=bad&tags=1"));
        assertThat(o.expect(200, "GET", "/v2/saved-searches", null).path("items").get(0).path("name").asText()).isEqualTo("Angry VIPs");
        assertThat(bea.expect(200, "GET", "/v2/saved-searches", null).path("items")).isEmpty();
        bea.expect(404, "DELETE", "/v2/saved-searches/" + made.path("id").asLong(), null);
        o.expect(204, "DELETE", "/v2/saved-searches/" + made.path("id").asLong(), null);
        assertThat(o.expect(200, "GET", "/v2/saved-searches", null).path("items")).isEmpty();
        assertThat(o.expect(422, "POST", "/v2/saved-searches", Map.of("name", "", "filter", "x")).path("error").path("field").asText())
                .isEqualTo("name");
    }
}
