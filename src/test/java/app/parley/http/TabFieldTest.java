package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.account.Role;
import app.parley.account.Viewer;
import app.parley.conversation.ConversationTab;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard places rows by the server's word: every conversation an agent receives, by REST (one, a list page,
 * a search) or by a live or resumed event, names the tabs it is in for that agent, exactly as
 * {@link ConversationTab#contains} says, in a single-agent and in a multi-agent account.
 */
class TabFieldTest {
    static TestParley app;
    static Jdbi jdbi;

    /** One signed-in agent and who they are to the rule. */
    record Person(String label, TestParley.Api api, Viewer viewer) {}

    /** One account's fixture: its agents, and every kind of conversation with its facts. */
    record Shop(List<Person> people, Map<Long, ConversationTab.Facts> facts) {}

    @BeforeAll
    static void start() {
        app = TestParley.start();
        jdbi = app.parley().database().jdbi();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void multiAgentAccountEveryViewerEveryConversation() {
        long account = jdbi.withHandle(h -> h.createQuery("SELECT account_id FROM agents WHERE role = 'owner' ORDER BY id LIMIT 1")
                .mapTo(Long.class).one());
        TestParley.Api owner = app.owner();
        TestParley.Api admin = app.createAgent("tabs-admin@shop.test", "Admin in A", "tabs-password-1", "admin");
        TestParley.Api inGroup = app.createAgent("tabs-grouped@shop.test", "Agent in A", "tabs-password-1", "agent");
        TestParley.Api free = app.createAgent("tabs-free@shop.test", "Agent in none", "tabs-password-1", "agent");
        long groupA = group(account, "Tabs A", "tabs-a");
        long groupB = group(account, "Tabs B", "tabs-b");
        for (long agent : List.of(admin.agentId(), inGroup.agentId())) {
            jdbi.useHandle(h -> h.execute("INSERT INTO group_members (group_id, agent_id) VALUES (?, ?)", groupA, agent));
        }
        // Signed in again: a session's viewer carries the groups it had when it was read.
        admin = app.login("tabs-admin@shop.test", "tabs-password-1");
        inGroup = app.login("tabs-grouped@shop.test", "tabs-password-1");
        List<Person> people = List.of(
                new Person("owner", owner, new Viewer(owner.agentId(), account, Role.OWNER, true, Set.of())),
                new Person("admin in A", admin, new Viewer(admin.agentId(), account, Role.ADMIN, true, Set.of(groupA))),
                new Person("agent in A", inGroup, new Viewer(inGroup.agentId(), account, Role.AGENT, true, Set.of(groupA))),
                new Person("agent in no group", free, new Viewer(free.agentId(), account, Role.AGENT, true, Set.of())));
        List<Long> groups = new ArrayList<>();
        groups.add(null);
        groups.add(groupA);
        groups.add(groupB);
        List<Set<Long>> assignees = new ArrayList<>();
        assignees.add(Set.of());
        for (Person p : people) assignees.add(Set.of(p.viewer().agentId()));
        assignees.add(Set.of(owner.agentId(), free.agentId()));
        Shop shop = new Shop(people, conversations(account, "multi", groups, assignees));
        assertThat(owner.get("/v2/conversations/tabs").path("mode").asText()).isEqualTo("multi");
        check(shop, ConversationTab.openTabs(false));
    }

    @Test
    void singleAgentAccount() {
        TestAccounts.Created other = TestAccounts.create(app, "Solo shop", "solo@shop.test", "solo-password-1");
        TestParley.Api owner = app.login(other.ownerEmail(), other.ownerPassword());
        Person solo = new Person("solo owner", owner, new Viewer(other.ownerId(), other.accountId(), Role.OWNER, true, Set.of()));
        List<Long> groups = new ArrayList<>();
        groups.add(null);
        Map<Long, ConversationTab.Facts> facts = conversations(other.accountId(), "single", groups,
                List.of(Set.of(), Set.of(other.ownerId())));
        assertThat(owner.get("/v2/conversations/tabs").path("mode").asText()).isEqualTo("single");
        check(new Shop(List.of(solo), facts), ConversationTab.openTabs(true));
    }

    private static void check(Shop shop, List<ConversationTab> shownTabs) {
        long before = jdbi.withHandle(h -> h.createQuery("SELECT coalesce(max(seq), 0) FROM events").mapTo(Long.class).one());
        Map<Person, TestSocket> sockets = new LinkedHashMap<>();
        for (Person p : shop.people()) {
            TestSocket s = TestSocket.agent(app, p.api(), null);
            s.await("welcome");
            sockets.put(p, s);
        }
        try {
            // A change of each conversation, made by the owner (who sees them all): one live event each.
            TestParley.Api owner = shop.people().getFirst().api();
            for (long id : shop.facts().keySet()) owner.patch("/v2/conversations/" + id, Map.of("important", true));
            for (Person p : shop.people()) {
                Map<Long, Set<String>> expected = expected(shop, p);
                Map<Long, Set<String>> live = eventTabs(sockets.get(p), expected.keySet());
                assertThat(live).as("live event tabs for %s", p.label()).isEqualTo(expected);

                try (TestSocket resumed = TestSocket.agent(app, p.api(), before)) {
                    resumed.await("welcome");
                    assertThat(eventTabs(resumed, expected.keySet())).as("resumed event tabs for %s", p.label()).isEqualTo(expected);
                }

                Map<Long, Set<String>> fetched = new HashMap<>();
                for (long id : expected.keySet()) fetched.put(id, tabs(p.api().get("/v2/conversations/" + id)));
                assertThat(fetched).as("GET one, for %s", p.label()).isEqualTo(expected);

                for (ConversationTab tab : ConversationTab.values()) {
                    Set<Long> listed = new HashSet<>();
                    JsonNode page = p.api().get("/v2/conversations?limit=200&tab=" + tab.wire());
                    for (JsonNode item : page.get("items")) {
                        long id = item.get("id").asLong();
                        if (!shop.facts().containsKey(id)) continue;
                        listed.add(id);
                        assertThat(tabs(item)).as("list %s item %d for %s", tab, id, p.label()).isEqualTo(expected.get(id));
                    }
                    Set<Long> named = new HashSet<>();
                    expected.forEach((id, t) -> {
                        if (t.contains(tab.wire())) named.add(id);
                    });
                    if (shownTabs.contains(tab) || tab == ConversationTab.RESOLVED) {
                        assertThat(listed).as("list %s for %s is what the field names", tab, p.label()).isEqualTo(named);
                    }
                }

                // Search reads the index the search consumer keeps after the commit: wait until it has them all.
                JsonNode found = p.api().post("/v2/conversations/search", Map.of("size", 200));
                for (long deadline = System.nanoTime() + 10_000_000_000L; indexed(found, shop) < expected.size()
                        && System.nanoTime() < deadline; ) {
                    pause();
                    found = p.api().post("/v2/conversations/search", Map.of("size", 200));
                }
                int seen = 0;
                for (JsonNode item : found.get("items")) {
                    long id = item.get("id").asLong();
                    if (!shop.facts().containsKey(id)) continue;
                    seen++;
                    assertThat(tabs(item)).as("search item %d for %s", id, p.label()).isEqualTo(expected.get(id));
                }
                assertThat(seen).as("search results for %s", p.label()).isEqualTo(expected.size());
            }
        } finally {
            sockets.values().forEach(TestSocket::close);
        }
    }

    /** What the rule says, for the conversations the person may see at all. */
    private static Map<Long, Set<String>> expected(Shop shop, Person p) {
        Map<Long, Set<String>> out = new HashMap<>();
        shop.facts().forEach((id, f) -> {
            if (!p.viewer().sees(f.groupId())) return;
            Set<String> in = new TreeSet<>();
            for (ConversationTab t : ConversationTab.values()) if (t.contains(f, p.viewer())) in.add(t.wire());
            out.put(id, in);
        });
        return out;
    }

    private static Map<Long, Set<String>> eventTabs(TestSocket s, Set<Long> ids) {
        Map<Long, Set<String>> out = new HashMap<>();
        for (long id : ids) {
            JsonNode f = s.await(n -> "conversation.updated".equals(n.path("type").asText())
                    && n.path("conversation_id").asLong() == id);
            out.put(id, tabs(f.get("data")));
        }
        return out;
    }

    private static Set<String> tabs(JsonNode conversation) {
        assertThat(conversation.has("tabs")).as("tabs field in %s", conversation).isTrue();
        Set<String> out = new TreeSet<>();
        conversation.get("tabs").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static long group(long account, String name, String key) {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO groups (account_id, name, key) VALUES (:a, :n, :k) RETURNING id")
                .bind("a", account).bind("n", name).bind("k", key).mapTo(Long.class).one());
    }

    /** Every status × group × assignees, written directly: the cache reads them when they are first changed. */
    private static Map<Long, ConversationTab.Facts> conversations(long account, String visitorKey, List<Long> groups,
                                                                  List<Set<Long>> assigneeSets) {
        Map<Long, ConversationTab.Facts> facts = new LinkedHashMap<>();
        jdbi.useHandle(h -> {
            long visitor = h.createQuery("INSERT INTO visitors (account_id, visitor_key) VALUES (:a, :k) RETURNING id")
                    .bind("a", account).bind("k", "tabs-" + visitorKey).mapTo(Long.class).one();
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
        return facts;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long indexed(JsonNode found, Shop shop) {
        long n = 0;
        for (JsonNode item : found.get("items")) if (shop.facts().containsKey(item.get("id").asLong())) n++;
        return n;
    }
}
