package app.parley.store;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every durable event type the sockets carry and the event log stores (docs/PROTOCOL.md), by its wire name. One
 * list for all features: the event log sits below them and cannot import their types.
 */
public enum EventType {
    MESSAGE_CREATED("message.created"),
    MESSAGE_UPDATED("message.updated"),
    CONVERSATION_CREATED("conversation.created"),
    CONVERSATION_UPDATED("conversation.updated"),
    CONVERSATION_READ("conversation.read"),
    AGENT_UPDATED("agent.updated"),
    VISITOR_UPDATED("visitor.updated"),
    CONTACT_CREATED("contact.created"),
    CONTACT_UPDATED("contact.updated"),
    GROUP_CREATED("group.created"),
    GROUP_UPDATED("group.updated"),
    GROUP_DELETED("group.deleted"),
    TAG_CREATED("tag.created"),
    TAG_UPDATED("tag.updated"),
    TAG_DELETED("tag.deleted");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static EventType fromWire(String wire) {
        for (EventType v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown EventType " + wire);
    }
}
