package app.parley.webhook;

import app.parley.conversation.CloseType;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.conversation.TimelineEvent;
import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.EventType;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns Parley's committed events into webhook envelopes. The data comes only from the event's stored agent
 * payload, which was built from already masked rows: a card number typed into a chat never reaches a webhook.
 */
public final class WebhookPayloads {
    /** One webhook event made from one committed event; {@code conversationId} orders deliveries. */
    public record Outgoing(WebhookEvent event, Long conversationId, String body) {}

    private WebhookPayloads() {}

    public static Optional<Outgoing> of(LoggedEvent logged) {
        Event e = logged.event();
        if (e.agentPayload() == null) return Optional.empty();
        return switch (known(EventType::fromWire, e.type())) {
            case MESSAGE_CREATED -> fromMessage(logged);
            case CONVERSATION_CREATED -> {
                ObjectNode data = Json.object();
                data.put("conversation_id", e.conversationId());
                data.set("conversation", stored(e.agentPayload()));
                yield Optional.of(outgoing(WebhookEvent.CONVERSATION_OPENED, logged, e.conversationId(), data));
            }
            case MESSAGE_UPDATED -> fromDelivery(logged);
            case CONTACT_CREATED, CONTACT_UPDATED -> {
                WebhookEvent event = e.type().equals(EventType.CONTACT_CREATED.wire()) ? WebhookEvent.CONTACT_CREATED : WebhookEvent.CONTACT_UPDATED;
                ObjectNode data = Json.object();
                data.set("contact", stored(e.agentPayload()));
                yield Optional.of(outgoing(event, logged, null, data));
            }
            case null, default -> Optional.empty();
        };
    }

    /**
     * A stored name as its enum, or null for one this version does not know (written by a newer Parley, say): such
     * an event is not sent, rather than stopping the consumer on it for ever.
     */
    private static <E extends Enum<E>> E known(Function<String, E> fromWire, String wire) {
        try {
            return fromWire.apply(wire);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static Optional<Outgoing> fromMessage(LoggedEvent logged) {
        Event e = logged.event();
        Fields message = Fields.of(e.agentPayload());
        WebhookEvent event = switch (known(MessageKind::fromWire, message.kind())) {
            case MESSAGE -> switch (known(MessageSubType::fromWire, message.subType())) {
                case AGENT -> WebhookEvent.CONVERSATION_AGENT_REPLIED;
                case CONTACT -> WebhookEvent.CONVERSATION_CONTACT_REPLIED;
                case null, default -> null;
            };
            case EVENT -> switch (known(TimelineEvent::fromWire, message.eventType())) {
                case CHAT_CLOSE -> CloseType.VISITOR_CLOSE.wire().equals(message.closeType())
                        ? WebhookEvent.CONVERSATION_CLOSED_BY_CONTACT : WebhookEvent.CONVERSATION_CLOSED;
                case CHAT_REOPEN -> WebhookEvent.CONVERSATION_OPENED;
                case CHAT_RATED -> WebhookEvent.CONVERSATION_RATED;
                case AGENT_ASSIGN -> WebhookEvent.CONVERSATION_AGENT_ASSIGNED;
                case AGENT_UNASSIGN -> WebhookEvent.CONVERSATION_AGENT_UNASSIGNED;
                case AGENT_JOIN -> WebhookEvent.CONVERSATION_AGENT_JOINED;
                case AGENT_LEAVE -> WebhookEvent.CONVERSATION_AGENT_LEFT;
                case null -> null;
            };
            case NOTE -> null; // notes stay inside the team
            case null -> null;
        };
        if (event == null) return Optional.empty();
        ObjectNode data = Json.object();
        data.put("conversation_id", e.conversationId());
        data.set("message", stored(e.agentPayload()));
        return Optional.of(outgoing(event, logged, e.conversationId(), data));
    }

    /** An email reply's delivery report: sent, or failed with the reason (a refused address, a bounce). */
    private static Optional<Outgoing> fromDelivery(LoggedEvent logged) {
        Event e = logged.event();
        WebhookEvent event = switch (Fields.of(e.agentPayload()).deliveryStatus()) {
            case "sent" -> WebhookEvent.CONVERSATION_MESSAGE_DELIVERED;
            case "failed" -> WebhookEvent.CONVERSATION_MESSAGE_DELIVERY_FAILED;
            default -> null;
        };
        if (event == null) return Optional.empty();
        ObjectNode data = Json.object();
        data.put("conversation_id", e.conversationId());
        data.set("message", stored(e.agentPayload()));
        return Optional.of(outgoing(event, logged, e.conversationId(), data));
    }

    /**
     * The few fields of a stored message that name its webhook event, read by streaming over it ({@link Json#scalars})
     * rather than building its tree: a delivery per chat message does this at the chat's rate. Missing is "".
     */
    private record Fields(String kind, String subType, String eventType, String closeType, String deliveryStatus) {
        private static final Set<String> NAMES = Set.of("kind", "sub_type", "event_type", "data.close_type", "data.delivery_status");

        static Fields of(String json) {
            Map<String, String> f = Json.scalars(json, NAMES);
            return new Fields(f.getOrDefault("kind", ""), f.getOrDefault("sub_type", ""), f.getOrDefault("event_type", ""),
                    f.getOrDefault("data.close_type", ""), f.getOrDefault("data.delivery_status", ""));
        }
    }

    /**
     * The stored payload as it is, to be written into the envelope without being read again: it is JSON Parley wrote
     * (and {@link Fields} has just streamed over it), so parsing it into a tree and writing that back would only cost
     * CPU at the chat's rate.
     */
    private static JsonNode stored(String json) {
        return JsonNodeFactory.instance.rawValueNode(new RawValue(json));
    }

    private static Outgoing outgoing(WebhookEvent event, LoggedEvent logged, Long conversationId, JsonNode data) {
        return new Outgoing(event, conversationId, envelope(event.wire(), logged.at(), logged.event().accountId(), data));
    }

    /** The envelope Smartsupp uses: {@code {type: "event_callback", event, timestamp, account_id, data}}. */
    static String envelope(String event, Instant at, long accountId, JsonNode data) {
        ObjectNode o = Json.object();
        o.put("type", "event_callback");
        o.put("event", event);
        o.put("timestamp", at.toString());
        o.put("account_id", accountId);
        o.set("data", data);
        return Json.write(o);
    }

}
