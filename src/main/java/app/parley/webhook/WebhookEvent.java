package app.parley.webhook;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events an endpoint can subscribe to, with Smartsupp's names (docs/WEBHOOKS.md). Those marked
 * {@code emitted = false} are accepted in a subscription for compatibility but Parley has no committed event
 * that produces them yet, so none is ever sent.
 */
public enum WebhookEvent {
    CONVERSATION_OPENED("conversation.opened", true),
    CONVERSATION_CLOSED("conversation.closed", true),
    CONVERSATION_CLOSED_BY_CONTACT("conversation.closed_by_contact", true),
    CONVERSATION_RATED("conversation.rated", true),
    CONVERSATION_AGENT_ASSIGNED("conversation.agent_assigned", true),
    CONVERSATION_AGENT_UNASSIGNED("conversation.agent_unassigned", true),
    CONVERSATION_AGENT_JOINED("conversation.agent_joined", true),
    CONVERSATION_AGENT_LEFT("conversation.agent_left", true),
    CONVERSATION_AGENT_REPLIED("conversation.agent_replied", true),
    CONVERSATION_CONTACT_REPLIED("conversation.contact_replied", true),
    CONVERSATION_MESSAGE_DELIVERED("conversation.message_delivered", true),
    CONVERSATION_MESSAGE_DELIVERY_FAILED("conversation.message_delivery_failed", true),
    CONTACT_CREATED("contact.created", true),
    CONTACT_UPDATED("contact.updated", true),
    VISITOR_CONNECTED("visitor.connected", true),
    VISITOR_DISCONNECTED("visitor.disconnected", true);

    /** Sent by "send test event"; nobody subscribes to it. */
    public static final String TEST = "webhook.test";

    private final String wire;
    private final boolean emitted;

    WebhookEvent(String wire, boolean emitted) {
        this.wire = wire;
        this.emitted = emitted;
    }

    public String wire() {
        return wire;
    }

    public boolean emitted() {
        return emitted;
    }

    public static Optional<WebhookEvent> parse(String name) {
        return Arrays.stream(values()).filter(e -> e.wire.equals(name)).findFirst();
    }
}
