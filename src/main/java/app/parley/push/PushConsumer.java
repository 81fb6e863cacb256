package app.parley.push;

import app.parley.account.Agent;
import app.parley.account.Agents;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that pushes at once what cannot wait for the notification check (issue #17, point 3): a
 * new conversation's first visitor message to every agent who may see it, and each visitor message of an assigned
 * conversation to its assignees. Offline and missed messages come later, decided by {@code notify} with each
 * agent's choices ({@link PushNotices}). Jobs are queued in the consumer's transaction: each event once.
 */
public final class PushConsumer implements EventHandler {
    public static final String NAME = "push";

    private record Conversation(long accountId, Long groupId, List<Long> assignees, String visitorName) {}

    private final PushQueue queue;

    public PushConsumer(OpenTabs tabs) {
        this.queue = new PushQueue(tabs);
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (!EventType.MESSAGE_CREATED.wire().equals(e.event().type()) || e.event().agentPayload() == null) continue;
            JsonNode m = Json.tree(e.event().agentPayload());
            if (!MessageKind.MESSAGE.wire().equals(m.path("kind").asText())
                    || !MessageSubType.CONTACT.wire().equals(m.path("sub_type").asText())) {
                continue;
            }
            long conversationId = e.event().conversationId();
            Conversation c = conversation(h, conversationId);
            if (c == null) continue;
            String text = m.path("text").asText("");
            if (!c.assignees().isEmpty()) {
                queue.enqueue(h, c.accountId(), c.assignees(), Notice.of(null, c.visitorName(), text, conversationId));
            } else if (first(h, conversationId, m.path("id").asLong())) {
                List<Long> team = Agents.ofAccount(h, c.accountId()).stream()
                        .filter(a -> a.active() && a.viewer().sees(c.groupId())).map(Agent::id).toList();
                queue.enqueue(h, c.accountId(), team, Notice.of("New conversation", c.visitorName(), text, conversationId));
            }
        }
    }

    private static Conversation conversation(Handle h, long id) {
        return h.createQuery("""
                        SELECT c.account_id, c.group_id, c.assignee_ids,
                               coalesce(ct.name, v.name, nullif(ct.email, ''), v.email)
                        FROM conversations c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN contacts ct ON ct.id = c.contact_id
                        WHERE c.id = :c""")
                .bind("c", id)
                .map((rs, ctx) -> new Conversation(rs.getLong(1), (Long) rs.getObject(2), longs(rs.getArray(3)), rs.getString(4)))
                .findOne().orElse(null);
    }

    /** The conversation's first visitor message: it is new (a resolved one the visitor reopens is not). */
    private static boolean first(Handle h, long conversationId, long messageId) {
        return h.createQuery("""
                        SELECT NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = :c AND id < :m
                                             AND sub_type = 'contact' AND kind = 'message')""")
                .bind("c", conversationId).bind("m", messageId).mapTo(Boolean.class).one();
    }

    private static List<Long> longs(Array array) throws SQLException {
        if (array == null) return List.of();
        return new ArrayList<>(Arrays.asList((Long[]) array.getArray()));
    }
}
