package app.parley.contact;

import app.parley.account.Viewer;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The card's conversation history (issue #11 §5): every conversation of the visitor's contact, of any channel and
 * from any of its visitors (a verified shopper's phone and laptop are one contact, see {@link ContactLinks}), newest
 * first. A contact verified by email also lists the mails sent from that address: linked, not merged, because a
 * From header proves nothing ({@link Visitors#forMail}); such rows say {@code sender_verified: false}. Only
 * conversations the agent may see are listed.
 */
public final class ContactHistory {
    static final int LIMIT = 20;

    /** {@code senderVerified}: false for a mail linked by its From address only. */
    public record Entry(long id, long visitorId, String channel, String status, String lastMessageText,
                        OffsetDateTime createdAt, OffsetDateTime lastMessageAt, boolean senderVerified) {}

    private ContactHistory() {}

    // Served by conversations' visitor and contact indexes and visitors' unique key; the group test is the viewer's.
    private static final String SQL = """
            WITH me AS (
                SELECT v.id AS visitor_id, v.contact_id, c.verified, c.user_id, c.email
                FROM visitors v LEFT JOIN contacts c ON c.id = v.contact_id
                WHERE v.id = :v AND v.account_id = :a),
            mail AS (
                SELECT m.id FROM me JOIN visitors m ON m.visitor_key = :mailKey AND m.account_id = :a
                WHERE me.verified AND me.email IS NOT NULL AND m.contact_id IS DISTINCT FROM me.contact_id)
            SELECT x.id, x.visitor_id, x.channel, x.status, x.last_message_text, x.created_at, x.last_message_at,
                   x.group_id, NOT (x.visitor_id IN (SELECT id FROM mail)) AS sender_verified
            FROM conversations x
            WHERE x.account_id = :a AND (
                  x.contact_id = (SELECT contact_id FROM me)
               OR x.visitor_id = :v
               OR x.visitor_id IN (SELECT id FROM mail))
            ORDER BY x.created_at DESC, x.id DESC
            LIMIT :n""";

    public static List<Entry> of(Handle h, Viewer viewer, long visitorId) {
        String email = h.createQuery("""
                        SELECT c.email FROM visitors v JOIN contacts c ON c.id = v.contact_id
                        WHERE v.id = :v AND v.account_id = :a AND c.verified AND c.email IS NOT NULL""")
                .bind("v", visitorId).bind("a", viewer.accountId()).mapTo(String.class).findOne().orElse(null);
        // Rows the viewer may not see are dropped after the limit: a limited agent may see fewer than LIMIT, never more.
        return h.createQuery(SQL)
                .bind("v", visitorId).bind("a", viewer.accountId()).bind("n", LIMIT)
                .bind("mailKey", email == null ? "" : Visitors.mailKey(email))
                .map((rs, ctx) -> viewer.sees((Long) rs.getObject("group_id"))
                        ? new Entry(rs.getLong("id"), rs.getLong("visitor_id"), rs.getString("channel"), rs.getString("status"),
                                rs.getString("last_message_text"), rs.getObject("created_at", OffsetDateTime.class),
                                rs.getObject("last_message_at", OffsetDateTime.class), rs.getBoolean("sender_verified"))
                        : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
    }
}
