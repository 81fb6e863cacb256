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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns Parley's committed events into webhook envelopes. The data comes only from the event's stored agent
 * payload, which was built from already masked rows: a card number typed into a chat never reaches a webhook.
 *
 * <p>Two steps, as delivery uses them: {@link #classify} names the webhook event of a committed event (the consumer
 * does it once, to match subscriptions), and {@link #render} writes the envelope around the stored payload (the
 * sender does it each time it posts, from the event log: the body is not stored). Both are pure functions of the
 * stored event, so a retry or a resend sends the same bytes.
 */
public final class WebhookPayloads {
    /** One webhook event made from one committed event; {@code conversationId} orders deliveries. */
    public record Outgoing(WebhookEvent event, Long conversationId, String body) {}

    /** Which webhook event a committed event is; its body is {@link #render}ed when it is sent. */
    public record Classified(WebhookEvent event, Long conversationId) {}

    private WebhookPayloads() {}

    /** The event and its body at once (tests, tools); delivery classifies and renders at different times. */
    public static Optional<Outgoing> of(LoggedEvent logged) {
        Event e = logged.event();
        return classify(logged).map(c -> new Outgoing(c.event(), c.conversationId(),
                render(c.event().wire(), e.type(), logged.at(), e.accountId(), e.conversationId(), e.agentPayload())));
    }

    public static Optional<Classified> classify(LoggedEvent logged) {
        Event e = logged.event();
        if (e.agentPayload() == null) return Optional.empty();
        WebhookEvent event = switch (known(EventType::fromWire, e.type())) {
            case MESSAGE_CREATED -> fromMessage(e.agentPayload());
            case CONVERSATION_CREATED -> WebhookEvent.CONVERSATION_OPENED;
            case MESSAGE_UPDATED -> fromDelivery(e.agentPayload());
            case CONTACT_CREATED -> WebhookEvent.CONTACT_CREATED;
            case CONTACT_UPDATED -> WebhookEvent.CONTACT_UPDATED;
            case null, default -> null;
        };
        if (event == null) return Optional.empty();
        boolean contact = event == WebhookEvent.CONTACT_CREATED || event == WebhookEvent.CONTACT_UPDATED;
        return Optional.of(new Classified(event, contact ? null : e.conversationId()));
    }

    /**
     * The envelope around a stored event's agent payload, written as text: the payload goes in as it is (it is JSON
     * Parley wrote, and {@link Fields} has streamed over it), and the other members are numbers and names that need
     * no escaping. The same bytes as building the tree and writing it ({@link #envelope}), for a fraction of the CPU:
     * a delivery per chat message renders at the chat's rate. Null if the event type has no webhook.
     */
    public static String render(String webhookEvent, String eventType, Instant at, long accountId, Long conversationId,
                                String agentPayload) {
        EventType type = known(EventType::fromWire, eventType);
        // The data member that holds the payload (JSON member names, as the tree-built envelope writes them).
        String member = switch (type) {
            case MESSAGE_CREATED, MESSAGE_UPDATED -> "\"message\":";
            case CONVERSATION_CREATED -> "\"conversation\":";
            case CONTACT_CREATED, CONTACT_UPDATED -> "\"contact\":";
            case null, default -> null;
        };
        if (member == null || agentPayload == null) return null;
        StringBuilder s = new StringBuilder(agentPayload.length() + 160)
                .append("{\"type\":\"event_callback\",\"event\":\"").append(webhookEvent)
                .append("\",\"timestamp\":\"").append(at).append("\",\"account_id\":").append(accountId)
                .append(",\"data\":{");
        boolean ofContact = type == EventType.CONTACT_CREATED || type == EventType.CONTACT_UPDATED;
        if (!ofContact) s.append("\"conversation_id\":").append(conversationId).append(',');
        return s.append(member).append(agentPayload).append("}}").toString();
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

    private static WebhookEvent fromMessage(String payload) {
        Fields message = Fields.of(payload);
        return switch (known(MessageKind::fromWire, message.kind())) {
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
    }

    /** An email reply's delivery report: sent, or failed with the reason (a refused address, a bounce). */
    private static WebhookEvent fromDelivery(String payload) {
        return switch (Fields.of(payload).deliveryStatus()) {
            case "sent" -> WebhookEvent.CONVERSATION_MESSAGE_DELIVERED;
            case "failed" -> WebhookEvent.CONVERSATION_MESSAGE_DELIVERY_FAILED;
            default -> null;
        };
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
