package app.parley.store;

import java.time.Duration;

/**
 * When a job that failed is tried again: {@code base × 2^(attempt−1)}, at most {@code cap}; after
 * {@code maxAttempts} failures it is given up (a webhook delivery dead, a mail failed: kept for people to see).
 * Webhooks in production: 10 s, 20 s, 40 s … capped at 1 hour (360 × the base), 15 attempts (about 7.5 hours in
 * all); mail: 30 s, 1 min, 2 min … capped at an hour, 10 attempts.
 */
public record RetrySchedule(Duration base, Duration cap, int maxAttempts) {
    public static RetrySchedule standard(long baseMillis, int maxAttempts) {
        // The cap follows the base so that a test's quick base keeps quick retries however many it makes.
        return new RetrySchedule(Duration.ofMillis(baseMillis), Duration.ofMillis(baseMillis * 360), maxAttempts);
    }

    /** As {@link #standard}, the cap at most an hour. */
    public static RetrySchedule upToAnHour(long baseMillis, int maxAttempts) {
        return new RetrySchedule(Duration.ofMillis(baseMillis), Duration.ofMillis(Math.min(baseMillis * 120, 3_600_000)), maxAttempts);
    }

    /** The pause after the given failed attempt (1 for the first). */
    public Duration after(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = base.toMillis() << shift;
        return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
