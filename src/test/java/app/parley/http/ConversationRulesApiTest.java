package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/PRODUCT.md §1 over the REST API and the visitor socket: tabs, joining, assigning, resolving, flags, tags, groups. */
class ConversationRulesApiTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static TestParley app;
    static Api owner;
    static Api admin;
    static Api eva;    // limited access, no group
    static Api lucy;   // limited access, no group
    static Api gina;   // limited access, in group A
    static String groupA;
    static String groupB;
    static long groupAId;
    static long groupBId;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        admin = app.createAgent("adam@shop.test", "Adam", "adam-password-1", "admin");
        eva = app.createAgent("eva@shop.test", "Eva", "eva-password-1", "agent");
        lucy = app.createAgent("lucy@shop.test", "Lucy", "lucy-password-1", "agent");
        JsonNode a = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales"));
        JsonNode b = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Support", "key", "support"));
        groupA = a.path("key").asText();
        groupB = b.path("key").asText();
        groupAId = a.path("id").asLong();
        groupBId = b.path("id").asLong();
        owner.expect(201, "POST", "/v2/agents", Map.of("email", "gina@shop.test", "name", "Gina",
                "password", "gina-password-1", "role", "agent", "group_ids", List.of(groupAId)));
        gina = app.login("gina@shop.test", "gina-password-1");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // --- tabs: single and multi agent accounts (§1.2) ---

    @Test
    void singleAgentAccountShowsAllAndNewUntilASecondActiveAgentMakesItMulti() {
        Api solo = freshAccountOwner();
        JsonNode single = solo.expect(200, "GET", "/v2/conversations/tabs", null);
        assertThat(single.path("mode").asText()).isEqualTo("single");
        assertThat(single.has("all")).isTrue();
        assertThat(single.has("new")).isTrue();
        assertThat(single.has("primary")).isFalse();
        assertThat(single.has("mine")).isFalse();

        solo.expect(201, "POST", "/v2/agents", invite("second" + SEQ.incrementAndGet() + "@solo.test", "agent"));

        JsonNode multi = solo.expect(200, "GET", "/v2/conversations/tabs", null);
        assertThat(multi.path("mode").asText()).isEqualTo("multi");
        assertThat(List.of("all", "primary", "new", "mine")).allSatisfy(tab -> assertThat(multi.has(tab)).as(tab).isTrue());
        assertThat(solo.expect(200, "GET", "/v2/conversations", null).path("tabs").path("mode").asText()).isEqualTo("multi");
    }

    @Test
    void inactiveSecondAgentLeavesTheAccountSingle() {
        Api solo = freshAccountOwner();
        JsonNode second = solo.expect(201, "POST", "/v2/agents", invite("idle" + SEQ.incrementAndGet() + "@solo.test", "agent"));
        assertThat(solo.expect(200, "GET", "/v2/conversations/tabs", null).path("mode").asText()).isEqualTo("multi");

        solo.expect(200, "PATCH", "/v2/agents/" + second.path("id").asLong(), Map.of("active", false));

        assertThat(solo.expect(200, "GET", "/v2/conversations/tabs", null).path("mode").asText()).isEqualTo("single");
    }

    @Test
    void anyGroupMakesAOneAgentAccountMulti() {
        Api solo = freshAccountOwner();
        solo.expect(201, "POST", "/v2/groups", Map.of("name", "Returns"));
        JsonNode tabs = solo.expect(200, "GET", "/v2/conversations/tabs", null);
        assertThat(tabs.path("mode").asText()).isEqualTo("multi");
        assertThat(tabs.has("mine")).isTrue();
    }

    // --- new, join, assign, unassign, leave (§1.2, §1.3) ---

    @Test
    void newConversationIsInNewAllAndPrimaryButNotInMine() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Do you ship to Norway?")) {
            long id = v.conversationId();
            for (Api agent : List.of(owner, eva, lucy)) {
                assertThat(tab(agent, "new")).contains(id);
                assertThat(tab(agent, "all")).contains(id);
                assertThat(tab(agent, "primary")).contains(id);
                assertThat(tab(agent, "mine")).doesNotContain(id);
                assertThat(tab(agent, "resolved")).doesNotContain(id);
            }
            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
            assertThat(c.path("status").asText()).isEqualTo("open");
            assertThat(c.path("is_served").asBoolean()).isFalse();
            assertThat(c.path("assigned_ids")).isEmpty();
        }
    }

    @Test
    void joiningMovesTheConversationFromNewToMineAndWritesAgentJoin() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Where is my parcel?")) {
            long id = v.conversationId();
            int mineBefore = eva.expect(200, "GET", "/v2/conversations/tabs", null).path("mine").asInt();

            JsonNode joined = eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);

            assertThat(ids(joined.path("assigned_ids"))).containsExactly(eva.agentId());
            assertThat(joined.path("is_served").asBoolean()).isTrue();
            assertThat(tab(eva, "mine")).contains(id);
            assertThat(tab(eva, "new")).doesNotContain(id);
            assertThat(tab(eva, "primary")).contains(id);
            // Nobody else has it in New either: somebody has joined.
            assertThat(tab(lucy, "new")).doesNotContain(id);
            assertThat(tab(lucy, "mine")).doesNotContain(id);
            assertThat(tab(lucy, "all")).contains(id);
            assertThat(eva.expect(200, "GET", "/v2/conversations/tabs", null).path("mine").asInt()).isEqualTo(mineBefore + 1);

            JsonNode join = onlyEvent(owner, id, "agent_join");
            assertThat(join.path("kind").asText()).isEqualTo("event");
            assertThat(join.path("sub_type").asText()).isEqualTo("agent");
            assertThat(join.path("agent").path("id").asLong()).isEqualTo(eva.agentId());
            assertThat(join.path("data").path("agent_id").asLong()).isEqualTo(eva.agentId());
        }
    }

    @Test
    void joiningTwiceWritesOneEvent() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Hello?")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            assertThat(events(owner, id, "agent_join")).hasSize(1);
        }
    }

    @Test
    void assignUnassignAndLeaveEachWriteATimelineEvent() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "I need an invoice")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);

            JsonNode assigned = eva.expect(200, "POST", "/v2/conversations/" + id + "/assign", Map.of("agent_id", lucy.agentId()));
            assertThat(ids(assigned.path("assigned_ids"))).containsExactlyInAnyOrder(eva.agentId(), lucy.agentId());
            assertThat(tab(lucy, "mine")).contains(id);
            JsonNode assign = onlyEvent(owner, id, "agent_assign");
            assertThat(assign.path("data").path("assigned").asLong()).isEqualTo(lucy.agentId());
            assertThat(assign.path("data").path("assigned_by").asLong()).isEqualTo(eva.agentId());
            assertThat(assign.path("agent").path("id").asLong()).isEqualTo(eva.agentId());

            JsonNode third = owner.expect(200, "POST", "/v2/conversations/" + id + "/assign", Map.of("agent_id", admin.agentId()));
            assertThat(ids(third.path("assigned_ids"))).containsExactlyInAnyOrder(eva.agentId(), lucy.agentId(), admin.agentId());

            JsonNode unassigned = owner.expect(200, "POST", "/v2/conversations/" + id + "/unassign", Map.of("agent_id", lucy.agentId()));
            assertThat(ids(unassigned.path("assigned_ids"))).containsExactlyInAnyOrder(eva.agentId(), admin.agentId());
            assertThat(tab(lucy, "mine")).doesNotContain(id);
            JsonNode unassign = onlyEvent(owner, id, "agent_unassign");
            assertThat(unassign.path("data").path("unassigned").asLong()).isEqualTo(lucy.agentId());
            assertThat(unassign.path("data").path("unassigned_by").asLong()).isEqualTo(owner.agentId());

            JsonNode left = eva.expect(200, "POST", "/v2/conversations/" + id + "/leave", null);
            assertThat(ids(left.path("assigned_ids"))).containsExactly(admin.agentId());
            assertThat(tab(eva, "mine")).doesNotContain(id);
            JsonNode leave = onlyEvent(owner, id, "agent_leave");
            assertThat(leave.path("agent").path("id").asLong()).isEqualTo(eva.agentId());

            assertThat(eventTypes(owner, id)).containsExactly("agent_join", "agent_assign", "agent_assign",
                    "agent_unassign", "agent_leave");
        }
    }

    @Test
    void leavingAConversationOneIsNotAssignedToWritesNothing() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Hi")) {
            long id = v.conversationId();
            lucy.expect(200, "POST", "/v2/conversations/" + id + "/leave", null);
            assertThat(eventTypes(owner, id)).isEmpty();
        }
    }

    // --- resolve (§1.1) ---

    @Test
    void assignedLimitedAgentMayResolve() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Thanks, that is all")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);

            JsonNode resolved = eva.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);

            assertThat(resolved.path("status").asText()).isEqualTo("closed");
            assertThat(resolved.path("close_type").asText()).isEqualTo("agent_close");
            assertThat(resolved.path("finished_at").isNull()).isFalse();
            JsonNode close = onlyEvent(owner, id, "chat_close");
            assertThat(close.path("data").path("close_type").asText()).isEqualTo("agent_close");
            assertThat(close.path("data").path("agent_id").asLong()).isEqualTo(eva.agentId());
        }
    }

    @Test
    void unassignedLimitedAgentMayNotResolve() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Can I return shoes?")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            JsonNode refused = lucy.expect(403, "POST", "/v2/conversations/" + id + "/resolve", null);
            assertThat(refused.path("error").path("code").asText()).isEqualTo("forbidden");

            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
            assertThat(c.path("status").asText()).isEqualTo("open");
            assertThat(ids(c.path("assigned_ids"))).containsExactly(eva.agentId());
            assertThat(events(owner, id, "chat_close")).isEmpty();
        }
    }

    @Test
    void limitedAgentMayNotResolveAConversationNobodyHasJoined() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Anyone there?")) {
            long id = v.conversationId();
            JsonNode refused = eva.expect(403, "POST", "/v2/conversations/" + id + "/resolve", null);
            assertThat(refused.path("error").path("code").asText()).isEqualTo("forbidden");
            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
            assertThat(c.path("status").asText()).isEqualTo("open");
            assertThat(c.path("assigned_ids")).isEmpty();
        }
    }

    @Test
    void ownerResolvingAnUnassignedConversationBecomesItsAssignee() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Spam?")) {
            long id = v.conversationId();
            JsonNode resolved = owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            assertThat(resolved.path("status").asText()).isEqualTo("closed");
            assertThat(ids(resolved.path("assigned_ids"))).containsExactly(owner.agentId());
            assertThat(resolved.path("is_served").asBoolean()).isTrue();
        }
    }

    @Test
    void adminResolvingAnUnassignedConversationBecomesItsAssignee() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Test message")) {
            long id = v.conversationId();
            JsonNode resolved = admin.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            assertThat(resolved.path("status").asText()).isEqualTo("closed");
            assertThat(ids(resolved.path("assigned_ids"))).containsExactly(admin.agentId());
        }
    }

    @Test
    void adminMayResolveAConversationAssignedToSomeoneElseWithoutJoiningIt() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Please close this")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            JsonNode resolved = admin.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            assertThat(resolved.path("status").asText()).isEqualTo("closed");
            assertThat(ids(resolved.path("assigned_ids"))).containsExactly(eva.agentId());
        }
    }

    @Test
    void resolvedConversationIsInResolvedAndInNoOpenTab() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Bye")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            eva.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);

            assertThat(tab(eva, "resolved")).contains(id);
            assertThat(tab(owner, "resolved")).contains(id);
            for (String open : List.of("all", "primary", "new", "mine")) assertThat(tab(eva, open)).as(open).doesNotContain(id);
        }
    }

    @Test
    void resolvedConversationReopensWhenVisitorWritesAgainAndKeepsItsAssignees() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "My order is late")) {
            long id = v.conversationId();
            eva.expect(200, "POST", "/v2/conversations/" + id + "/join", null);
            eva.expect(200, "POST", "/v2/conversations/" + id + "/assign", Map.of("agent_id", lucy.agentId()));
            eva.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);

            JsonNode again = v.say("Actually, one more question");

            assertThat(again.path("conversation_id").asLong()).isEqualTo(id);
            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
            assertThat(c.path("status").asText()).isEqualTo("open");
            assertThat(c.path("close_type").isNull()).isTrue();
            assertThat(c.path("finished_at").isNull()).isTrue();
            assertThat(ids(c.path("assigned_ids"))).containsExactlyInAnyOrder(eva.agentId(), lucy.agentId());
            assertThat(tab(eva, "mine")).contains(id);
            assertThat(tab(lucy, "mine")).contains(id);
            assertThat(tab(eva, "new")).doesNotContain(id);
            assertThat(tab(eva, "resolved")).doesNotContain(id);
        }
    }

    // --- the visitor ends the chat, rates it (§1.1, §1.4) ---

    @Test
    void visitorMayCloseTheChat() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Never mind")) {
            long id = v.conversationId();
            v.socket.send(Map.of("type", "close"));
            v.socket.await(f -> "conversation.updated".equals(f.path("type").asText())
                    && "closed".equals(f.path("data").path("status").asText()));

            JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
            assertThat(c.path("status").asText()).isEqualTo("closed");
            assertThat(c.path("close_type").asText()).isEqualTo("visitor_close");
            assertThat(tab(owner, "resolved")).contains(id);
            JsonNode close = onlyEvent(owner, id, "chat_close");
            assertThat(close.path("sub_type").asText()).isEqualTo("system");
            assertThat(close.path("data").path("close_type").asText()).isEqualTo("visitor_close");
        }
    }

    @Test
    void visitorRatesAResolvedConversationGoodNormalOrBad() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Thanks!")) {
            long id = v.conversationId();
            owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            for (int value : new int[] {5, 3, 1}) {
                v.socket.send(Map.of("type", "rate", "value", value, "text", "rated " + value));
                v.socket.await(f -> "conversation.updated".equals(f.path("type").asText())
                        && f.path("data").path("rating_value").asInt() == value);
                JsonNode c = owner.expect(200, "GET", "/v2/conversations/" + id, null);
                assertThat(c.path("rating_value").asInt()).isEqualTo(value);
                assertThat(c.path("rating_text").asText()).isEqualTo("rated " + value);
            }
        }
    }

    @Test
    void ratingOfTwoIsRefused() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Ok")) {
            long id = v.conversationId();
            owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            v.socket.send(Map.of("type", "rate", "value", 5));
            v.socket.await(f -> "conversation.updated".equals(f.path("type").asText())
                    && f.path("data").path("rating_value").asInt() == 5);

            JsonNode error = v.refused(Map.of("type", "rate", "value", 2));

            assertThat(error.path("code").asText()).isEqualTo("validation_failed");
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + id, null).path("rating_value").asInt()).isEqualTo(5);
        }
    }

    @Test
    void ratingAnOpenConversationIsRefused() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Still here")) {
            long id = v.conversationId();
            JsonNode error = v.refused(Map.of("type", "rate", "value", 5));
            assertThat(error.path("code").asText()).isEqualTo("conflict");
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + id, null).path("rating_value").isNull()).isTrue();
        }
    }

    // --- per-agent reading state, important, tags (§1.3, §1.4) ---

    @Test
    void markUnreadAndReadChangeOnlyTheCallersState() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "First")) {
            v.say("Second");
            long id = v.conversationId();
            String path = "/v2/conversations/" + id;
            assertThat(owner.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(2);
            assertThat(eva.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(2);

            JsonNode read = owner.expect(200, "POST", path + "/read", null);
            assertThat(read.path("unread").asInt()).isZero();
            assertThat(owner.expect(200, "GET", path, null).path("unread").asInt()).isZero();
            assertThat(eva.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(2);

            JsonNode marked = owner.expect(200, "POST", path + "/unread", null);
            assertThat(marked.path("marked_unread").asBoolean()).isTrue();
            assertThat(owner.expect(200, "GET", path, null).path("marked_unread").asBoolean()).isTrue();
            assertThat(eva.expect(200, "GET", path, null).path("marked_unread").asBoolean()).isFalse();
            assertThat(listed(owner, "all", id).path("marked_unread").asBoolean()).isTrue();
            assertThat(listed(eva, "all", id).path("marked_unread").asBoolean()).isFalse();

            JsonNode readAgain = owner.expect(200, "POST", path + "/read", null);
            assertThat(readAgain.path("marked_unread").asBoolean()).isFalse();
            assertThat(eva.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(2);

            v.say("Third");
            assertThat(owner.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(1);
            assertThat(eva.expect(200, "GET", path, null).path("unread").asInt()).isEqualTo(3);
        }
    }

    @Test
    void importantFlagIsSetAndCleared() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "VIP customer here")) {
            long id = v.conversationId();
            String path = "/v2/conversations/" + id;
            assertThat(eva.expect(200, "PATCH", path, Map.of("important", true)).path("important").asBoolean()).isTrue();
            assertThat(owner.expect(200, "GET", path, null).path("important").asBoolean()).isTrue();
            assertThat(listed(lucy, "all", id).path("important").asBoolean()).isTrue();

            assertThat(eva.expect(200, "PATCH", path, Map.of("important", false)).path("important").asBoolean()).isFalse();
            assertThat(owner.expect(200, "GET", path, null).path("important").asBoolean()).isFalse();
        }
    }

    @Test
    void putTagsSetsAndReplacesTheConversationsTags() {
        String s = "-" + SEQ.incrementAndGet();
        long vip = owner.expect(201, "POST", "/v2/tags", Map.of("name", "vip" + s, "color", "#ff0000")).path("id").asLong();
        long refund = owner.expect(201, "POST", "/v2/tags", Map.of("name", "refund" + s)).path("id").asLong();
        // Any agent may create a tag inline while chatting.
        long bug = eva.expect(201, "POST", "/v2/tags", Map.of("name", "bug" + s)).path("id").asLong();
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Refund please")) {
            long id = v.conversationId();
            String path = "/v2/conversations/" + id + "/tags";

            JsonNode set = eva.expect(200, "PUT", path, Map.of("tag_ids", List.of(vip, refund)));
            assertThat(ids(set.path("tags"), "id")).containsExactlyInAnyOrder(vip, refund);
            JsonNode vipTag = tagOf(owner.expect(200, "GET", "/v2/conversations/" + id, null), vip);
            assertThat(vipTag.path("name").asText()).isEqualTo("vip" + s);
            assertThat(vipTag.path("color").asText()).isEqualTo("#ff0000");

            JsonNode replaced = eva.expect(200, "PUT", path, Map.of("tag_ids", List.of(bug)));
            assertThat(ids(replaced.path("tags"), "id")).containsExactly(bug);
            assertThat(ids(listed(owner, "all", id).path("tags"), "id")).containsExactly(bug);

            JsonNode cleared = eva.expect(200, "PUT", path, Map.of("tag_ids", List.of()));
            assertThat(cleared.path("tags")).isEmpty();
        }
    }

    @Test
    void resolvedConversationCanBeTagged() {
        long tag = owner.expect(201, "POST", "/v2/tags", Map.of("name", "done-" + SEQ.incrementAndGet())).path("id").asLong();
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Solved")) {
            long id = v.conversationId();
            owner.expect(200, "POST", "/v2/conversations/" + id + "/resolve", null);
            JsonNode tagged = owner.expect(200, "PUT", "/v2/conversations/" + id + "/tags", Map.of("tag_ids", List.of(tag)));
            assertThat(ids(tagged.path("tags"), "id")).containsExactly(tag);
            assertThat(tagged.path("status").asText()).isEqualTo("closed");
        }
    }

    // --- groups (§1.2 visibility) ---

    @Test
    void agentInAGroupSeesOnlyItsGroupsAndUngroupedConversations() {
        try (ChatVisitor inA = ChatVisitor.connect(app); ChatVisitor inB = ChatVisitor.connect(app);
             ChatVisitor none = ChatVisitor.connect(app)) {
            inA.routeToGroup(groupA);
            inA.say("Question for sales");
            inB.routeToGroup(groupB);
            inB.say("Question for support");
            none.say("Question for anyone");
            long a = inA.conversationId();
            long b = inB.conversationId();
            long n = none.conversationId();
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + a, null).path("group_id").asLong()).isEqualTo(groupAId);
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + b, null).path("group_id").asLong()).isEqualTo(groupBId);
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + n, null).path("group_id").isNull()).isTrue();

            assertThat(tab(gina, "all")).contains(a, n).doesNotContain(b);
            assertThat(tab(gina, "new")).contains(a, n).doesNotContain(b);
            gina.expect(200, "GET", "/v2/conversations/" + a, null);
            gina.expect(200, "GET", "/v2/conversations/" + n, null);
            for (String[] call : new String[][] {{"GET", ""}, {"GET", "/messages"}, {"POST", "/join"}, {"POST", "/read"},
                    {"POST", "/unread"}, {"POST", "/resolve"}}) {
                JsonNode hidden = gina.expect(404, call[0], "/v2/conversations/" + b + call[1], null);
                assertThat(hidden.path("error").path("code").asText()).as(call[0] + call[1]).isEqualTo("not_found");
            }
            JsonNode reply = gina.expect(404, "POST", "/v2/conversations/" + b + "/messages", Map.of("text", "Hi from sales"));
            assertThat(reply.path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(owner.expect(200, "GET", "/v2/conversations/" + b, null).path("assigned_ids")).isEmpty();
        }
    }

    @Test
    void aConversationWhoseGroupIsDeletedIsUngroupedForLiveEventsToo() {
        JsonNode temp = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Seasonal", "key", "seasonal"));
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            v.routeToGroup("seasonal");
            v.say("Is the winter sale still on?");
            long c = v.conversationId();
            gina.expect(404, "GET", "/v2/conversations/" + c, null);

            owner.expect(204, "DELETE", "/v2/groups/" + temp.path("id").asLong(), null);
            assertThat(gina.expect(200, "GET", "/v2/conversations/" + c, null).path("group_id").isNull()).isTrue();
            // The journal holds the conversation's row from before: the next message must not carry the old group.
            try (TestSocket live = TestSocket.agent(app, gina, null)) {
                live.await("welcome");
                v.say("Hello?");
                JsonNode created = live.await(f -> "message.created".equals(f.path("type").asText())
                        && "Hello?".equals(f.path("data").path("text").asText()));
                assertThat(created.path("conversation_id").asLong()).isEqualTo(c);
            }
        }
    }

    @Test
    void ownerAndAgentsInNoGroupSeeConversationsOfEveryGroup() {
        try (ChatVisitor inA = ChatVisitor.connect(app); ChatVisitor inB = ChatVisitor.connect(app)) {
            inA.routeToGroup(groupA);
            inA.say("Sales?");
            inB.routeToGroup(groupB);
            inB.say("Support?");
            for (Api agent : List.of(owner, admin, eva)) {
                assertThat(tab(agent, "all")).contains(inA.conversationId(), inB.conversationId());
                agent.expect(200, "GET", "/v2/conversations/" + inB.conversationId(), null);
            }
        }
    }

    // --- helpers ---

    private static Api freshAccountOwner() {
        int n = SEQ.incrementAndGet();
        TestAccounts.Created acc = TestAccounts.create(app, "Solo Shop " + n, "solo" + n + "@solo.test", "solo-password-1");
        return app.login(acc.ownerEmail(), acc.ownerPassword());
    }

    private static Map<String, Object> invite(String email, String role) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("name", "Agent " + UUID.randomUUID().toString().substring(0, 8));
        body.put("password", "agent-password-1");
        body.put("role", role);
        return body;
    }

    static List<Long> tab(Api agent, String tab) {
        return ids(agent.expect(200, "GET", "/v2/conversations?tab=" + tab + "&limit=200", null).path("items"), "id");
    }

    private static JsonNode listed(Api agent, String tab, long id) {
        for (JsonNode c : agent.expect(200, "GET", "/v2/conversations?tab=" + tab + "&limit=200", null).path("items")) {
            if (c.path("id").asLong() == id) return c;
        }
        throw new AssertionError("Conversation " + id + " is not in " + tab);
    }

    private static JsonNode tagOf(JsonNode conversation, long tagId) {
        for (JsonNode t : conversation.path("tags")) if (t.path("id").asLong() == tagId) return t;
        throw new AssertionError("No tag " + tagId + " in " + conversation.path("tags"));
    }

    static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asLong());
        return out;
    }

    static List<Long> ids(JsonNode array, String field) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.path(field).asLong());
        return out;
    }

    private static List<JsonNode> events(Api agent, long conversationId, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : agent.expect(200, "GET", "/v2/conversations/" + conversationId + "/messages?limit=200", null).path("items")) {
            if ("event".equals(m.path("kind").asText()) && type.equals(m.path("event_type").asText())) out.add(m);
        }
        return out;
    }

    private static List<String> eventTypes(Api agent, long conversationId) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : agent.expect(200, "GET", "/v2/conversations/" + conversationId + "/messages?limit=200", null).path("items")) {
            if ("event".equals(m.path("kind").asText())) out.add(m.path("event_type").asText());
        }
        return out;
    }

    private static JsonNode onlyEvent(Api agent, long conversationId, String type) {
        List<JsonNode> found = events(agent, conversationId, type);
        assertThat(found).as(type + " events").hasSize(1);
        return found.getFirst();
    }
}
