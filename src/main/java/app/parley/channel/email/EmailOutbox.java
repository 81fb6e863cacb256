package app.parley.channel.email;

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
 * The event-log consumer that hands every agent's message written for email to a sending job: the thread (token,
 * address) made if new, the mail's Message-ID recorded, one job queued per mail, in the consumer's transaction, so
 * each message becomes exactly one mail job; a conversation's mails go out in order (one queue key).
 */
public final class EmailOutbox implements EventHandler {
    public static final String NAME = "email.outbox";
    private static final String EMAIL_MESSAGES = EventHandler.payloadHas("channel", Channel.EMAIL.wire());

    private final MailSettings settings;

    public EmailOutbox(MailSettings settings) {
        this.settings = settings;
    }

    @Override
    public java.util.Set<EventType> types() {
        return java.util.Set.of(EventType.MESSAGE_CREATED);
    }

    /** Only messages written for this channel are read: the chat box's are neither sent here nor parsed. */
    @Override
    public String where() {
        return EMAIL_MESSAGES;
    }

    /** A mail leaves a fifth of a second later than it could: nobody sees that, and a busy chat costs five times fewer batches. */
    @Override
    public java.time.Duration gather() {
        return java.time.Duration.ofMillis(200);
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (!EventType.MESSAGE_CREATED.wire().equals(e.event().type()) || e.event().agentPayload() == null) continue;
            JsonNode m = Json.tree(e.event().agentPayload());
            if (!Channel.EMAIL.wire().equals(m.path("channel").asText())
                    || !MessageKind.MESSAGE.wire().equals(m.path("kind").asText())
                    || !MessageSubType.AGENT.wire().equals(m.path("sub_type").asText())) {
                continue;
            }
            long accountId = e.event().accountId();
            long conversationId = m.path("conversation_id").asLong();
            long messageId = m.path("id").asLong();
            String address = EmailThreads.addressOf(h, conversationId).orElse("");
            String shop = h.createQuery("SELECT name FROM accounts WHERE id = :a").bind("a", accountId).mapTo(String.class).one();
            EmailThreads.Thread t = EmailThreads.ensure(h, accountId, conversationId, address, "Your message to " + shop);
            String mailId = "<conversation/" + t.token() + "/messages/" + messageId + "@" + settings.inboundDomain() + ">";
            if (EmailThreads.recordOutgoing(h, accountId, conversationId, mailId, messageId)) {
                Jobs.enqueue(h, EmailSender.KIND, "email:" + conversationId, Long.toString(messageId), null);
            }
        }
    }
}
