package app.parley.conversation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL that reads messages. */
public final class Messages {
    static final int ID_BLOCK = 1000;

    private static final String SELECT = """
            SELECT m.id, m.account_id, m.conversation_id, m.client_id, m.kind, m.sub_type, m.channel, m.text,
                   m.event_type, m.data::text AS data, m.created_at, a.id AS agent_id, a.name AS agent_name,
                   a.avatar_url AS agent_avatar
            FROM messages m LEFT JOIN agents a ON a.id = m.agent_id
            """;

    private Messages() {}

    static List<Message> query(Handle h, String where, Consumer<Query> binder) {
        Query q = h.createQuery(SELECT + where);
        binder.accept(q);
        return q.map((rs, ctx) -> {
            long agentId = rs.getLong("agent_id");
            Message.AgentRef agent = rs.wasNull() ? null
                    : new Message.AgentRef(agentId, rs.getString("agent_name"), rs.getString("agent_avatar"));
            return new Message(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("conversation_id"),
                    rs.getString("client_id"), MessageKind.fromWire(rs.getString("kind")),
                    MessageSubType.fromWire(rs.getString("sub_type")), Channel.fromWire(rs.getString("channel")),
                    rs.getString("text"), agent, eventType(rs.getString("event_type")), rs.getString("data"),
                    rs.getObject("created_at", OffsetDateTime.class));
        }).list();
    }

    private static TimelineEvent eventType(String wire) {
        return wire == null ? null : TimelineEvent.fromWire(wire);
    }

    /** A page of a thread, oldest first: the {@code limit} messages before message {@code before} (or the newest). */
    public static List<Message> page(Handle h, long conversationId, Long before, int limit, boolean withNotes) {
        List<Message> newestFirst = query(h, """
                        WHERE m.conversation_id = :c AND (CAST(:before AS bigint) IS NULL OR m.id < :before)
                          AND (:notes OR m.kind <> 'note')
                        ORDER BY m.id DESC LIMIT :limit""",
                q -> q.bind("c", conversationId).bind("before", before).bind("notes", withNotes).bind("limit", limit));
        return newestFirst.reversed();
    }
}
