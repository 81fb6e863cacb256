package app.parley.http;

import app.parley.store.SharedBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * Where each budget lives (issue #15). One node keeps every budget in memory: exact, and free. With several nodes
 * behind a load balancer (PARLEY_CLUSTER on) a budget kept per node would be N times looser and would restart with
 * the node, so the budgets that guard security or cost are kept in PostgreSQL ({@link SharedBuckets}), at one short
 * transaction per take:
 * <ul>
 *   <li>{@link #shared}: failed sign-ins and password tries (guessing), new visitors and new conversations per IP
 *       address (a script opening chats), REST calls per agent or token, uploads and test sends (cost). These are
 *       taken once per request or per new chat, never per chat message.</li>
 *   <li>{@link #local}: the per-socket message and frame rates ({@link RateLimit}, one per socket, which lives on one
 *       node, so a per-node bucket is the whole truth) and the session recorder's chunks (a chunk every few seconds
 *       per recorded visitor: a round trip each would cost more than the chunk's own insert; a node's bucket bounds
 *       what one node stores). {@link PasswordSlots} bound this process's heap, so they are per node by nature.</li>
 * </ul>
 */
public final class Throttles {
    private final SharedBuckets shared;

    private Throttles(SharedBuckets shared) {
        this.shared = shared;
    }

    /** One node: every budget in memory. */
    public static Throttles local() {
        return new Throttles(null);
    }

    /** Several nodes: the guarding budgets in PostgreSQL. */
    public static Throttles across(SharedBuckets shared) {
        return new Throttles(shared);
    }

    /** A budget shared by the nodes when there are several; {@code name} keeps its keys apart from other budgets'. */
    Throttle shared(String name, long capacity, Duration period) {
        if (shared == null) return local(capacity, period);
        BucketConfiguration configuration = BucketConfiguration.builder().addLimit(Throttle.limit(capacity, period)).build();
        return new Throttle(new Across(shared, name + ":", configuration));
    }

    /** A budget of this node only. */
    Throttle local(long capacity, Duration period) {
        return new Throttle(capacity, period);
    }

    /** Buckets in PostgreSQL, one row per budget and key. */
    private record Across(SharedBuckets shared, String prefix, BucketConfiguration configuration) implements Buckets {
        @Override
        public Bucket of(String key) {
            return shared.bucket(prefix + key, configuration);
        }
    }
}
