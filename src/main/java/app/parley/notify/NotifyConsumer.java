package app.parley.notify;

import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.Jobs;
import app.parley.store.LoggedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that opens a notification burst when a visitor writes: the first message of a burst
 * queues one check about two minutes later (a job, so a restart in between changes nothing); the messages after it
 * join the same mail. Automatic mails never reach here: they make no message.
 */
public final class NotifyConsumer implements EventHandler {
    public static final String NAME = "notify";

    private static final Set<String> MESSAGE_FIELDS = Set.of("id", "kind", "sub_type");

    private final Duration delay;

    public NotifyConsumer(Duration delay) {
        this.delay = delay;
    }

    @Override
    public Set<EventType> types() {
        return Set.of(EventType.MESSAGE_CREATED);
    }

    /** The check comes two minutes later: a quarter of a second more lets a busy minute's messages share one batch. */
    @Override
    public Duration gather() {
        return Duration.ofMillis(250);
    }

    @Override
    public int batchSize() {
        return 5_000;
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        // The first visitor message of each conversation in the batch may open its burst: one statement for all.
        Map<Long, Long> firstMessage = new LinkedHashMap<>();
        Map<Long, Instant> firstAt = new HashMap<>();
        for (LoggedEvent e : events) {
            if (!EventType.MESSAGE_CREATED.wire().equals(e.event().type()) || e.event().agentPayload() == null) continue;
            Map<String, String> m = Json.scalars(e.event().agentPayload(), MESSAGE_FIELDS);
            if (!MessageKind.MESSAGE.wire().equals(m.get("kind")) || !MessageSubType.CONTACT.wire().equals(m.get("sub_type"))
                    || m.get("id") == null) {
                continue;
            }
            long conversationId = e.event().conversationId();
            if (firstMessage.putIfAbsent(conversationId, Long.parseLong(m.get("id"))) == null) firstAt.put(conversationId, e.at());
        }
        if (firstMessage.isEmpty()) return;
        List<Long> opened = h.createQuery("""
                        INSERT INTO notification_bursts (conversation_id, since_message_id)
                        SELECT * FROM unnest(:c, :m) ON CONFLICT (conversation_id) DO NOTHING
                        RETURNING conversation_id""")
                .bindArray("c", Long.class, List.copyOf(firstMessage.keySet()))
                .bindArray("m", Long.class, List.copyOf(firstMessage.values()))
                .mapTo(Long.class).list();
        for (long conversationId : opened) {
            Jobs.enqueue(h, NotifyCheck.KIND, null, Long.toString(conversationId), firstAt.get(conversationId).plus(delay));
        }
    }
}
