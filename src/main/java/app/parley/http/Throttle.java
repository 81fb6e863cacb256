package app.parley.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request budgets for the REST API: answers 429 with {@code Retry-After} when one is spent. Sign-in is
 * budgeted per IP address against password guessing; everything else per agent or API token.
 */
final class Throttle {
    private static final int MAX_KEYS = 50_000;

    private final double perSecond;
    private final double burst;
    private final int retryAfterSeconds;
    private final Map<String, RateLimit> buckets = new ConcurrentHashMap<>();

    Throttle(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.retryAfterSeconds = (int) Math.max(1, Math.ceil(1 / perSecond));
    }

    /** Refuses when the key's budget is spent, without spending any. */
    void checkNotSpent(String key) {
        RateLimit bucket = buckets.get(key);
        if (bucket != null && !bucket.hasToken()) throw new RetryLater(retryAfterSeconds);
    }

    /** Spends one from the key's budget (a failed sign-in, say) whether or not any is left. */
    void spend(String key) {
        if (buckets.size() > MAX_KEYS) buckets.clear();
        buckets.computeIfAbsent(key, k -> new RateLimit(perSecond, burst)).take();
    }

    void check(String key) {
        // Bounded memory under a flood of new keys: forgetting everyone only makes the budgets generous again.
        if (buckets.size() > MAX_KEYS) buckets.clear();
        if (!buckets.computeIfAbsent(key, k -> new RateLimit(perSecond, burst)).take()) {
            throw new RetryLater(retryAfterSeconds);
        }
    }

    /** A 429 that says when to come back. */
    static final class RetryLater extends RuntimeException {
        final int seconds;

        RetryLater(int seconds) {
            super("Too many requests; try again in " + seconds + " s.", null, false, false);
            this.seconds = seconds;
        }
    }
}
