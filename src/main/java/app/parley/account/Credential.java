package app.parley.account;

import java.util.HexFormat;

/**
 * How a live connection signed in: a session or an API token (only its SHA-256, hex), and whose it is. Kept by
 * the socket so that it can be checked again while the connection stays open.
 */
public record Credential(long agentId, Kind kind, String hashHex) {
    public enum Kind { SESSION, API_TOKEN }

    public static Credential session(long agentId, String sessionToken) {
        return new Credential(agentId, Kind.SESSION, HexFormat.of().formatHex(Tokens.sha256(sessionToken)));
    }

    public static Credential apiToken(long agentId, String token) {
        return new Credential(agentId, Kind.API_TOKEN, HexFormat.of().formatHex(Tokens.sha256(token)));
    }
}
