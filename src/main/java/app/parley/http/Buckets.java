package app.parley.http;

import io.github.bucket4j.Bucket;

/**
 * Where a {@link Throttle}'s token buckets live, one per key: {@link LocalBuckets} in this process, or PostgreSQL
 * ({@code store.SharedBuckets}) for the budgets {@link Throttles} shares between nodes; the throttles do not change.
 */
interface Buckets {
    Bucket of(String key);
}
