package app.parley.webhook;

import app.parley.conversation.CloseType;
import app.parley.conversation.MessageKind;
import app.parley.conversation.MessageSubType;
import app.parley.conversation.TimelineEvent;
import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.EventType;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
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
                yield Optional.of(outgoing(WebhookEvent.CONVERSATION_OPENED, logged, e.conversationId(), "conversation", e.agentPayload()));
            }
            case MESSAGE_UPDATED -> fromDelivery(logged);
            case CONTACT_CREATED, CONTACT_UPDATED -> {
                WebhookEvent event = e.type().equals(EventType.CONTACT_CREATED.wire()) ? WebhookEvent.CONTACT_CREATED : WebhookEvent.CONTACT_UPDATED;
                yield Optional.of(outgoing(event, logged, null, "contact", e.agentPayload()));
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
        return Optional.of(outgoing(event, logged, e.conversationId(), "message", e.agentPayload()));
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
        return Optional.of(outgoing(event, logged, e.conversationId(), "message", e.agentPayload()));
    }

    /**
     * The few fields of a stored message that name its webhook event, read by streaming over it (which also checks it
     * is whole JSON) rather than building its tree: a delivery per chat message does this at the chat's rate.
     */
    private record Fields(String kind, String subType, String eventType, String closeType, String deliveryStatus) {
        static Fields of(String json) {
            String[] top = new String[3];
            String[] data = new String[2];
            try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
                if (p.nextToken() != JsonToken.START_OBJECT) return new Fields("", "", "", "", "");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "kind" -> top[0] = text(p, value);
                        case "sub_type" -> top[1] = text(p, value);
                        case "event_type" -> top[2] = text(p, value);
                        case "data" -> {
                            if (value != JsonToken.START_OBJECT) {
                                p.skipChildren();
                                continue;
                            }
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String inner = p.currentName();
                                JsonToken v = p.nextToken();
                                switch (inner) {
                                    case "close_type" -> data[0] = text(p, v);
                                    case "delivery_status" -> data[1] = text(p, v);
                                    default -> p.skipChildren();
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                return new Fields(top[0], top[1], top[2], data[0], data[1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** As JsonNode.asText() read it: a missing or non-text field is "". */
        private static String text(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) return p.getText();
            p.skipChildren();
            return "";
        }

        @Override
        public String closeType() {
            return closeType == null ? "" : closeType;
        }

        @Override
        public String deliveryStatus() {
            return deliveryStatus == null ? "" : deliveryStatus;
        }

        @Override
        public String kind() {
            return kind == null ? "" : kind;
        }

        @Override
        public String subType() {
            return subType == null ? "" : subType;
        }

        @Override
        public String eventType() {
            return eventType == null ? "" : eventType;
        }
    }

    /**
     * The envelope around the stored payload, written as it is: it is JSON Parley wrote, so re-reading and re-writing
     * it would only cost CPU at the chat's rate.
     */
    private static Outgoing outgoing(WebhookEvent event, LoggedEvent logged, Long conversationId, String field, String payload) {
        try (java.io.StringWriter out = new java.io.StringWriter(payload.length() + 160);
             JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "event_callback");
            g.writeStringField("event", event.wire());
            g.writeStringField("timestamp", logged.at().toString());
            g.writeNumberField("account_id", logged.event().accountId());
            g.writeObjectFieldStart("data");
            if (!field.equals("contact")) {
                g.writeFieldName("conversation_id");
                if (conversationId == null) g.writeNull();
                else g.writeNumber(conversationId);
            }
            g.writeFieldName(field);
            g.writeRawValue(payload);
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            return new Outgoing(event, conversationId, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
