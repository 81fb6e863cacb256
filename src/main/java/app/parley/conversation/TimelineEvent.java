package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonValue;

/** The timeline events a thread holds (docs/PRODUCT.md §1.3), a message of kind event names one in event_type. */
public enum TimelineEvent {
    AGENT_JOIN("agent_join"),
    AGENT_LEAVE("agent_leave"),
    AGENT_ASSIGN("agent_assign"),
    AGENT_UNASSIGN("agent_unassign"),
    CHAT_CLOSE("chat_close"),
    CHAT_RATED("chat_rated"),
    CHAT_REOPEN("chat_reopen");

    private final String wire;

    TimelineEvent(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static TimelineEvent fromWire(String wire) {
        for (TimelineEvent v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown TimelineEvent " + wire);
    }
}
