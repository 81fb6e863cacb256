package app.parley.core;

/**
 * A caller's mistake, or a moment Parley cannot serve: a stable machine-readable {@code code}, a {@link Kind}, a
 * human message and, for a bad field, its name. The layers that speak a protocol turn it into their shape (http
 * maps the kind to a status; the sockets send the code in an error frame); nothing here knows about either.
 */
public final class Refusal extends RuntimeException {
    /** What sort of refusal: decides how a protocol reports it, never what the caller reads. */
    public enum Kind {
        BAD_REQUEST,
        UNAUTHENTICATED,
        FORBIDDEN,
        NOT_FOUND,
        CONFLICT,
        UNSUPPORTED_MEDIA_TYPE,
        INVALID,
        RATE_LIMITED,
        UNAVAILABLE
    }

    /** How long a caller refused as {@link Kind#UNAVAILABLE} waits before trying again (Parley restarts fast). */
    private static final int UNAVAILABLE_RETRY_SECONDS = 2;

    private final Kind kind;
    private final String code;
    private final String field;
    private final int retryAfterSeconds;

    private Refusal(Kind kind, String code, String message, String field, int retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Refusal(Kind kind, String code, String message, String field) {
        this(kind, code, message, field, 0);
    }

    public Refusal(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    public static Refusal badRequest(String code, String message) {
        return new Refusal(Kind.BAD_REQUEST, code, message);
    }

    public static Refusal invalid(String field, String message) {
        return new Refusal(Kind.INVALID, "validation_failed", message, field);
    }

    public static Refusal notFound(String what) {
        return new Refusal(Kind.NOT_FOUND, "not_found", what + " was not found.");
    }

    public static Refusal forbidden(String message) {
        return new Refusal(Kind.FORBIDDEN, "forbidden", message);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, "conflict", message);
    }

    /** Parley cannot serve now (restarting, database away); the caller may try again shortly. */
    public static Refusal unavailable(String code, String message) {
        return new Refusal(Kind.UNAVAILABLE, code, message, null, UNAVAILABLE_RETRY_SECONDS);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** Seconds the caller should wait before trying again, or 0 when waiting would not help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
