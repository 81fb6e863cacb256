package app.parley.channel.messenger;

import app.parley.conversation.Channel;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.Jobs;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that sends what agents write in Messenger conversations: each new agent (or bot) message
 * becomes a row in {@code messenger_messages} ('sending') and a send job, in the consumer's transaction, so each
 * reply is sent once however often the consumer is restarted. Jobs of one conversation go out in order.
 */
final class ReplyConsumer implements EventHandler {
    static final String NAME = "messenger";
    private static final String FACEBOOK_MESSAGES = EventHandler.payloadHas("channel", Channel.FACEBOOK.wire());

    @Override
    public boolean interested(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM messenger_pages)").mapTo(Boolean.class).one();
    }

    @Override
    public java.util.Set<EventType> types() {
        return java.util.Set.of(EventType.MESSAGE_CREATED);
    }

    /** Only messages written for this channel are read: the chat box's are neither sent here nor parsed. */
    @Override
    public String where() {
        return FACEBOOK_MESSAGES;
    }

    /** A reply reaches Messenger a tenth of a second later at most; a busy chat costs four times fewer batches. */
    @Override
    public java.time.Duration gather() {
        return java.time.Duration.ofMillis(100);
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (!EventType.MESSAGE_CREATED.wire().equals(e.event().type()) || e.event().agentPayload() == null) continue;
            JsonNode m = Json.tree(e.event().agentPayload());
            if (!Channel.FACEBOOK.wire().equals(m.path("channel").asText())
                    || !MessageKind.MESSAGE.wire().equals(m.path("kind").asText())) continue;
            MessageSubType subType = MessageSubType.fromWire(m.path("sub_type").asText());
            // The customer's own messages and the shop's replies typed in Facebook came from Messenger: nothing to send.
            if (!(subType == MessageSubType.AGENT || subType == MessageSubType.BOT) || m.path("data").has("messenger")) continue;
            boolean human = subType == MessageSubType.AGENT && m.path("agent").hasNonNull("id");
            long messageId = m.path("id").asLong();
            int made = h.createUpdate("""
                            INSERT INTO messenger_messages (message_id, account_id, conversation_id, page_id, psid, direction,
                                                            delivery_status, metadata)
                            SELECT :id, c.account_id, :conv, c.page_id, c.psid, 'out', 'sending', CAST(:meta AS jsonb)
                            FROM messenger_contacts c WHERE c.visitor_id = :v
                            ON CONFLICT DO NOTHING""")
                    .bind("id", messageId).bind("conv", e.event().conversationId()).bind("v", e.event().visitorId())
                    .bind("meta", Json.write(java.util.Map.of("human", human))).execute();
            if (made == 1) Jobs.enqueue(h, ReplySender.KIND, "messenger:send:" + e.event().conversationId(), Long.toString(messageId), null);
        }
    }
}
