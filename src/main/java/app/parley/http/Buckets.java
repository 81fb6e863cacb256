package app.parley.http;

import io.github.bucket4j.Bucket;

/**
 * Where a {@link Throttle}'s token buckets live, one per key. {@link LocalBuckets} keeps them in this process; a
 * Parley of several nodes can keep them in PostgreSQL instead through a {@code ProxyManager} of
 * {@code bucket4j_jdk17-postgresql} ({@code proxyManager.builder().build(name + key, () -> configuration)}),
 * without the throttles changing.
 */
interface Buckets {
    Bucket of(String key);
}
