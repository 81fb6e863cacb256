package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who ended a conversation (docs/PRODUCT.md §1.1): the visitor from the chat box, or an agent resolving it. */
public enum CloseType {
    VISITOR_CLOSE("visitor_close"), AGENT_CLOSE("agent_close");

    private final String wire;

    CloseType(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static CloseType fromWire(String wire) {
        for (CloseType v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown CloseType " + wire);
    }
}
