package app.parley.webhook;

import app.parley.json.Json;
import app.parley.realtime.Event;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

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
        return switch (e.type()) {
            case "message.created" -> fromMessage(logged);
            case "conversation.created" -> {
                ObjectNode data = Json.object();
                data.put("conversation_id", e.conversationId());
                data.set("conversation", parse(e.agentPayload()));
                yield Optional.of(outgoing(WebhookEvent.CONVERSATION_OPENED, logged, e.conversationId(), data));
            }
            case "contact.updated" -> {
                ObjectNode data = Json.object();
                data.set("contact", parse(e.agentPayload()));
                yield Optional.of(outgoing(WebhookEvent.CONTACT_UPDATED, logged, null, data));
            }
            default -> Optional.empty();
        };
    }

    private static Optional<Outgoing> fromMessage(LoggedEvent logged) {
        Event e = logged.event();
        JsonNode message = parse(e.agentPayload());
        String kind = message.path("kind").asText();
        WebhookEvent event = switch (kind) {
            case "message" -> switch (message.path("sub_type").asText()) {
                case "agent" -> WebhookEvent.CONVERSATION_AGENT_REPLIED;
                case "contact" -> WebhookEvent.CONVERSATION_CONTACT_REPLIED;
                default -> null;
            };
            case "event" -> switch (message.path("event_type").asText()) {
                case "chat_close" -> "visitor_close".equals(message.path("data").path("close_type").asText())
                        ? WebhookEvent.CONVERSATION_CLOSED_BY_CONTACT : WebhookEvent.CONVERSATION_CLOSED;
                case "chat_reopen" -> WebhookEvent.CONVERSATION_OPENED;
                case "chat_rated" -> WebhookEvent.CONVERSATION_RATED;
                case "agent_assign" -> WebhookEvent.CONVERSATION_AGENT_ASSIGNED;
                case "agent_unassign" -> WebhookEvent.CONVERSATION_AGENT_UNASSIGNED;
                case "agent_join" -> WebhookEvent.CONVERSATION_AGENT_JOINED;
                case "agent_leave" -> WebhookEvent.CONVERSATION_AGENT_LEFT;
                default -> null;
            };
            default -> null; // notes stay inside the team
        };
        if (event == null) return Optional.empty();
        ObjectNode data = Json.object();
        data.put("conversation_id", e.conversationId());
        data.set("message", message);
        return Optional.of(outgoing(event, logged, e.conversationId(), data));
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

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
