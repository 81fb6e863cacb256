package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A conversation's status (docs/API.md): open while worked on, closed once resolved; Smartsupp's pending is not
 * used.
 */
public enum ConversationStatus {
    OPEN("open"), CLOSED("closed");

    private final String wire;

    ConversationStatus(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static ConversationStatus fromWire(String wire) {
        for (ConversationStatus v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown ConversationStatus " + wire);
    }

    /** Reads a client's value: an unknown one is refused, naming the field and the values it takes. */
    public static ConversationStatus parse(String field, String wire) {
        for (ConversationStatus v : values()) if (v.wire.equals(wire)) return v;
        throw app.parley.core.Refusal.invalid(field, field + " is one of 'open', 'closed'.");
    }
}
