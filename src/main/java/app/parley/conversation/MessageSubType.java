package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who wrote a thread item (docs/PROTOCOL.md, a message object's sub_type). */
public enum MessageSubType {
    AGENT("agent"), CONTACT("contact"), SYSTEM("system"), BOT("bot");

    private final String wire;

    MessageSubType(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static MessageSubType fromWire(String wire) {
        for (MessageSubType v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown MessageSubType " + wire);
    }
}
