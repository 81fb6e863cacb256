package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zulip's {@code assert_database_query_count} for Parley (STYLE.md "Tests"): the list, thread, search and send
 * paths run as many SQL statements for a large account or thread as for a small one, so an N+1 cannot sneak in.
 */
class QueryCountTest {
    static TestParley app;
    static Statements statements;
    static SqlLogger previous;
    static Api owner;
    static Api eva;
    static Api lucy;

    /**
     * Counts the statements Parley sends to PostgreSQL, leaving out the background threads' own work: the timers,
     * consumers and jobs, the log tail, the heartbeat, and tracking's page-view writer (whose batches, gathered for
     * a moment, land in a window after the sockets of an earlier test closed).
     */
    static final class Statements implements SqlLogger {
        private final SqlLogger delegate;
        private final List<String> seen = new ArrayList<>();

        Statements(SqlLogger delegate) {
            this.delegate = delegate;
        }

        @Override
        public void logBeforeExecution(StatementContext context) {
            String thread = Thread.currentThread().getName();
            if (!thread.startsWith("parley-housekeeping") && !thread.startsWith("parley-tabs")
                    && !thread.startsWith("parley-consumer") && !thread.startsWith("parley-job")
                    && !thread.startsWith("parley-log-tail") && !thread.startsWith("parley-node-heartbeat")
                    && !thread.startsWith("parley-page-views")) {
                synchronized (seen) {
                    seen.add(context.getRawSql().strip().replaceAll("\\s+", " "));
                }
            }
            delegate.logBeforeExecution(context);
        }

        @Override
        public void logAfterExecution(StatementContext context) {
            delegate.logAfterExecution(context);
        }

        @Override
        public void logException(StatementContext context, java.sql.SQLException ex) {
            delegate.logException(context, ex);
        }

        /** The statements {@code action} ran. */
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

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        eva = app.createAgent("eva@shop.test", "Eva", "eva-password-1", "agent");
        lucy = app.createAgent("lucy@shop.test", "Lucy", "lucy-password-1", "agent");
        Jdbi jdbi = app.parley().database().jdbi();
        previous = jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).getSqlLogger();
        statements = new Statements(previous);
        jdbi.setSqlLogger(statements);
    }

    @AfterAll
    static void stop() {
        app.parley().database().jdbi().setSqlLogger(previous);
        app.close();
    }

    @Test
    void conversationListRunsTheSameStatementsFor1And30Conversations() {
        // A shop of its own, so that it holds exactly the conversations this test makes.
        TestAccounts.Created shop = TestAccounts.create(app, "List Shop", "list-owner@list.test", "list-password-1");
        Api boss = app.login(shop.ownerEmail(), shop.ownerPassword());
        boss.expect(201, "POST", "/v2/agents", Map.of("email", "ana@list.test", "name", "Ana", "password", "ana-password-1"));
        boss.expect(201, "POST", "/v2/agents", Map.of("email", "ben@list.test", "name", "Ben", "password", "ben-password-1"));
        Api ana = app.login("ana@list.test", "ana-password-1");
        Api ben = app.login("ben@list.test", "ben-password-1");
        List<ChatVisitor> visitors = new ArrayList<>();
        try {
            ChatVisitor first = ChatVisitor.connect(app, shop.chatKey());
            visitors.add(first);
            first.say("The first conversation");
            List<String> one = statements.during(() -> boss.expect(200, "GET", "/v2/conversations", null));
            assertThat(boss.expect(200, "GET", "/v2/conversations", null).path("items")).hasSize(1);

            long tag = boss.expect(201, "POST", "/v2/tags", Map.of("name", "busy")).path("id").asLong();
            for (int i = 1; i < 30; i++) {
                ChatVisitor v = ChatVisitor.connect(app, shop.chatKey());
                visitors.add(v);
                v.say("Conversation " + i);
                String c = "/v2/conversations/" + v.conversationId();
                // Every conversation a little different: assignees, tags, notes, read marks, flags, resolved.
                if (i % 2 == 0) ana.expect(200, "POST", c + "/join", null);
                if (i % 3 == 0) boss.expect(200, "POST", c + "/assign", Map.of("agent_id", ben.agentId()));
                if (i % 4 == 0) boss.expect(200, "PUT", c + "/tags", Map.of("tag_ids", List.of(tag)));
                if (i % 5 == 0) ben.expect(201, "POST", c + "/messages", Map.of("type", "note", "text", "note " + i));
                if (i % 6 == 0) boss.expect(200, "POST", c + "/read", null);
                if (i % 7 == 0) boss.expect(200, "PATCH", c, Map.of("important", true));
                if (i % 8 == 0) boss.expect(200, "POST", c + "/resolve", null);
            }
            List<String> thirty = statements.during(() -> boss.expect(200, "GET", "/v2/conversations?limit=50", null));
            assertThat(boss.expect(200, "GET", "/v2/conversations?limit=50", null).path("items")).hasSize(27);

            assertThat(one).as("the counter sees the list query").anyMatch(sql -> sql.contains("FROM conversations"));
            assertThat(thirty).as("statements for 30 conversations").hasSameSizeAs(one);
            assertThat(thirty.size()).as(String.join("\n", thirty)).isLessThanOrEqualTo(8);
            for (String tab : List.of("primary", "new", "mine", "resolved")) {
                assertThat(statements.during(() -> ana.expect(200, "GET", "/v2/conversations?tab=" + tab, null)))
                        .as(tab).hasSameSizeAs(one);
            }
        } finally {
            visitors.forEach(ChatVisitor::close);
        }
    }

    @Test
    void threadRunsTheSameStatementsFor1And30Messages() {
        try (ChatVisitor v = ChatVisitor.withConversation(app, "Hello")) {
            String path = "/v2/conversations/" + v.conversationId() + "/messages";
            List<String> one = statements.during(() -> owner.expect(200, "GET", path, null));

            eva.expect(200, "POST", "/v2/conversations/" + v.conversationId() + "/join", null);
            owner.expect(200, "POST", "/v2/conversations/" + v.conversationId() + "/assign", Map.of("agent_id", lucy.agentId()));
            for (int i = 0; i < 9; i++) {
                eva.expect(201, "POST", path, Map.of("text", "Reply " + i));
                lucy.expect(201, "POST", path, Map.of("type", "note", "text", "Note " + i));
                v.say("Visitor " + i);
            }
            JsonNode thread = owner.expect(200, "GET", path, null).path("items");
            assertThat(thread.size()).isGreaterThanOrEqualTo(30);
            List<String> thirty = statements.during(() -> owner.expect(200, "GET", path, null));

            assertThat(one).as("the counter sees the thread query").anyMatch(sql -> sql.contains("FROM messages"));
            assertThat(thirty).as("statements for a 30-message thread").hasSameSizeAs(one);
            assertThat(thirty.size()).as(String.join("\n", thirty)).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void visitorMessageRunsTheSameStatementsInAShortAndALongThread() {
        try (ChatVisitor shortThread = ChatVisitor.withConversation(app, "Hi");
             ChatVisitor longThread = ChatVisitor.withConversation(app, "Hi")) {
            String path = "/v2/conversations/" + longThread.conversationId();
            eva.expect(200, "POST", path + "/join", null);
            owner.expect(200, "POST", path + "/assign", Map.of("agent_id", lucy.agentId()));
            owner.expect(200, "POST", path + "/assign", Map.of("agent_id", owner.agentId()));
            for (int i = 0; i < 10; i++) {
                eva.expect(201, "POST", path + "/messages", Map.of("text", "Reply " + i));
                longThread.say("Visitor " + i);
            }

            List<String> small = statements.during(() -> shortThread.say("One more thing"));
            List<String> large = statements.during(() -> longThread.say("One more thing"));

            assertThat(small).as("the counter sees the insert").anyMatch(sql -> sql.contains("INSERT INTO messages"));
            assertThat(large).as("statements to send into a long, busy thread").hasSameSizeAs(small);
            assertThat(large.size()).as(String.join("\n", large)).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void reopeningRunsTheSameStatementsWithOneOrThreeAssignees() {
        try (ChatVisitor one = ChatVisitor.withConversation(app, "Hi"); ChatVisitor three = ChatVisitor.withConversation(app, "Hi")) {
            String a = "/v2/conversations/" + one.conversationId();
            String b = "/v2/conversations/" + three.conversationId();
            eva.expect(200, "POST", a + "/join", null);
            eva.expect(200, "POST", b + "/join", null);
            eva.expect(200, "POST", b + "/assign", Map.of("agent_id", lucy.agentId()));
            eva.expect(200, "POST", b + "/assign", Map.of("agent_id", owner.agentId()));
            eva.expect(200, "POST", a + "/resolve", null);
            eva.expect(200, "POST", b + "/resolve", null);

            List<String> reopenOne = statements.during(() -> one.say("Back again"));
            List<String> reopenThree = statements.during(() -> three.say("Back again"));

            assertThat(reopenOne).anyMatch(sql -> sql.startsWith("UPDATE conversations"));
            assertThat(reopenThree).hasSameSizeAs(reopenOne);
        }
    }

    @Test
    void firstVisitorMessageRunsABoundedNumberOfStatements() {
        try (ChatVisitor v = ChatVisitor.connect(app)) {
            List<String> created = statements.during(() -> v.say("A brand new conversation"));
            assertThat(created.size()).as(String.join("\n", created)).isLessThanOrEqualTo(12);
        }
    }

    @Test
    void agentReplyRunsTheSameStatementsInAShortAndALongThread() {
        try (ChatVisitor shortThread = ChatVisitor.withConversation(app, "Hi");
             ChatVisitor longThread = ChatVisitor.withConversation(app, "Hi")) {
            String s = "/v2/conversations/" + shortThread.conversationId() + "/messages";
            String l = "/v2/conversations/" + longThread.conversationId() + "/messages";
            eva.expect(201, "POST", s, Map.of("text", "First reply"));
            for (int i = 0; i < 15; i++) {
                eva.expect(201, "POST", l, Map.of("text", "Reply " + i));
                lucy.expect(201, "POST", l, Map.of("type", "note", "text", "Note " + i));
            }
            List<String> small = statements.during(() -> eva.expect(201, "POST", s, Map.of("text", "Next")));
            List<String> large = statements.during(() -> eva.expect(201, "POST", l, Map.of("text", "Next")));
            assertThat(small).anyMatch(sql -> sql.contains("INSERT INTO messages"));
            // A block of message ids is drawn once per 1,000 messages, by whichever reply reaches its end: not the thread.
            java.util.function.Predicate<String> idBlock = sql -> sql.contains("nextval('messages_id_seq')");
            assertThat(large.stream().filter(idBlock.negate()).toList())
                    .hasSameSizeAs(small.stream().filter(idBlock.negate()).toList());
        }
    }
}
