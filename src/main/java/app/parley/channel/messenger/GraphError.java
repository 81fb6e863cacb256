package app.parley.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error in Meta's shape ({@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}) and what it
 * means for Parley (docs/MESSENGER.md; Meta's Messenger error codes and Graph API error handling).
 */
public record GraphError(int httpStatus, int code, Integer subcode, String type, String message, String userMessage) {
    /** What Parley does about it. */
    public enum Meaning {
        /** 190: the page token expired or was revoked: the page must be reconnected. */
        TOKEN_INVALID,
        /** 10 / 2018278: outside the 24 h / 7 day window. */
        OUTSIDE_WINDOW,
        /** 551: the person cannot receive messages now. */
        UNAVAILABLE_RECIPIENT,
        /** 100 / 2018001: no such person for this page. */
        NO_SUCH_USER,
        /** 1, 2, rate limits (4, 17, 32, 613), 5xx: try again later. */
        TRANSIENT,
        /** Anything else: a request Meta refuses; retrying will not help. */
        REFUSED
    }

    static GraphError of(int httpStatus, JsonNode body) {
        JsonNode e = body == null ? null : body.get("error");
        if (e == null || !e.isObject()) {
            return new GraphError(httpStatus, 0, null, null, "Meta answered " + httpStatus + " without an error body", null);
        }
        return new GraphError(httpStatus, e.path("code").asInt(0),
                e.hasNonNull("error_subcode") ? e.get("error_subcode").asInt() : null,
                e.path("type").asText(null), e.path("message").asText(""), e.path("error_user_msg").asText(null));
    }

    public Meaning meaning() {
        return switch (code) {
            case 190 -> Meaning.TOKEN_INVALID;
            case 10 -> subcode == null || subcode == 2018278 ? Meaning.OUTSIDE_WINDOW : Meaning.REFUSED;
            case 551 -> Meaning.UNAVAILABLE_RECIPIENT;
            case 100 -> subcode != null && subcode == 2018001 ? Meaning.NO_SUCH_USER : Meaning.REFUSED;
            case 1, 2, 4, 17, 32, 613 -> Meaning.TRANSIENT;
            default -> httpStatus >= 500 || httpStatus == 429 ? Meaning.TRANSIENT : Meaning.REFUSED;
        };
    }

    /** A stable code for the API and the dashboard. */
    public String reason() {
        return switch (meaning()) {
            case TOKEN_INVALID -> "token_invalid";
            case OUTSIDE_WINDOW -> "outside_window";
            case UNAVAILABLE_RECIPIENT -> "recipient_unavailable";
            case NO_SUCH_USER -> "no_such_user";
            case TRANSIENT -> "meta_unavailable";
            case REFUSED -> "refused";
        };
    }

    /** What an agent reads under a failed message: Meta's words explained. */
    public String explained() {
        String meta = " (Meta: " + clip(message) + ", code " + code + (subcode == null ? "" : "/" + subcode) + ")";
        return switch (meaning()) {
            case TOKEN_INVALID -> "The page's access token has expired or was revoked: an admin must reconnect the page." + meta;
            case OUTSIDE_WINDOW -> "Outside the allowed window: Messenger accepts replies within 24 hours of the customer's last message (7 days for a person's reply)." + meta;
            case UNAVAILABLE_RECIPIENT -> "This person cannot receive messages right now." + meta;
            case NO_SUCH_USER -> "Messenger does not know this person for this page." + meta;
            case TRANSIENT -> "Meta could not take the message now; Parley kept trying and gave up." + meta;
            case REFUSED -> "Meta refused the message." + meta;
        };
    }

    private static String clip(String s) {
        if (s == null) return "";
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
