package app.parley.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The events an endpoint can subscribe to, with Smartsupp's names (docs/WEBHOOKS.md); Parley sends every one. */
public enum WebhookEvent {
    CONVERSATION_OPENED("conversation.opened"),
    CONVERSATION_CLOSED("conversation.closed"),
    CONVERSATION_CLOSED_BY_CONTACT("conversation.closed_by_contact"),
    CONVERSATION_RATED("conversation.rated"),
    CONVERSATION_AGENT_ASSIGNED("conversation.agent_assigned"),
    CONVERSATION_AGENT_UNASSIGNED("conversation.agent_unassigned"),
    CONVERSATION_AGENT_JOINED("conversation.agent_joined"),
    CONVERSATION_AGENT_LEFT("conversation.agent_left"),
    CONVERSATION_AGENT_REPLIED("conversation.agent_replied"),
    CONVERSATION_CONTACT_REPLIED("conversation.contact_replied"),
    CONVERSATION_MESSAGE_DELIVERED("conversation.message_delivered"),
    CONVERSATION_MESSAGE_DELIVERY_FAILED("conversation.message_delivery_failed"),
    CONTACT_CREATED("contact.created"),
    CONTACT_UPDATED("contact.updated"),
    VISITOR_CONNECTED("visitor.connected"),
    VISITOR_DISCONNECTED("visitor.disconnected");

    /** Sent by "send test event"; nobody subscribes to it. */
    public static final String TEST = "webhook.test";

    private final String wire;

    WebhookEvent(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }


    public static Optional<WebhookEvent> parse(String name) {
        return Arrays.stream(values()).filter(e -> e.wire.equals(name)).findFirst();
    }
}
