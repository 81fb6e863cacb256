package app.parley.tracking;

import app.parley.core.Refusal;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Blocking (docs/PRODUCT.md §3): a visitor from their card, or an IP rule in the settings. A blocked visitor's
 * chat box disappears and their messages are refused ({@code visitor_blocked}); unblocking restores it.
 */
public final class Blocking {
    public static final String CODE = "visitor_blocked";

    public record IpBlock(long id, String pattern) {}

    private final Jdbi jdbi;
    private final TrackingSettings settings;

    public Blocking(Jdbi jdbi, TrackingSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
    }

    public static Refusal refusal() {
        return new Refusal(Refusal.Kind.FORBIDDEN, CODE, "This chat is not available.");
    }

    /** Whether an address is blocked by one of the account's IP rules (cached: no query most of the time). */
    public boolean blocksAddress(long accountId, String ip) {
        return ip != null && settings.of(accountId).blockedIps().stream().anyMatch(r -> r.matches(ip));
    }

    /** Whether a visitor (by their card, or their address by a rule) may not chat. */
    public boolean blocks(long accountId, long visitorId, String ip) {
        if (blocksAddress(accountId, ip)) return true;
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM visitor_activity WHERE visitor_id = :v AND account_id = :a AND blocked)
                            OR EXISTS (SELECT 1 FROM visitors WHERE id = :v AND account_id = :a AND blocked)""")
                .bind("v", visitorId).bind("a", accountId).mapTo(Boolean.class).one());
    }

    /** Blocks or unblocks a visitor the caller may see (the route checked); a visitor never seen browsing too. */
    public void setBlocked(long accountId, long visitorId, boolean blocked) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO visitor_activity (visitor_id, account_id, first_seen_at, last_seen_at, visit_started_at, pages, blocked)
                            SELECT v.id, v.account_id, v.first_seen_at, v.last_seen_at, v.last_seen_at, 0, :b
                            FROM visitors v WHERE v.id = :v AND v.account_id = :a
                            ON CONFLICT (visitor_id) DO UPDATE SET blocked = :b WHERE visitor_activity.account_id = :a""")
                    .bind("v", visitorId).bind("a", accountId).bind("b", blocked).execute();
            h.createUpdate("UPDATE visitor_activity SET blocked = :b WHERE visitor_id = :v AND account_id = :a")
                    .bind("v", visitorId).bind("a", accountId).bind("b", blocked).execute();
        });
    }

    public List<IpBlock> ipBlocks(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, pattern FROM ip_blocks WHERE account_id = :a ORDER BY id")
                .bind("a", accountId).map((rs, ctx) -> new IpBlock(rs.getLong("id"), rs.getString("pattern"))).list());
    }

    public IpBlock addIpBlock(long accountId, String pattern) {
        IpRule rule = IpRule.parse(pattern);
        IpBlock b = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO ip_blocks (account_id, pattern) VALUES (:a, :p)
                        ON CONFLICT (account_id, pattern) DO UPDATE SET pattern = EXCLUDED.pattern RETURNING id, pattern""")
                .bind("a", accountId).bind("p", rule.pattern())
                .map((rs, ctx) -> new IpBlock(rs.getLong("id"), rs.getString("pattern"))).one());
        settings.changed(accountId);
        return b;
    }

    public void removeIpBlock(long accountId, long id) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM ip_blocks WHERE id = :id AND account_id = :a")
                .bind("id", id).bind("a", accountId).execute());
        settings.changed(accountId);
        if (n == 0) throw Refusal.notFound("The IP rule");
    }

    public Map<String, Object> settings(long accountId) {
        return Map.of("anonymize_ip", settings.of(accountId).anonymizeIp(), "blocked_ips", ipBlocks(accountId));
    }

    public void anonymizeIp(long accountId, boolean on) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE accounts SET anonymize_ip = :on WHERE id = :a")
                .bind("on", on).bind("a", accountId).execute());
        settings.changed(accountId);
    }
}
