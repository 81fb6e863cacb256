package app.parley.contact;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for visitors and the contacts they become once identified. */
public final class Visitors {
    private static final String SELECT = """
            SELECT v.*, v.variables::text AS vars, coalesce(c.verified, false) AS verified,
                   coalesce(a.current_url, v.current_url) AS page_url,
                   CASE WHEN a.current_url IS NULL THEN v.current_title ELSE a.current_title END AS page_title
            FROM visitors v LEFT JOIN contacts c ON c.id = v.contact_id
            LEFT JOIN visitor_activity a ON a.visitor_id = v.id""";

    private Visitors() {}

    public static Optional<Visitor> byKey(Handle h, long accountId, String key) {
        if (key == null || key.isBlank() || key.length() > 64) return Optional.empty();
        return h.createQuery(SELECT + " WHERE v.visitor_key = :key AND v.account_id = :a")
                .bind("key", key).bind("a", accountId).map((rs, ctx) -> map(rs)).findOne();
    }

    public static Optional<Visitor> byId(Handle h, long accountId, long id) {
        return h.createQuery(SELECT + " WHERE v.id = :id AND v.account_id = :a")
                .bind("id", id).bind("a", accountId).map((rs, ctx) -> map(rs)).findOne();
    }

    /** A visitor of a new key, not stored yet (see {@link VisitorKeys}); {@link #keep} stores it. */
    public static Visitor unsaved(long id, long accountId, String key, String userAgent, String ip) {
        return new Visitor(id, accountId, key, null, null, null, null, null, null, null, "{}", clip(userAgent, 1000), ip,
                null, null, null, 1, false, null, null, false);
    }

    /** Stores a visitor made by {@link #unsaved}; another tab of the same visitor may have stored it already. */
    public static void keep(Handle h, Visitor v) {
        h.createUpdate("""
                        INSERT INTO visitors (id, account_id, visitor_key, user_agent, ip)
                        VALUES (:id, :a, :key, :ua, :ip) ON CONFLICT DO NOTHING""")
                .bind("id", v.id()).bind("a", v.accountId()).bind("key", v.visitorKey()).bind("ua", v.userAgent())
                .bind("ip", v.ip()).execute();
    }

    /** A returning visitor: a new visit when the last activity was over 30 minutes ago. */
    public static void seen(Handle h, long visitorId, String userAgent, String ip) {
        h.createUpdate("""
                        UPDATE visitors SET visits = visits + CASE WHEN last_seen_at < now() - interval '30 minutes' THEN 1 ELSE 0 END,
                               last_seen_at = now(), user_agent = coalesce(:ua, user_agent), ip = coalesce(:ip, ip)
                        WHERE id = :id""")
                .bind("id", visitorId).bind("ua", clip(userAgent, 1000)).bind("ip", ip).execute();
    }

    /**
     * The visitor who writes by mail from {@code email}: one per address and account, with a contact of their own
     * (unverified: a From header proves nothing, so a mail never joins a chat visitor's contact). Made on first use.
     */
    public static long forMail(Handle h, long accountId, String email, String name) {
        String visitorKey = mailKey(email);
        Optional<Long> known = h.createQuery("SELECT id FROM visitors WHERE visitor_key = :k AND account_id = :a")
                .bind("k", visitorKey).bind("a", accountId).mapTo(Long.class).findOne();
        if (known.isPresent()) return known.get();
        long contactId = h.createQuery("""
                        INSERT INTO contacts (account_id, name, email) VALUES (:a, :n, :e) RETURNING id""")
                .bind("a", accountId).bind("n", clip(name, 255)).bind("e", clip(email, 255)).mapTo(Long.class).one();
        return h.createQuery("""
                        INSERT INTO visitors (account_id, visitor_key, contact_id, name, email)
                        VALUES (:a, :k, :c, :n, :e)
                        ON CONFLICT (visitor_key) DO UPDATE SET last_seen_at = now() RETURNING id""")
                .bind("a", accountId).bind("k", visitorKey).bind("c", contactId).bind("n", clip(name, 255))
                .bind("e", clip(email, 255)).mapTo(Long.class).one();
    }

    /** The key of the visitor who writes by mail from {@code email} (one per address, any case). */
    static String mailKey(String email) {
        String key = "mail:" + email.toLowerCase(java.util.Locale.ROOT);
        return key.length() <= 64 ? key : "mail:" + Integer.toHexString(key.hashCode()) + key.substring(key.length() - 40);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static Visitor map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Visitor(rs.getLong("id"), rs.getLong("account_id"), rs.getString("visitor_key"),
                (Long) rs.getObject("contact_id"), rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                rs.getString("note"), rs.getString("language"), rs.getString("group_key"), rs.getString("vars"),
                rs.getString("user_agent"), rs.getString("ip"), rs.getString("page_url"), rs.getString("page_title"),
                rs.getString("referrer"), rs.getInt("visits"), rs.getBoolean("blocked"),
                rs.getObject("first_seen_at", OffsetDateTime.class), rs.getObject("last_seen_at", OffsetDateTime.class),
                rs.getBoolean("verified"));
    }
}
