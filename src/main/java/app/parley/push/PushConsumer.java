package app.parley.push;

import app.parley.account.Agent;
import app.parley.account.Agents;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.LoggedEvent;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that pushes at once what cannot wait for the notification check (issue #17, point 3): a
 * new conversation's first visitor message to every agent who may see it, and each visitor message of an assigned
 * conversation to its assignees. Offline and missed messages come later, decided by {@code notify} with each
 * agent's choices ({@link PushNotices}). Jobs are queued in the consumer's transaction: each event once.
 */
public final class PushConsumer implements EventHandler {
    public static final String NAME = "push";
    private static final Set<String> MESSAGE_FIELDS = Set.of("id", "kind", "sub_type", "text");

    private record Conversation(long accountId, Long groupId, List<Long> assignees, String visitorName, Long firstMessageId) {}

    private record Candidate(long conversationId, long messageId, String text) {}

    private final PushQueue queue;

    public PushConsumer(OpenTabs tabs) {
        this.queue = new PushQueue(tabs);
    }

    /** Nothing to push while no agent has turned notifications on for a device: the cursor moves on unread. */
    @Override
    public boolean interested(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM push_devices)").mapTo(Boolean.class).one();
    }

    @Override
    public Set<EventType> types() {
        return Set.of(EventType.MESSAGE_CREATED);
    }

    @Override
    public String where() {
        return EventHandler.payloadHas("sub_type", MessageSubType.CONTACT.wire());
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        List<Candidate> candidates = new ArrayList<>();
        for (LoggedEvent e : events) {
            if (e.event().agentPayload() == null || e.event().conversationId() == null) continue;
            Map<String, String> m = Json.scalars(e.event().agentPayload(), MESSAGE_FIELDS);
            if (!MessageKind.MESSAGE.wire().equals(m.get("kind")) || !MessageSubType.CONTACT.wire().equals(m.get("sub_type"))
                    || m.get("id") == null) {
                continue;
            }
            candidates.add(new Candidate(e.event().conversationId(), Long.parseLong(m.get("id")), m.getOrDefault("text", "")));
        }
        if (candidates.isEmpty()) return;
        Map<Long, Conversation> conversations = conversations(h, candidates.stream().map(Candidate::conversationId).distinct().toList());
        Map<Long, List<Agent>> teams = new HashMap<>();
        for (Candidate c : candidates) {
            Conversation conv = conversations.get(c.conversationId());
            if (conv == null) continue;
            if (!conv.assignees().isEmpty()) {
                queue.enqueue(h, conv.accountId(), conv.assignees(), Notice.of(null, conv.visitorName(), c.text(), c.conversationId()));
            } else if (conv.firstMessageId() != null && conv.firstMessageId() == c.messageId()) {
                // The conversation's first visitor message: it is new (a resolved one the visitor reopens is not).
                List<Long> team = teams.computeIfAbsent(conv.accountId(), a -> Agents.ofAccount(h, a)).stream()
                        .filter(a -> a.active() && a.viewer().sees(conv.groupId())).map(Agent::id).toList();
                queue.enqueue(h, conv.accountId(), team, Notice.of("New conversation", conv.visitorName(), c.text(), c.conversationId()));
            }
        }
    }

    /** The batch's conversations in one query, each with its first visitor message (an index scan that stops there). */
    private static Map<Long, Conversation> conversations(Handle h, List<Long> ids) {
        Map<Long, Conversation> out = new HashMap<>();
        h.createQuery("""
                        SELECT c.id, c.account_id, c.group_id, c.assignee_ids,
                               coalesce(ct.name, v.name, nullif(ct.email, ''), v.email),
                               (SELECT m.id FROM messages m WHERE m.conversation_id = c.id AND m.sub_type = 'contact'
                                  AND m.kind = 'message' ORDER BY m.id LIMIT 1)
                        FROM conversations c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN contacts ct ON ct.id = c.contact_id
                        WHERE c.id = ANY(:c)""")
                .bindArray("c", Long.class, ids)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new Conversation(rs.getLong(2), (Long) rs.getObject(3),
                        longs(rs.getArray(4)), rs.getString(5), (Long) rs.getObject(6))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Long> longs(Array array) throws SQLException {
        if (array == null) return List.of();
        return new ArrayList<>(Arrays.asList((Long[]) array.getArray()));
    }
}
