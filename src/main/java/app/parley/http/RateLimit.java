package app.parley.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;

/** One socket's token bucket: {@code perSecond} on average, bursts up to {@code burst}. */
final class RateLimit {
    private final Bucket bucket;

    RateLimit(double perSecond, double burst) {
        // One token every 1/perSecond s, refilled continuously (greedy), as the hand-written bucket did.
        Duration everyToken = Duration.ofNanos(Math.max(1, (long) (1e9 / perSecond)));
        // A socket's frames arrive one at a time: a plain lock, uncontended, mutates the bucket in place, where the
        // default lock-free bucket copied its state on every frame (a tenth of the socket threads' samples).
        this.bucket = Bucket.builder()
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .addLimit(Bandwidth.builder().capacity(Math.max(1, (long) burst)).refillGreedy(1, everyToken).build())
                .build();
    }

    boolean take() {
        return bucket.tryConsume(1);
    }
}
