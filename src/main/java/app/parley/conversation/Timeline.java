package app.parley.conversation;

import app.parley.core.Json;
import app.parley.store.EventType;
import app.parley.store.Tx;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.List;

/** Writes messages and timeline events into a conversation and emits what clients see of them. */
final class Timeline {
    private Timeline() {}

    static Message append(Tx tx, ConversationRow c, MessageKind kind, MessageSubType subType, Message.AgentRef agent,
                          String text, TimelineEvent eventType, String data, String clientId) {
        Message m = write(tx, c, kind, subType, agent, text, eventType, data, clientId);
        announce(tx, c, m);
        return m;
    }

    /**
     * docs/PRODUCT.md §1.1: the visitor writing again, from any channel, reopens a resolved conversation (its
     * assignees stay), with a {@code chat_reopen} item; whether it did.
     */
    static boolean reopen(Tx tx, ConversationRow c) {
        if (c.open()) return false;
        c.status = ConversationStatus.OPEN;
        c.closeType = null;
        c.closedBy = null;
        c.finishedAt = null;
        event(tx, c, null, TimelineEvent.CHAT_REOPEN, Map.of());
        return true;
    }

    /**
     * A new conversation of a visitor a channel other than the chat box brought (a mail, a Messenger customer),
     * cached for the rest of the command. {@code offline}: nobody was chatting with them (a mail);
     * {@code withVisitorVariables}: it starts with what the shop knows of the visitor.
     */
    static ConversationRow open(Tx tx, long accountId, long visitorId, Channel channel, boolean offline, boolean withVisitorVariables) {
        ConversationRow row = tx.handle().createQuery("""
                        INSERT INTO conversations (account_id, visitor_id, contact_id, channel, is_offline, variables)
                        SELECT v.account_id, v.id, v.contact_id, :channel, :offline,
                               CASE WHEN :withVariables THEN v.variables ELSE '{}' END
                        FROM visitors v WHERE v.id = :v AND v.account_id = :a
                        RETURNING *""")
                .bind("v", visitorId).bind("a", accountId).bind("channel", channel.wire()).bind("offline", offline)
                .bind("withVariables", withVisitorVariables)
                .map((rs, ctx) -> ConversationRow.map(rs)).one();
        ConversationCache.of(tx).put(row);
        return row;
    }

    /** Stores a message without telling anyone yet: for when something must be announced before it. */
    static Message write(Tx tx, ConversationRow c, MessageKind kind, MessageSubType subType, Message.AgentRef agent,
                         String text, TimelineEvent eventType, String data, String clientId) {
        return write(tx, c, kind, subType, agent, text, eventType, data, clientId, c.channel, OffsetDateTime.now());
    }

    /** As above, on a channel other than the conversation's (a chat's reply sent by email). */
    static Message write(Tx tx, ConversationRow c, MessageKind kind, MessageSubType subType, Message.AgentRef agent,
                         String text, TimelineEvent eventType, String data, String clientId, Channel channel) {
        return write(tx, c, kind, subType, agent, text, eventType, data, clientId, channel, OffsetDateTime.now());
    }

    /** As above, at a time the sender's platform gave (a Messenger message's own timestamp). */
    static Message write(Tx tx, ConversationRow c, MessageKind kind, MessageSubType subType, Message.AgentRef agent,
                         String text, TimelineEvent eventType, String data, String clientId, OffsetDateTime now) {
        return write(tx, c, kind, subType, agent, text, eventType, data, clientId, c.channel, now);
    }

    private static Message write(Tx tx, ConversationRow c, MessageKind kind, MessageSubType subType, Message.AgentRef agent,
                                 String text, TimelineEvent eventType, String data, String clientId, Channel channel,
                                 OffsetDateTime now) {
        MessageBatch batch = MessageBatch.of(tx);
        Message m = new Message(batch.nextId(), c.accountId, c.id, clientId, kind, subType, channel, text, agent,
                eventType, data, now);
        batch.insert(m);
        if (kind == MessageKind.MESSAGE) {
            c.lastMessageId = m.id();
            c.lastMessageText = text;
            c.lastMessageSubType = subType;
            c.lastMessageAt = now;
        }
        if (m.fromContact()) c.contactMessageCount++;
        if (agent != null && kind == MessageKind.MESSAGE) c.participantIds.add(agent.id());
        c.updatedAt = now;
        ConversationCache.of(tx).changed(c);
        return m;
    }

    /** Emits {@code message.created}; returns the message's JSON. */
    static String announce(Tx tx, ConversationRow c, Message m) {
        String payload = Json.write(m);
        tx.emit(EventType.MESSAGE_CREATED, c.accountId, c.id, c.groupId, c.visitorId, payload,
                m.visibleToVisitor() ? payload : null);
        return payload;
    }

    static Message event(Tx tx, ConversationRow c, Message.AgentRef by, TimelineEvent eventType, Object data) {
        return append(tx, c, MessageKind.EVENT, by == null ? MessageSubType.SYSTEM : MessageSubType.AGENT, by, null, eventType, Json.write(data), null);
    }

    /** After a change of state: the full summary to agents, the visitor's projection to the visitor. */
    static void changed(Tx tx, ConversationRow c, EventType type) {
        ConversationCache.of(tx).changed(c);
        ConversationView view = ConversationQueries.shared(tx.reader(), c.id);
        tx.emit(type, c.accountId, c.id, c.groupId, c.visitorId, Json.write(view), Json.write(forVisitor(tx, c)),
                ConversationTab.Facts.of(view).placement());
    }

    static ConversationView.ForVisitor forVisitor(Tx tx, ConversationRow c) {
        return forVisitor(tx.reader(), c);
    }

    static ConversationView.ForVisitor forVisitor(org.jdbi.v3.core.Handle h, ConversationRow c) {
        List<Message.AgentRef> assignees = c.assigneeIds.isEmpty() ? List.of()
                : h.createQuery("SELECT id, name, avatar_url FROM agents WHERE id = ANY(:ids) ORDER BY id")
                        .bindArray("ids", Long.class, c.assigneeIds)
                        .map((rs, ctx) -> new Message.AgentRef(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        return new ConversationView.ForVisitor(c.id, c.status.wire(), assignees, c.ratingValue, c.ratingText,
                c.closeType == null ? null : c.closeType.wire(),
                c.visitorReadId, c.agentReadId);
    }
}
