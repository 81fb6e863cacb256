package app.parley.notify;

import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.Jobs;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that opens a notification burst when a visitor writes: the first message of a burst
 * queues one check about two minutes later (a job, so a restart in between changes nothing); the messages after it
 * join the same mail. Automatic mails never reach here: they make no message.
 */
public final class NotifyConsumer implements EventHandler {
    public static final String NAME = "notify";

    private final Duration delay;

    public NotifyConsumer(Duration delay) {
        this.delay = delay;
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
            int opened = h.createUpdate("""
                            INSERT INTO notification_bursts (conversation_id, since_message_id) VALUES (:c, :m)
                            ON CONFLICT (conversation_id) DO NOTHING""")
                    .bind("c", conversationId).bind("m", m.path("id").asLong()).execute();
            if (opened == 1) {
                Jobs.enqueue(h, NotifyCheck.KIND, null, Long.toString(conversationId), e.at().plus(delay));
            }
        }
    }
}
