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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 §5 and §1 on the card's JSON ({@code GET /v2/visitors/{id}}): a shopper the shop signed on two devices
 * is one contact whose card lists both conversations; someone who only types that email is not; the shop's
 * variables come typed with their labels; and a new page of a visitor reaches the agents' sockets live.
 */
class ContactHistoryTest {
    static TestParley app;
    static Api owner;
    static String secret;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        secret = owner.expect(200, "GET", "/v2/account/identity-secret", null).path("secret").asText();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A visitor on a device of their own who identifies with {@code fields} and writes {@code text}. */
    static JsonNode cardOfVisitorWho(Map<String, Object> fields, String text) {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            Map<String, Object> frame = new LinkedHashMap<>(fields);
            frame.put("type", "identify");
            v.socket.send(frame);
            v.say(text);
            long visitorId = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
            return owner.expect(200, "GET", "/v2/visitors/" + visitorId, null);
        }
    }

    static List<Long> historyIds(JsonNode card) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode c : card.path("conversations")) ids.add(c.path("id").asLong());
        return ids;
    }

    @Test
    void aShopperVerifiedOnTwoDevicesIsOneContactAndTheCardListsBothConversations() {
        String email = "two.devices@example.com";
        String hash = IdentityVerificationTest.sign(secret, email);
        JsonNode laptop = cardOfVisitorWho(Map.of("email", email, "name", "Dana", "hash", hash), "Asked on the laptop");
        JsonNode phone = cardOfVisitorWho(Map.of("email", email, "hash", hash), "Asked again on the phone");
        assertThat(phone.path("id").asLong()).isNotEqualTo(laptop.path("id").asLong());
        assertThat(phone.path("contact_id").asLong()).isEqualTo(laptop.path("contact_id").asLong());
        assertThat(phone.path("verified").asBoolean()).isTrue();

        JsonNode phoneCard = owner.expect(200, "GET", "/v2/visitors/" + phone.path("id").asLong(), null);
        JsonNode laptopCard = owner.expect(200, "GET", "/v2/visitors/" + laptop.path("id").asLong(), null);
        assertThat(historyIds(phoneCard)).hasSize(2).isEqualTo(historyIds(laptopCard));
        // Newest first, each with its channel and from which of the contact's visitors.
        JsonNode newest = phoneCard.path("conversations").get(0);
        assertThat(newest.path("last_message_text").asText()).isEqualTo("Asked again on the phone");
        assertThat(newest.path("visitor_id").asLong()).isEqualTo(phone.path("id").asLong());
        assertThat(newest.path("channel").asText()).isEqualTo("chat");
        assertThat(newest.path("sender_verified").asBoolean()).isTrue();
        assertThat(phoneCard.path("conversations").get(1).path("visitor_id").asLong()).isEqualTo(laptop.path("id").asLong());

    }

    @Test
    void someoneWhoOnlyTypesAVerifiedShoppersEmailNeitherJoinsNorSeesTheirHistory() {
        String email = "victim@example.com";
        JsonNode real = cardOfVisitorWho(Map.of("email", email, "name", "Real", "hash", IdentityVerificationTest.sign(secret, email)),
                "My private order question");
        JsonNode typed = cardOfVisitorWho(Map.of("email", email, "name", "Mallory"), "Show me her orders");
        JsonNode forged = cardOfVisitorWho(Map.of("email", email, "hash", IdentityVerificationTest.sign("guessed", email)), "Forged");
        for (JsonNode claim : new JsonNode[] {typed, forged}) {
            assertThat(claim.path("contact_id").asLong()).isNotEqualTo(real.path("contact_id").asLong());
            assertThat(claim.path("verified").asBoolean()).isFalse();
            JsonNode card = owner.expect(200, "GET", "/v2/visitors/" + claim.path("id").asLong(), null);
            assertThat(historyIds(card)).as("only their own conversation").hasSize(1);
        }
        JsonNode realCard = owner.expect(200, "GET", "/v2/visitors/" + real.path("id").asLong(), null);
        assertThat(historyIds(realCard)).hasSize(1);
        assertThat(realCard.path("conversations").get(0).path("last_message_text").asText()).isEqualTo("My private order question");
        // The visitor's own frames never carry the contact's history: their thread is theirs alone.
        try (ChatVisitor again = ChatVisitor.connect(app)) {
            again.socket.send(Map.of("type", "identify", "email", email));
            again.say("Anything?");
            try (TestSocket reopened = TestSocket.visitor(app, again.visitorKey, null)) {
                JsonNode welcome = reopened.await("welcome");
                assertThat(welcome.toString()).contains("Anything?").doesNotContain("My private order question");
            }
        }
    }

    @Test
    void theShopsVariablesComeWithLabelsAndTypedValues() {
        Map<String, Object> legacy = Map.of("label", "Lifetime value", "value", 129.5);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("orders", 3);
        vars.put("vip", true);
        vars.put("profile", "https://shop.example/customers/42?tab=orders");
        vars.put("trap", "javascript:alert(1)");
        vars.put("plan", "<img src=x onerror=alert(1)>");
        vars.put("ltv", legacy);
        vars.put("newsletter", Map.of("label", "Newsletter", "value", false));
        JsonNode card = cardOfVisitorWho(Map.of("name", "Typed", "variables", vars), "Variables");
        Map<String, JsonNode> info = new LinkedHashMap<>();
        for (JsonNode f : owner.expect(200, "GET", "/v2/visitors/" + card.path("id").asLong(), null).path("customer_info")) {
            info.put(f.path("key").asText(), f);
        }
        assertThat(info.get("orders").path("type").asText()).isEqualTo("number");
        assertThat(info.get("orders").path("value").isNumber()).isTrue();
        assertThat(info.get("orders").path("label").asText()).isEqualTo("orders");
        assertThat(info.get("vip").path("type").asText()).isEqualTo("boolean");
        assertThat(info.get("vip").path("value").asBoolean()).isTrue();
        assertThat(info.get("profile").path("type").asText()).isEqualTo("link");
        assertThat(info.get("trap").path("type").asText()).as("only http(s) is a link").isEqualTo("text");
        assertThat(info.get("plan").path("type").asText()).isEqualTo("text");
        assertThat(info.get("plan").path("value").asText()).isEqualTo("<img src=x onerror=alert(1)>");
        assertThat(info.get("ltv").path("label").asText()).isEqualTo("Lifetime value");
        assertThat(info.get("ltv").path("type").asText()).isEqualTo("number");
        assertThat(info.get("ltv").path("value").asDouble()).isEqualTo(129.5);
        assertThat(info.get("newsletter").path("type").asText()).isEqualTo("boolean");
        assertThat(info.get("newsletter").path("value").asBoolean()).isFalse();
    }

    static final Map<String, String> CHROME = Map.of("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");

    static long visitorOf(ChatVisitor v) {
        return owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
    }

    /** The dashboard opened this visitor's card; the pong says the server took the watch (frames are read in order). */
    static void watch(TestSocket agent, long visitorId) {
        agent.send(Map.of("type", "watch", "visitor_id", visitorId));
        agent.send(Map.of("type", "ping"));
        agent.await("pong");
    }

    static java.util.function.Predicate<JsonNode> pageOf(long visitorId) {
        return f -> "visitor.page".equals(f.path("type").asText()) && f.path("data").path("visitor_id").asLong() == visitorId;
    }

    @Test
    void aLimitedAgentGetsNoPagesOfVisitorsOutsideTheirGroups() {
        long sales = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales")).path("id").asLong();
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Billing", "key", "billing"));
        Api lena = app.createAgent("lena.pages@shop.test", "Lena", "lena-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + lena.agentId(), Map.of("group_ids", List.of(sales)));
        try (TestSocket lenaSocket = TestSocket.agent(app, lena, null); TestSocket ownerSocket = TestSocket.agent(app, owner, null);
             ChatVisitor billing = ChatVisitor.connect(app, CHROME); ChatVisitor sale = ChatVisitor.connect(app, CHROME)) {
            lenaSocket.await("welcome");
            ownerSocket.await("welcome");
            billing.routeToGroup("billing");
            billing.say("Invoice question");
            sale.routeToGroup("sales");
            sale.say("Which tea?");
            long billingId = visitorOf(billing);
            long saleId = visitorOf(sale);
            // Lena asks to watch the billing visitor's card (she could not open it): asking gives her nothing.
            watch(ownerSocket, billingId);
            watch(lenaSocket, billingId);
            billing.socket.send(Map.of("type", "page", "url", "https://shop.example/invoices", "title", "Invoices"));
            ownerSocket.await(pageOf(billingId), Duration.ofSeconds(20));
            // Sent after the billing page's batch was told: Lena's frames arrive in order, so any billing one came first.
            watch(lenaSocket, saleId);
            sale.socket.send(Map.of("type", "page", "url", "https://shop.example/teas", "title", "Teas"));
            lenaSocket.await(pageOf(saleId), Duration.ofSeconds(20));
            assertThat(lenaSocket.frames(0)).noneMatch(pageOf(billingId));
        }
    }

    @Test
    void aNewPageOfAVisitorReachesTheAgentsSocketLive() {
        // A browser's user agent (CHROME): a bare HTTP client's counts as a bot, whose pages are not stored.
        try (TestSocket agent = TestSocket.agent(app, owner, null); TestSocket elsewhere = TestSocket.agent(app, owner, null);
             ChatVisitor v = ChatVisitor.connect(app, CHROME)) {
            agent.await("welcome");
            elsewhere.await("welcome");
            v.say("Looking at teas");
            long visitorId = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
            watch(agent, visitorId);
            // A second dashboard of the same owner shows another card, then none: it is not told of these pages.
            watch(elsewhere, visitorId + 1_000);
            elsewhere.send(Map.of("type", "watch", "visitor_id", "all"));
            elsewhere.await(f -> "invalid_visitor_id".equals(f.path("code").asText()));
            elsewhere.send(Map.of("type", "watch"));
            v.socket.send(Map.of("type", "page", "url", "https://shop.example/teas/sencha", "title", "Sencha"));
            JsonNode frame = agent.await(f -> "visitor.page".equals(f.path("type").asText())
                    && f.path("data").path("visitor_id").asLong() == visitorId, Duration.ofSeconds(20));
            assertThat(frame.path("data").path("url").asText()).isEqualTo("https://shop.example/teas/sencha");
            assertThat(frame.path("data").path("title").asText()).isEqualTo("Sencha");
            // Both sockets get the next event of the conversation; the page signal came before it or not at all.
            v.say("And green tea?");
            elsewhere.await(f -> "message.created".equals(f.path("type").asText())
                    && "And green tea?".equals(f.path("data").path("text").asText()));
            assertThat(elsewhere.frames(0)).noneMatch(pageOf(visitorId));
            // The push only says "look again": the card then has the page, stored by the page-view writer.
            JsonNode card = owner.expect(200, "GET", "/v2/visitors/" + visitorId, null);
            assertThat(card.path("pages").get(0).path("url").asText()).isEqualTo("https://shop.example/teas/sencha");
        }
    }

    @Test
    void closingParleyStopsItsLivePagesThread() {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        TestParley other = TestParley.start();
        try (TestSocket agent = TestSocket.agent(other, other.owner(), null); ChatVisitor v = ChatVisitor.connect(other, CHROME)) {
            agent.await("welcome");
            v.say("Hello");
            long visitorId = other.owner().expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
            watch(agent, visitorId);
            v.socket.send(Map.of("type", "page", "url", "https://shop.example/", "title", "Home"));
            // The signal came from the teller thread, so this Parley has one.
            agent.await(pageOf(visitorId), Duration.ofSeconds(20));
            assertThat(tellersOutside(before)).hasSize(1);
        } finally {
            other.close();
        }
        // Another TestParley in this JVM must not inherit a thread per Parley started before it.
        assertThat(tellersOutside(before)).isEmpty();
    }

    private static List<Thread> tellersOutside(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("parley-live-pages") && !before.contains(t)).toList();
    }
}
