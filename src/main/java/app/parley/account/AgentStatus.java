package app.parley.account;

import com.fasterxml.jackson.annotation.JsonValue;

/** An agent's own chat status (docs/API.md, PATCH /auth/me): online agents take chats; away ones are signed in elsewhere or idle. */
public enum AgentStatus {
    ONLINE("online"), AWAY("away"), OFFLINE("offline");

    private final String wire;

    AgentStatus(String wire) {
        this.wire = wire;
    }

    /** The name in the database, the API and the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value (a row): an unknown one is a bug or a newer version's data, not a user's mistake. */
    public static AgentStatus fromWire(String wire) {
        for (AgentStatus v : values()) if (v.wire.equals(wire)) return v;
        throw new IllegalArgumentException("Unknown AgentStatus " + wire);
    }

    /** Reads a client's value: an unknown one is refused, naming the field and the values it takes. */
    public static AgentStatus parse(String field, String wire) {
        for (AgentStatus v : values()) if (v.wire.equals(wire)) return v;
        throw app.parley.core.Refusal.invalid(field, field + " is one of 'online', 'away', 'offline'.");
    }
}
