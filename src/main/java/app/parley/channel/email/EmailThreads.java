package app.parley.channel.email;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for a conversation's mail thread: its reply token and address, and every mail of it by Message-ID. */
public final class EmailThreads {
    /** A conversation's mail thread. */
    public record Thread(long conversationId, long accountId, String token, String address, String subject) {}

    /** One mail Parley sent, as the sending job needs it. */
    public record Outgoing(long id, long accountId, long conversationId, String messageId, long parleyMessageId,
                           String status) {}

    private static final String SELECT = "SELECT conversation_id, account_id, token, address, subject FROM email_threads";

    private EmailThreads() {}

    public static Optional<Thread> byToken(Handle h, String token) {
        return h.createQuery(SELECT + " WHERE token = :t").bind("t", token).map((rs, ctx) -> map(rs)).findOne();
    }

    public static Optional<Thread> byConversation(Handle h, long conversationId) {
        return h.createQuery(SELECT + " WHERE conversation_id = :c").bind("c", conversationId).map((rs, ctx) -> map(rs)).findOne();
    }

    /** The thread of a conversation, made with a new token if it has none yet. */
    public static Thread ensure(Handle h, long accountId, long conversationId, String address, String subject) {
        h.createUpdate("""
                        INSERT INTO email_threads (conversation_id, account_id, token, address, subject)
                        VALUES (:c, :a, :t, :addr, :s) ON CONFLICT (conversation_id) DO NOTHING""")
                .bind("c", conversationId).bind("a", accountId).bind("t", ReplyAddress.newToken())
                .bind("addr", address).bind("s", subject).execute();
        return byConversation(h, conversationId).orElseThrow();
    }

    /** The conversation a mail of this account (either way) with this Message-ID belongs to. */
    public static Optional<Long> conversationOf(Handle h, long accountId, String messageId) {
        return h.createQuery("SELECT conversation_id FROM email_messages WHERE account_id = :a AND message_id = :m")
                .bind("a", accountId).bind("m", messageId).mapTo(Long.class).findOne();
    }

    public static void recordIncoming(Handle h, long accountId, long conversationId, String messageId, long parleyMessageId) {
        h.createUpdate("""
                        INSERT INTO email_messages (account_id, conversation_id, message_id, parley_message_id, direction)
                        VALUES (:a, :c, :m, :p, 'in') ON CONFLICT DO NOTHING""")
                .bind("a", accountId).bind("c", conversationId).bind("m", messageId).bind("p", parleyMessageId).execute();
    }

    /** Records a mail to send; false if it was recorded already (the consumer ran this batch before). */
    public static boolean recordOutgoing(Handle h, long accountId, long conversationId, String messageId, long parleyMessageId) {
        return h.createUpdate("""
                        INSERT INTO email_messages (account_id, conversation_id, message_id, parley_message_id, direction,
                                                    delivery_status)
                        VALUES (:a, :c, :m, :p, 'out', 'sending') ON CONFLICT DO NOTHING""")
                .bind("a", accountId).bind("c", conversationId).bind("m", messageId).bind("p", parleyMessageId)
                .execute() == 1;
    }

    public static Optional<Outgoing> outgoing(Handle h, long parleyMessageId) {
        return h.createQuery("""
                        SELECT id, account_id, conversation_id, message_id, parley_message_id, delivery_status
                        FROM email_messages WHERE parley_message_id = :p AND direction = 'out'""")
                .bind("p", parleyMessageId)
                .map((rs, ctx) -> new Outgoing(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6)))
                .findOne();
    }

    public static Optional<Outgoing> outgoingByMessageId(Handle h, long accountId, String messageId) {
        return h.createQuery("""
                        SELECT id, account_id, conversation_id, message_id, parley_message_id, delivery_status
                        FROM email_messages WHERE account_id = :a AND message_id = :m AND direction = 'out'""")
                .bind("a", accountId).bind("m", messageId)
                .map((rs, ctx) -> new Outgoing(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6)))
                .findOne();
    }

    public static void setStatus(Handle h, long id, String status, String reason) {
        h.createUpdate("UPDATE email_messages SET delivery_status = :s, delivery_fail_reason = :r WHERE id = :id")
                .bind("s", status).bind("r", reason).bind("id", id).execute();
    }

    /** The Message-IDs of the thread before the given mail, oldest first, both ways: a reply's complete References. */
    public static List<String> before(Handle h, long conversationId, long emailMessageId) {
        return h.createQuery("SELECT message_id FROM email_messages WHERE conversation_id = :c AND id < :id ORDER BY id")
                .bind("c", conversationId).bind("id", emailMessageId).mapTo(String.class).list();
    }

    /** The last mail the visitor sent in this thread before the given one, if any (what this mail answers). */
    public static Optional<String> lastIncoming(Handle h, long conversationId, long emailMessageId) {
        return h.createQuery("""
                        SELECT message_id FROM email_messages WHERE conversation_id = :c AND id < :id AND direction = 'in'
                        ORDER BY id DESC LIMIT 1""")
                .bind("c", conversationId).bind("id", emailMessageId).mapTo(String.class).findOne();
    }

    /** How many mails Parley sent in this thread before this one (Outlook's Thread-Index grows by one per reply). */
    public static int outgoingBefore(Handle h, long conversationId, long emailMessageId) {
        return h.createQuery("SELECT count(*) FROM email_messages WHERE conversation_id = :c AND id < :id")
                .bind("c", conversationId).bind("id", emailMessageId).mapTo(Integer.class).one();
    }

    /**
     * Where mail for this conversation goes: the thread's address, else the contact's, else the visitor's (typed in
     * the contact form, passed by the shop's identify, or typed into the card by an agent).
     */
    public static Optional<String> addressOf(Handle h, long conversationId) {
        return h.createQuery("""
                        SELECT coalesce(t.address, nullif(ct.email, ''), nullif(v.email, ''))
                        FROM conversations c JOIN visitors v ON v.id = c.visitor_id
                        LEFT JOIN contacts ct ON ct.id = c.contact_id
                        LEFT JOIN email_threads t ON t.conversation_id = c.id
                        WHERE c.id = :c""")
                .bind("c", conversationId).mapTo(String.class).findOne().filter(a -> a != null && !a.isBlank());
    }

    /** The account whose public address this is (Settings' from address, else the instance's for the first account). */
    public static Optional<Long> accountOfAddress(Handle h, String address, String instanceFrom) {
        String a = address.toLowerCase(Locale.ROOT);
        Optional<Long> own = h.createQuery("SELECT account_id FROM email_settings WHERE lower(from_address) = :a ORDER BY account_id LIMIT 1")
                .bind("a", a).mapTo(Long.class).findOne();
        if (own.isPresent() || instanceFrom == null || !MailAddresses.bare(instanceFrom).equals(a)) return own;
        return h.createQuery("SELECT min(id) FROM accounts").mapTo(Long.class).findOne();
    }

    private static Thread map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Thread(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }
}
