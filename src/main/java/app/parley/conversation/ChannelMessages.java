package app.parley.conversation;

import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a channel other than the chat box writes (docs/PRODUCT.md §2): a visitor's mail threaded into a
 * conversation (reopening it), a new conversation started by a mail, and the delivery status of an agent's
 * message sent by mail. Journal commands beside {@link VisitorActions} and {@link AgentActions}; the channel
 * decides where a mail belongs, this class only writes it.
 */
public final class ChannelMessages {
    /** The {@code data} of an agent's message just handed to the mail channel. */
    static final String SENDING = "{\"delivery_status\":\"sending\"}";

    /** A delivery status shown on an agent's message sent by a channel (mail: up to sent; Messenger: up to seen). */
    public enum Delivery {
        SENDING, SENT, FAILED, DELIVERED, SEEN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A message written by a channel; {@code duplicate}: it was there already (the same client id). */
    public record Written(long conversationId, Message message, boolean created, boolean reopened, boolean duplicate) {}

    private final Journal journal;

    public ChannelMessages(Journal journal) {
        this.journal = journal;
    }

    /**
     * The visitor's reply arriving by {@code channel}: appended to the conversation, which reopens if it was resolved
     * (a reply is the visitor writing again). {@code clientId} names the mail, so the same mail is stored once.
     */
    public Written reply(long accountId, long conversationId, Channel channel, String text, String data, String clientId) {
        return journal.run(new Journal.Command<>() {
            @Override
            public void prepare(Tx tx) {
                ConversationCache.of(tx).want(conversationId);
                MessageBatch.of(tx).wantClientId(conversationId, clientId);
            }

            @Override
            public Written execute(Tx tx) {
                ConversationRow c = ConversationCache.of(tx).get(conversationId);
                if (c == null || c.accountId != accountId) throw Refusal.notFound("The conversation");
                Message earlier = MessageBatch.of(tx).byClientId(c.id, clientId);
                if (earlier != null) return new Written(c.id, earlier, false, false, true);
                boolean reopened = Timeline.reopen(tx, c);
                Message m = Timeline.write(tx, c, MessageKind.MESSAGE, MessageSubType.CONTACT, null, text, null, data,
                        clientId, channel);
                Timeline.announce(tx, c, m);
                if (reopened) Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
                return new Written(c.id, m, false, reopened, false);
            }
        });
    }

    /**
     * A new conversation on {@code channel} for a visitor the channel made (a mail from someone new), opened by
     * their first message. Offline: nobody was chatting with them.
     */
    public Written start(long accountId, long visitorId, Channel channel, String text, String data, String clientId) {
        return journal.run(tx -> {
            ConversationRow c = Timeline.open(tx, accountId, visitorId, channel, true, false);
            Message m = Timeline.write(tx, c, MessageKind.MESSAGE, MessageSubType.CONTACT, null, text, null, data,
                    clientId, channel);
            Timeline.changed(tx, c, EventType.CONVERSATION_CREATED);
            Timeline.announce(tx, c, m);
            return new Written(c.id, m, true, false, false);
        });
    }

    /**
     * The delivery of an agent's message by mail: its status (and a failure's reason) into the message's data, and
     * a {@code message.updated} to the agents. A message that is not an agent's message of this account is ignored.
     */
    public void delivery(long accountId, long messageId, Delivery status, String reason) {
        update(accountId, messageId, true, data -> {
            data.put("delivery_status", status.wire());
            if (reason == null) data.remove("delivery_fail_reason");
            else data.put("delivery_fail_reason", reason);
        });
    }

    /**
     * A channel's fact about a message of either side (a Messenger reaction): {@code field} of its {@code data} set,
     * or null when {@code value} is (a fact taken back), and a {@code message.updated} to the agents.
     */
    public void annotate(long accountId, long messageId, String field, Object value) {
        update(accountId, messageId, false, data -> {
            if (value == null) data.putNull(field);
            else data.set(field, Json.MAPPER.valueToTree(value));
        });
    }

    private void update(long accountId, long messageId, boolean agentsOnly, java.util.function.Consumer<ObjectNode> change) {
        journal.run(tx -> {
            Message m = Messages.query(tx.reader(), "WHERE m.id = :id AND m.account_id = :a",
                    q -> q.bind("id", messageId).bind("a", accountId)).stream().findFirst().orElse(null);
            if (m == null || m.kind() != MessageKind.MESSAGE || agentsOnly && m.subType() != MessageSubType.AGENT) return null;
            ObjectNode data = m.data() == null ? Json.object() : parse(m.data());
            change.accept(data);
            String json = Json.write(data);
            tx.handle().createUpdate("UPDATE messages SET data = CAST(:d AS jsonb) WHERE id = :id")
                    .bind("d", json).bind("id", messageId).execute();
            ConversationRow c = ConversationCache.of(tx).get(m.conversationId());
            Message updated = new Message(m.id(), m.accountId(), m.conversationId(), m.clientId(), m.kind(), m.subType(),
                    m.channel(), m.text(), m.agent(), m.eventType(), json, m.createdAt());
            String payload = Json.write(updated);
            tx.emit(EventType.MESSAGE_UPDATED, c.accountId, c.id, c.groupId, c.visitorId, payload, null);
            return null;
        });
    }

    /** {@code extra}'s fields over {@code data}'s (either may be null): a file's data beside a delivery status. */
    static String merged(String data, String extra) {
        if (data == null) return extra;
        if (extra == null) return data;
        ObjectNode out = parse(data);
        out.setAll(parse(extra));
        return Json.write(out);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
