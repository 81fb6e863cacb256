package app.parley.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Per-key budgets (Bucket4j token buckets): answers 429 with {@code Retry-After} when one is spent. Failed
 * sign-ins are budgeted per IP address against password guessing; REST calls per agent or API token; new
 * visitors and new conversations per IP address against a script opening chats.
 */
final class Throttle {
    private static final int MAX_KEYS = 50_000;

    private final Buckets buckets;

    /** {@code capacity} at once, refilled evenly over {@code period}. */
    Throttle(long capacity, Duration period) {
        this(capacity, period, MAX_KEYS);
    }

    Throttle(long capacity, Duration period, int maxKeys) {
        this(new LocalBuckets(limit(capacity, period), maxKeys));
    }

    Throttle(Buckets buckets) {
        this.buckets = buckets;
    }

    static Bandwidth limit(long capacity, Duration period) {
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build();
    }

    /** Takes one from the key's budget, or refuses with a 429 when it is spent. */
    void check(String key) {
        ConsumptionProbe probe = buckets.of(key).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) throw new RetryLater(seconds(probe.getNanosToWaitForRefill()));
    }

    /** Takes one if any is left; returns whether it did. */
    boolean tryTake(String key) {
        return buckets.of(key).tryConsume(1);
    }

    /** Returns one taken for an attempt that turned out not to count (a sign-in that succeeded, say). */
    void giveBack(String key) {
        buckets.of(key).addTokens(1);
    }

    private static int seconds(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999_999L) / 1_000_000_000L));
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
