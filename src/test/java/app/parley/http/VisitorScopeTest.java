package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Visitors and contacts are scoped exactly as their conversations (docs/PRODUCT.md §1.2, §8): a limited agent in group
 * A neither reads nor edits a visitor or contact whose conversations are all in group B, and hears of their
 * changes neither live nor on resume.
 */
class VisitorScopeTest {
    static TestParley app;
    static Api owner;
    static Api lena; // role agent, member of group A only
    static ChatVisitor inA;
    static ChatVisitor inB;
    static long visitorA;
    static long visitorB;
    static long contactA;
    static long contactB;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        long groupA = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales")).path("id").asLong();
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Billing", "key", "billing"));
        lena = app.createAgent("lena@shop.test", "Lena", "lena-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + lena.agentId(), Map.of("group_ids", List.of(groupA)));
        inA = visitorIn("sales", "Anna", "anna@example.com");
        inB = visitorIn("billing", "Bert", "bert@example.com");
        JsonNode a = owner.expect(200, "GET", "/v2/conversations/" + inA.conversationId(), null);
        JsonNode b = owner.expect(200, "GET", "/v2/conversations/" + inB.conversationId(), null);
        visitorA = a.path("visitor_id").asLong();
        visitorB = b.path("visitor_id").asLong();
        contactA = a.path("contact_id").asLong();
        contactB = b.path("contact_id").asLong();
        assertThat(contactA).isPositive();
        assertThat(contactB).isPositive();
    }

    @AfterAll
    static void stop() {
        inA.close();
        inB.close();
        app.close();
    }

    private static ChatVisitor visitorIn(String groupKey, String name, String email) {
        ChatVisitor v = ChatVisitor.connect(app);
        v.routeToGroup(groupKey);
        v.socket.send(Map.of("type", "identify", "name", name, "email", email));
        v.say("Hello from " + name);
        return v;
    }

    @Test
    void aLimitedAgentCannotReadOrEditAVisitorOrContactOfAnotherGroup() {
        lena.expect(404, "GET", "/v2/visitors/" + visitorB, null);
        JsonNode refused = lena.expect(404, "PATCH", "/v2/visitors/" + visitorB, Map.of("note", "seen by Lena"));
        assertThat(refused.path("error").path("code").asText()).isEqualTo("not_found");
        lena.expect(404, "GET", "/v2/contacts/" + contactB, null);
        lena.expect(404, "PATCH", "/v2/contacts/" + contactB, Map.of("note", "seen by Lena"));
        // Nothing was written by the refused edits.
        assertThat(owner.expect(200, "GET", "/v2/visitors/" + visitorB, null).path("note").isNull()).isTrue();
        assertThat(owner.expect(200, "GET", "/v2/contacts/" + contactB, null).path("note").isNull()).isTrue();

        assertThat(lena.expect(200, "GET", "/v2/visitors/" + visitorA, null).path("name").asText()).isEqualTo("Anna");
        lena.expect(200, "PATCH", "/v2/visitors/" + visitorA, Map.of("phone", "+420 111 222 333"));
        assertThat(lena.expect(200, "GET", "/v2/contacts/" + contactA, null).path("email").asText()).isEqualTo("anna@example.com");
        lena.expect(200, "PATCH", "/v2/contacts/" + contactA, Map.of("note", "A regular"));
    }

    @Test
    void theOwnerSeesEveryVisitorAndContact() {
        owner.expect(200, "GET", "/v2/visitors/" + visitorA, null);
        owner.expect(200, "GET", "/v2/visitors/" + visitorB, null);
        owner.expect(200, "GET", "/v2/contacts/" + contactA, null);
        owner.expect(200, "GET", "/v2/contacts/" + contactB, null);
    }

    @Test
    void aLimitedAgentsSocketGetsNoVisitorOrContactEventOfAnotherGroupLiveOrOnResume() {
        try (TestSocket live = TestSocket.agent(app, lena, null); TestSocket all = TestSocket.agent(app, owner, null)) {
            live.await("welcome");
            all.await("welcome");
            owner.expect(200, "PATCH", "/v2/contacts/" + contactB, Map.of("phone", "+420 999 888 777"));
            owner.expect(200, "PATCH", "/v2/visitors/" + visitorB, Map.of("note", "Bert asked about an invoice"));
            // Events reach a socket in sequence order: once group A's later change is here, group B's are too.
            var mark = markVisitorA();
            live.await(mark);
            all.await(mark);

            assertThat(cardEvents(live.frames(0), visitorB, contactB)).isEmpty();
            assertThat(cardEvents(all.frames(0), visitorB, contactB)).hasSize(2);
        }
        try (TestSocket resumed = TestSocket.agent(app, lena, 0L); TestSocket all = TestSocket.agent(app, owner, 0L)) {
            resumed.await("welcome");
            all.await("welcome");
            var mark = markVisitorA();
            resumed.await(mark);
            all.await(mark);

            assertThat(cardEvents(resumed.frames(0), visitorB, contactB)).isEmpty();
            assertThat(cardEvents(resumed.frames(0), visitorA, contactA)).isNotEmpty();
            assertThat(cardEvents(all.frames(0), visitorB, contactB)).isNotEmpty();
        }
    }

    @Test
    void aContactWithConversationsInTwoGroupsReachesEachAgentWhoSeesOneOfThemExactlyOnce() {
        ChatVisitor a = visitorIn("sales", "Multi", "multi-a@example.com");
        ChatVisitor b = visitorIn("billing", "Multi", "multi-b@example.com");
        try (a; b) {
            // The shop's server says both browsers are one customer: one contact, conversations in A and B.
            for (ChatVisitor v : List.of(a, b)) {
                long visitorId = owner.expect(200, "GET", "/v2/conversations/" + v.conversationId(), null).path("visitor_id").asLong();
                owner.expect(200, "POST", "/v2/visitors/" + visitorId + "/identify", Map.of("user_id", "multi-1"));
            }
            long contact = owner.expect(200, "GET", "/v2/conversations/" + b.conversationId(), null).path("contact_id").asLong();
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + a.conversationId(), null).path("contact_id").asLong())
                    .isEqualTo(contact);
            lena.expect(200, "GET", "/v2/contacts/" + contact, null);
            Api both = app.createAgent("both-" + UUID.randomUUID() + "@shop.test", "Both", "both-password-1", "agent");
            List<Long> groups = new java.util.ArrayList<>();
            for (JsonNode g : owner.expect(200, "GET", "/v2/groups", null)) groups.add(g.path("id").asLong());
            owner.expect(200, "PATCH", "/v2/agents/" + both.agentId(), Map.of("group_ids", groups));

            try (TestSocket limited = TestSocket.agent(app, lena, null); TestSocket inBoth = TestSocket.agent(app, both, null);
                 TestSocket all = TestSocket.agent(app, owner, null)) {
                for (TestSocket s : List.of(limited, inBoth, all)) s.await("welcome");
                long after = all.frames(0).getFirst().path("seq").asLong();
                owner.expect(200, "PATCH", "/v2/contacts/" + contact, Map.of("note", "One customer, two browsers"));
                for (TestSocket s : List.of(limited, inBoth, all)) {
                    s.await(f -> "contact.updated".equals(f.path("type").asText()) && f.path("data").path("id").asLong() == contact);
                    assertThat(cardEvents(s.frames(0), -1, contact)).hasSize(1);
                }
                // And once on resume too.
                try (TestSocket resumed = TestSocket.agent(app, both, after)) {
                    resumed.await("welcome");
                    resumed.await(f -> "contact.updated".equals(f.path("type").asText()) && f.path("data").path("id").asLong() == contact);
                    resumed.await(markVisitorA());
                    assertThat(cardEvents(resumed.frames(0), -1, contact)).hasSize(1);
                }
            }
        }
    }

    /** The visitor.updated and contact.updated frames about the visitor or contact. */
    /** A change of group A's visitor that every socket gets after the events before it (they come in sequence order). */
    static java.util.function.Predicate<JsonNode> markVisitorA() {
        String mark = "Mark " + TestSocket.clientId();
        owner.expect(200, "PATCH", "/v2/visitors/" + visitorA, Map.of("note", mark));
        return f -> "visitor.updated".equals(f.path("type").asText()) && mark.equals(f.path("data").path("note").asText());
    }

    static List<JsonNode> cardEvents(List<JsonNode> frames, long visitorId, long contactId) {
        return frames.stream().filter(f -> switch (f.path("type").asText()) {
            case "visitor.updated" -> f.path("data").path("id").asLong() == visitorId;
            case "contact.updated" -> f.path("data").path("id").asLong() == contactId;
            default -> false;
        }).toList();
    }
}
