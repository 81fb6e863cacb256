package app.parley.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 over real sockets, HTTP and PostgreSQL: the chat box's page views become the card's browsing history
 * (also for a visitor who never writes), with location, device, counts; the visitors list and its filters; bots
 * left out; blocking by card and by IP rule; IP anonymising. The test connects "through" a trusted proxy
 * (127.0.0.1 is trusted here) to give each visitor a known public address.
 */
class TrackingApiTest {
    static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static TestParley app;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        // Parley's own gather (other tests use 50 ms), for the one-transaction test below.
        app = TestParley.start(Map.of("PARLEY_TRUSTED_PROXIES", "127.0.0.1", "PARLEY_PAGE_VIEW_GATHER_MS", "500"));
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A visitor browsing from {@code ip} with {@code userAgent}: each page a new socket, as a real page load is. */
    static final class Browser implements AutoCloseable {
        final String ip;
        final String userAgent;
        String key;
        TestSocket socket;

        Browser(String ip, String userAgent) {
            this.ip = ip;
            this.userAgent = userAgent;
        }

        Browser open(String url, String title, String referrer) {
            close();
            socket = TestSocket.visitorWith(app, key, Map.of("User-Agent", userAgent, "X-Forwarded-For", ip));
            key = socket.await("welcome").path("visitor_id").asText();
            Map<String, Object> frame = new java.util.HashMap<>(Map.of("type", "page", "url", url, "title", title));
            if (referrer != null) frame.put("referrer", referrer);
            socket.send(frame);
            return this;
        }

        @Override
        public void close() {
            if (socket != null) socket.close();
            socket = null;
        }
    }

    static JsonNode awaitRow(Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            for (JsonNode row : owner.expect(200, "GET", "/v2/visitors?limit=200", null).path("items")) {
                if (match.test(row)) return row;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("No visitors row matched in 90 s");
            sleepBriefly();
        }
    }

    static JsonNode awaitCard(long id, Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode card = owner.expect(200, "GET", "/v2/visitors/" + id, null);
            if (match.test(card)) return card;
            if (System.nanoTime() > deadline) throw new AssertionError("The card did not become as expected: " + card);
            sleepBriefly();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static long visitorRows() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM visitors").mapTo(Long.class).one());
    }

    /**
     * A visitor's next pages within a minute update their activity row in place (V23): no index holds a value those
     * updates change, so PostgreSQL writes no index entry for them (a HOT update). Counted by PostgreSQL itself.
     */
    @Test
    void pagesWithinAMinuteUpdateTheVisitorsActivityRowInPlace() {
        String shop = "https://shop.test/" + TestSocket.clientId();
        long hotBefore = activityUpdates()[1];
        try (Browser b = new Browser("81.2.69.142", CHROME_WINDOWS)) {
            for (int i = 1; i <= 4; i++) {
                int pages = i;
                b.open(shop + "/p" + i, "Page " + i, null);
                // One page at a time: each stored by its own batch, so each is its own update of the row.
                awaitRow(r -> r.path("current_url").asText().equals(shop + "/p" + pages) && r.path("pages").asInt() == pages);
            }
        }
        // Three updates, at most one of them into a new minute. PostgreSQL counts them a moment after they commit.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long[] now = activityUpdates();
        while (now[1] - hotBefore < 2 && System.nanoTime() < deadline) {
            sleepBriefly();
            now = activityUpdates();
        }
        assertThat(now[1] - hotBefore).as("HOT updates of visitor_activity (all updates now: %d)", now[0]).isGreaterThanOrEqualTo(2);
    }

    /**
     * Views that arrive within the gather (half a second) are stored in one transaction, together with their
     * visitor's activity row, written once for all of them: a busy shop's views cost the database one commit per
     * batch, not one per handful (bench/README.md, --page-rate).
     */
    @Test
    void viewsArrivingTogetherAreStoredInOneTransactionWithTheirVisitorsActivity() {
        String shop = "https://shop.test/" + TestSocket.clientId();
        try (Browser b = new Browser("81.2.69.142", CHROME_WINDOWS)) {
            b.open(shop + "/p1", "Page 1", null);
            b.socket.send(Map.of("type", "page", "url", shop + "/p2", "title", "Page 2"));
            b.socket.send(Map.of("type", "page", "url", shop + "/p3", "title", "Page 3"));
            JsonNode row = awaitRow(r -> r.path("current_url").asText().startsWith(shop + "/") && r.path("pages").asInt() == 3);
            assertThat(row.path("current_url").asText()).isEqualTo(shop + "/p3");
            long id = row.path("id").asLong();
            List<String> transactions = app.parley().database().jdbi().withHandle(h -> h.createQuery("""
                            SELECT xmin::text FROM page_views WHERE visitor_id = :v
                            UNION SELECT xmin::text FROM visitor_activity WHERE visitor_id = :v""")
                    .bind("v", id).mapTo(String.class).list());
            assertThat(transactions).as("transactions that wrote the three views and the activity row").hasSize(1);
        }
    }

    /** visitor_activity's updates and HOT updates so far, as PostgreSQL's statistics have them. */
    private static long[] activityUpdates() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'visitor_activity'""")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
    }

    @Test
    void aVisitorWhoNeverChatsHasTheirPagesNewestFirstWithEntryReferrerLocationAndDevice() {
        long storedBefore = visitorRows();
        String shop = "https://shop.test/" + TestSocket.clientId();
        try (Browser b = new Browser("81.2.69.142", CHROME_WINDOWS)) {
            b.open(shop + "/", "Home", "https://www.google.com/");
            b.open(shop + "/shoes", "Shoes", shop + "/");
            b.open(shop + "/search?q=4242 4242 4242 4242", "Search <img src=x onerror=alert(1)>", shop + "/shoes");
            JsonNode row = awaitRow(r -> r.path("current_url").asText().startsWith(shop + "/search") && r.path("pages").asInt() == 3);
            assertThat(row.path("online").asBoolean()).isTrue();
            assertThat(row.path("location").path("city").asText()).isEqualTo("London");
            assertThat(row.path("location").path("code").asText()).isEqualTo("GB");
            long id = row.path("id").asLong();

            JsonNode card = owner.expect(200, "GET", "/v2/visitors/" + id, null);
            assertThat(card.path("pages")).extracting(p -> p.path("url").asText())
                    .containsExactly(shop + "/search?q=**** **** **** 4242", shop + "/shoes", shop + "/");
            assertThat(card.path("pages").get(0).path("title").asText()).isEqualTo("Search <img src=x onerror=alert(1)>");
            assertThat(card.path("pages").get(2).path("entry").asBoolean()).isTrue();
            assertThat(card.path("pages").get(2).path("referrer").asText()).isEqualTo("https://www.google.com/");
            assertThat(card.path("pages").get(1).path("time_spent_seconds").isIntegralNumber()).isTrue();
            assertThat(card.path("entry_referrer").asText()).isEqualTo("https://www.google.com/");
            assertThat(card.path("location").path("country").asText()).isEqualTo("United Kingdom");
            assertThat(card.path("location").path("region").asText()).isEqualTo("England");
            assertThat(card.path("location").path("attribution").path("url").asText()).isEqualTo("https://db-ip.com");
            // Anonymising is on for a new account: the location was looked up, only a truncated address is kept.
            assertThat(card.path("location").path("ip").asText()).isEqualTo("81.2.69.0");
            assertThat(card.path("device").path("browser").asText()).isEqualTo("Chrome");
            assertThat(card.path("device").path("os").asText()).isEqualTo("Windows NT");
            assertThat(card.path("device").path("class").asText()).isEqualTo("desktop");
            assertThat(card.path("counts").path("pages").asInt()).isEqualTo(3);
            assertThat(card.path("counts").path("visits").asInt()).isEqualTo(1);
            assertThat(card.path("counts").path("chats").asInt()).isEqualTo(0);
            assertThat(card.path("online").asBoolean()).isTrue();
            String stored = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT string_agg(ip, ',') FROM visitor_activity WHERE visitor_id = :v").bind("v", id).mapTo(String.class).one());
            assertThat(stored).isEqualTo("81.2.69.0");
        }
        // Browsing alone stores no visitor row (contact.Arrivals: only writing or being identified does).
        assertThat(visitorRows()).isEqualTo(storedBefore);
    }

    @Test
    void theCardShowsTheVisitorLeftOnceTheirLastChatBoxCloses() {
        String url = "https://shop.test/leaving/" + TestSocket.clientId();
        long id;
        try (Browser b = new Browser("77.75.77.222", CHROME_WINDOWS)) {
            b.open(url, "Bye", null);
            id = awaitRow(r -> url.equals(r.path("current_url").asText())).path("id").asLong();
        }
        JsonNode card = awaitCard(id, c -> !c.path("online").asBoolean());
        assertThat(card.path("left_at").isNull()).isFalse();
        assertThat(card.path("location").path("city").asText()).isEqualTo("Prague");
    }

    @Test
    void botsAreNotCountedAsVisitors() {
        String botUrl = "https://shop.test/crawled/" + TestSocket.clientId();
        String humanUrl = "https://shop.test/read/" + TestSocket.clientId();
        try (Browser bot = new Browser("66.249.66.1", GOOGLEBOT); Browser human = new Browser("8.8.8.8", CHROME_WINDOWS)) {
            bot.open(botUrl, "Crawled", null);
            // The writer stores in arrival order: once the human's later view is listed, the bot's was handled.
            human.open(humanUrl, "Read", null);
            awaitRow(r -> humanUrl.equals(r.path("current_url").asText()));
        }
        for (JsonNode row : owner.expect(200, "GET", "/v2/visitors?limit=200", null).path("items")) {
            assertThat(row.path("current_url").asText()).isNotEqualTo(botUrl);
        }
        long botViews = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM page_views WHERE url = :u").bind("u", botUrl).mapTo(Long.class).one());
        assertThat(botViews).isZero();
    }

    @Test
    void aPageAfterThirtyMinutesAwayStartsASecondVisitWithItsOwnEntryPage() {
        String url = "https://shop.test/again/" + TestSocket.clientId();
        try (Browser b = new Browser("1.1.1.1", CHROME_WINDOWS)) {
            b.open(url + "/1", "One", "https://ads.test/");
            long id = awaitRow(r -> (url + "/1").equals(r.path("current_url").asText())).path("id").asLong();
            b.close();
            awaitCard(id, c -> !c.path("online").asBoolean());
            // As if the first visit had ended 40 minutes ago.
            app.parley().database().jdbi().useHandle(h -> {
                h.createUpdate("UPDATE visitor_activity SET last_seen_at = last_seen_at - interval '40 minutes', "
                        + "visit_started_at = visit_started_at - interval '40 minutes' WHERE visitor_id = :v").bind("v", id).execute();
                h.createUpdate("UPDATE page_views SET viewed_at = viewed_at - interval '40 minutes' WHERE visitor_id = :v")
                        .bind("v", id).execute();
            });
            b.open(url + "/2", "Two", "https://mail.test/");
            JsonNode card = awaitCard(id, c -> c.path("counts").path("pages").asInt() == 2);
            assertThat(card.path("counts").path("visits").asInt()).isEqualTo(2);
            assertThat(card.path("entry_url").asText()).isEqualTo(url + "/2");
            assertThat(card.path("entry_referrer").asText()).isEqualTo("https://mail.test/");
            assertThat(card.path("pages")).extracting(p -> p.path("entry").asBoolean()).containsExactly(true, true);
        }
    }

    @Test
    void theListFiltersAndPagesWithACursor() {
        String tag = TestSocket.clientId(); // letters: a UUID's digits can pass for a card number and be masked
        List<Browser> browsers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) browsers.add(new Browser("8.8.4." + (i + 1), CHROME_WINDOWS).open("https://shop.test/list/" + tag + "/" + i, "L", null));
            awaitRow(r -> r.path("current_url").asText().equals("https://shop.test/list/" + tag + "/2"));
            awaitRow(r -> r.path("current_url").asText().equals("https://shop.test/list/" + tag + "/0"));
            List<Long> seen = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                JsonNode page = owner.expect(200, "GET", "/v2/visitors?filter=active&limit=2" + (after == null ? "" : "&after=" + after), null);
                for (JsonNode row : page.path("items")) seen.add(row.path("id").asLong());
                after = page.path("after").isNull() ? null : page.path("after").asText();
                pages++;
            } while (after != null && pages < 100);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen.size()).isEqualTo(owner.expect(200, "GET", "/v2/visitors?filter=active&limit=200", null).path("items").size());
            for (String filter : List.of("customers", "in_chat", "blocked")) {
                assertThat(owner.expect(200, "GET", "/v2/visitors?limit=200&filter=" + filter, null).path("items"))
                        .noneMatch(r -> r.path("current_url").asText().contains(tag));
            }
            JsonNode bad = owner.expect(422, "GET", "/v2/visitors?filter=everyone", null);
            assertThat(bad.path("error").path("code").asText()).isEqualTo("validation_failed");
            owner.expect(422, "GET", "/v2/visitors?after=nonsense", null);
        } finally {
            browsers.forEach(Browser::close);
        }
    }

    @Test
    void aVisitorWhoWritesIsListedInChatAndCountsTheChat() {
        String url = "https://shop.test/chat/" + TestSocket.clientId();
        try (Browser b = new Browser("81.2.69.142", CHROME_WINDOWS)) {
            b.open(url, "Chat", null);
            b.socket.send(Map.of("type", "message", "client_id", "c1", "text", "Where is my order?"));
            b.socket.await("ack");
            JsonNode row = awaitRow(r -> url.equals(r.path("current_url").asText()));
            assertThat(owner.expect(200, "GET", "/v2/visitors?filter=in_chat", null).path("items"))
                    .extracting(r -> r.path("id").asLong()).contains(row.path("id").asLong());
            JsonNode card = owner.expect(200, "GET", "/v2/visitors/" + row.path("id").asLong(), null);
            assertThat(card.path("counts").path("chats").asInt()).isEqualTo(1);
            // The stored visitor's own fields are still on the card (contact's), beside tracking's.
            assertThat(card.has("note")).isTrue();
        }
    }

    @Test
    void aVisitorBlockedFromTheCardLosesTheChatBoxUntilUnblocked() {
        String url = "https://shop.test/blocked/" + TestSocket.clientId();
        try (Browser b = new Browser("8.8.8.8", CHROME_WINDOWS)) {
            b.open(url, "Blocked", null);
            long id = awaitRow(r -> url.equals(r.path("current_url").asText())).path("id").asLong();
            JsonNode card = owner.expect(200, "POST", "/v2/visitors/" + id + "/block", null);
            assertThat(card.path("blocked").asBoolean()).isTrue();
            assertThat(b.socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4403);
            try (TestSocket again = TestSocket.visitorWith(app, b.key, Map.of("User-Agent", CHROME_WINDOWS))) {
                assertThat(again.closeCode(Duration.ofSeconds(10))).isEqualTo(4403);
            }
            assertThat(owner.expect(200, "GET", "/v2/visitors?filter=blocked", null).path("items"))
                    .extracting(r -> r.path("id").asLong()).contains(id);
            owner.expect(200, "DELETE", "/v2/visitors/" + id + "/block", null);
            try (TestSocket back = TestSocket.visitorWith(app, b.key, Map.of("User-Agent", CHROME_WINDOWS))) {
                assertThat(back.await("welcome").path("visitor_id").asText()).isEqualTo(b.key);
            }
        }
    }

    @Test
    void anIpRuleRefusesMessagesAndNewChatBoxesFromItsAddressesUntilRemoved() {
        try (Browser b = new Browser("192.0.2.44", CHROME_WINDOWS)) {
            b.open("https://shop.test/rule/" + TestSocket.clientId(), "Rule", null);
            JsonNode rule = owner.expect(201, "POST", "/v2/tracking/ip-blocks", Map.of("pattern", "192.0.2.*"));
            b.socket.send(Map.of("type", "message", "client_id", "c1", "text", "Hello?"));
            JsonNode error = b.socket.await("error");
            assertThat(error.path("code").asText()).isEqualTo(Blocking.CODE);
            try (TestSocket fresh = TestSocket.visitorWith(app, null, Map.of("X-Forwarded-For", "192.0.2.99"))) {
                assertThat(fresh.closeCode(Duration.ofSeconds(10))).isEqualTo(4403);
            }
            assertThat(owner.expect(200, "GET", "/v2/tracking", null).path("blocked_ips"))
                    .extracting(r -> r.path("pattern").asText()).contains("192.0.2.*");
            owner.expect(204, "DELETE", "/v2/tracking/ip-blocks/" + rule.path("id").asLong(), null);
            try (TestSocket fresh = TestSocket.visitorWith(app, null, Map.of("X-Forwarded-For", "192.0.2.99"))) {
                fresh.await("welcome");
            }
        }
        JsonNode bad = owner.expect(422, "POST", "/v2/tracking/ip-blocks", Map.of("pattern", "192.168.*.1"));
        assertThat(bad.path("error").path("code").asText()).isEqualTo("invalid_ip_pattern");
    }

    @Test
    void anAccountThatKeepsFullAddressesStoresThemAndOnlyAdminsChangeIt() {
        TestParley.Api agent = app.createAgent("agent-" + UUID.randomUUID() + "@shop.test", "Agnes", "agent-password-1", "agent");
        agent.expect(403, "PATCH", "/v2/tracking", Map.of("anonymize_ip", false));
        agent.expect(403, "POST", "/v2/tracking/ip-blocks", Map.of("pattern", "10.0.0.1"));
        agent.expect(200, "GET", "/v2/visitors", null);
        owner.expect(200, "PATCH", "/v2/tracking", Map.of("anonymize_ip", false));
        try {
            String url = "https://shop.test/full/" + TestSocket.clientId();
            try (Browser b = new Browser("81.2.69.160", CHROME_WINDOWS)) {
                b.open(url, "Full", null);
                JsonNode row = awaitRow(r -> url.equals(r.path("current_url").asText()));
                assertThat(owner.expect(200, "GET", "/v2/visitors/" + row.path("id").asLong(), null)
                        .path("location").path("ip").asText()).isEqualTo("81.2.69.160");
            }
        } finally {
            owner.expect(200, "PATCH", "/v2/tracking", Map.of("anonymize_ip", true));
        }
    }

    @Test
    void nobodySignedOutReadsTheVisitorsList() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(app.baseUrl() + "/v2/visitors")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void anAgentStartsAConversationWithAVisitorWhoOnlyBrowsedAndItReachesTheirChatBox() {
        String url = "https://shop.test/outreach/" + TestSocket.clientId();
        long id;
        try (Browser b = new Browser("81.2.69.142", CHROME_WINDOWS)) {
            b.open(url, "Teas", null);
            id = awaitRow(r -> url.equals(r.path("current_url").asText())).path("id").asLong();
            JsonNode conversation = owner.expect(201, "POST", "/v2/visitors/" + id + "/conversations",
                    Map.of("text", "Hello! Can I help you choose a tea?"));
            assertThat(conversation.path("visitor_id").asLong()).isEqualTo(id);
            assertThat(conversation.path("assigned_ids")).extracting(JsonNode::asLong).containsExactly(owner.agentId());
            b.socket.await(f -> "message.created".equals(f.path("type").asText())
                    && "Hello! Can I help you choose a tea?".equals(f.path("data").path("text").asText()));
            // The visitor's answer goes to the conversation the agent started.
            b.socket.send(Map.of("type", "message", "client_id", "r1", "text", "Yes, something green please"));
            assertThat(b.socket.await("ack").path("message").path("conversation_id").asLong()).isEqualTo(conversation.path("id").asLong());
            JsonNode again = owner.expect(409, "POST", "/v2/visitors/" + id + "/conversations", Map.of("text", "Hi again"));
            assertThat(again.path("error").path("code").asText()).isEqualTo("visitor_in_chat");
        }
        owner.expect(422, "POST", "/v2/visitors/" + id + "/conversations", Map.of("text", " "));
        String gone = "https://shop.test/gone/" + TestSocket.clientId();
        long goneId;
        try (Browser b = new Browser("8.8.8.8", CHROME_WINDOWS)) {
            b.open(gone, "Gone", null);
            goneId = awaitRow(r -> gone.equals(r.path("current_url").asText())).path("id").asLong();
        }
        awaitCard(goneId, c -> !c.path("online").asBoolean());
        JsonNode notHere = owner.expect(409, "POST", "/v2/visitors/" + goneId + "/conversations", Map.of("text", "Hello?"));
        assertThat(notHere.path("error").path("code").asText()).isEqualTo("visitor_not_on_site");
    }
}
