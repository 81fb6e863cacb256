package app.parley.channel.messenger;

import java.time.Duration;
import java.time.Instant;

/**
 * Meta's rule for when a page may write to a person (Messenger Platform policy, message tags): within 24 hours of
 * the person's last message any reply ({@code messaging_type: RESPONSE}); up to 7 days only a reply a human typed,
 * tagged {@code HUMAN_AGENT}; after that nothing: the shop must answer from Facebook.
 */
public enum ReplyWindow {
    RESPONSE, HUMAN_AGENT, CLOSED;

    static final Duration STANDARD = Duration.ofHours(24);
    static final Duration HUMAN = Duration.ofDays(7);

    /** {@code byHuman}: an agent typed it (never a bot's or an automatic message). */
    public static ReplyWindow at(Instant lastCustomerMessage, Instant now, boolean byHuman) {
        if (lastCustomerMessage == null) return CLOSED;
        Duration since = Duration.between(lastCustomerMessage, now);
        if (since.compareTo(STANDARD) <= 0) return RESPONSE;
        if (byHuman && since.compareTo(HUMAN) <= 0) return HUMAN_AGENT;
        return CLOSED;
    }

    /** Until when a reply of this kind stays possible (null when closed). */
    public static Instant closesAt(Instant lastCustomerMessage, Instant now, boolean byHuman) {
        return switch (at(lastCustomerMessage, now, byHuman)) {
            case RESPONSE -> lastCustomerMessage.plus(STANDARD);
            case HUMAN_AGENT -> lastCustomerMessage.plus(HUMAN);
            case CLOSED -> null;
        };
    }
}
