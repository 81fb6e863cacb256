package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which side read a conversation up to a message (docs/PROTOCOL.md, conversation.read's reader). */
public enum Reader {
    AGENT("agent"), VISITOR("visitor");

    private final String wire;

    Reader(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static Reader fromWire(String wire) {
        for (Reader v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown Reader " + wire);
    }
}
