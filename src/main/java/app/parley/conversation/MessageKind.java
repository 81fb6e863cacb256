package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * What a thread item is (docs/PRODUCT.md §1.3): a message between visitor and agents, an agent-only note, or a
 * timeline event.
 */
public enum MessageKind {
    MESSAGE("message"), NOTE("note"), EVENT("event");

    private final String wire;

    MessageKind(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static MessageKind fromWire(String wire) {
        for (MessageKind v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown MessageKind " + wire);
    }

    /**
     * What an agent may write (docs/API.md, POST …/messages {@code type}): a message (the default) or a note;
     * timeline events are the server's own.
     */
    public static MessageKind agentWritten(String type) {
        if (type == null) return MESSAGE;
        for (MessageKind v : List.of(MESSAGE, NOTE)) if (v.wire.equals(type)) return v;
        throw app.parley.core.Refusal.invalid("type", "type is 'message' or 'note'.");
    }
}
