package app.parley.channel.email;

import java.time.Duration;

/**
 * When a mail that could not be handed over is tried again: {@code base × 2^(attempt−1)}, at most an hour; after
 * {@code maxAttempts} it has failed. Production: 30 s, 1 min, 2 min … about 8 hours over 10 attempts. The same
 * shape as the webhooks' schedule; its own copy because features do not use each other.
 */
public record MailRetry(Duration base, Duration cap, int maxAttempts) {
    public static MailRetry of(long baseMillis, int maxAttempts) {
        return new MailRetry(Duration.ofMillis(baseMillis), Duration.ofMillis(Math.min(baseMillis * 120, 3_600_000)), maxAttempts);
    }

    public Duration after(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = base.toMillis() << shift;
        return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
