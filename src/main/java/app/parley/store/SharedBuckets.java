package app.parley.store;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Token buckets every node sees (issue #15): Bucket4j's PostgreSQL proxy manager on {@code rate_buckets} (V29). A
 * take is one short transaction that locks the key's row ({@code SELECT … FOR UPDATE}), so the budget is exact
 * across nodes; it costs a round trip, which is why only the budgets that guard security or cost use it (see
 * {@code http.Throttles}). A bucket's row expires once it would have refilled (plus a minute), and
 * {@link #forgetExpired} removes such rows in small batches from the housekeeping thread.
 */
public final class SharedBuckets {
    private final ProxyManager<String> buckets;
    private final io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager<String> manager;

    public SharedBuckets(DataSource dataSource) {
        this.manager = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        this.buckets = manager;
    }

    /** The bucket of {@code key} (unique across every budget: the caller prefixes it with the budget's name). */
    public BucketProxy bucket(String key, BucketConfiguration configuration) {
        return buckets.builder().build(key, () -> configuration);
    }

    /** Deletes buckets that refilled long ago, at most {@code max}; returns how many. */
    public int forgetExpired(int max) {
        return manager.removeExpired(max);
    }
}
