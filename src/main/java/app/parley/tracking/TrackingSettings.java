package app.parley.tracking;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * An account's tracking settings: whether full IP addresses are kept (off by default, docs/PRODUCT.md §3), and
 * its IP blocking rules. Read often (each page view, each chat box that connects), changed rarely: cached per
 * account for a few seconds, and forgotten at once when changed on this node.
 */
public final class TrackingSettings {
    private static final long FRESH_NANOS = 5_000_000_000L;

    public record Settings(boolean anonymizeIp, List<IpRule> blockedIps) {}

    private record Cached(Settings settings, long at) {}

    private final Jdbi jdbi;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    public TrackingSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean anonymizeIp(long accountId) {
        return of(accountId).anonymizeIp();
    }

    public Settings of(long accountId) {
        Cached c = cache.get(accountId);
        if (c != null && System.nanoTime() - c.at < FRESH_NANOS) return c.settings;
        Settings s = jdbi.withHandle(h -> new Settings(
                h.createQuery("SELECT anonymize_ip FROM accounts WHERE id = :a").bind("a", accountId)
                        .mapTo(Boolean.class).findOne().orElse(true),
                h.createQuery("SELECT pattern FROM ip_blocks WHERE account_id = :a ORDER BY id").bind("a", accountId)
                        .mapTo(String.class).list().stream().map(IpRule::parse).toList()));
        cache.put(accountId, new Cached(s, System.nanoTime()));
        return s;
    }

    public void changed(long accountId) {
        cache.remove(accountId);
    }
}
