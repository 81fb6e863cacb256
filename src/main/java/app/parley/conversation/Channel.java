package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a conversation and its messages arrive (docs/PRODUCT.md §2): the chat box, Messenger or email. */
public enum Channel {
    CHAT("chat"), FACEBOOK("facebook"), EMAIL("email");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static Channel fromWire(String wire) {
        for (Channel v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown Channel " + wire);
    }
}
