package app.parley.contact;

import app.parley.conversation.ConversationLinks;
import app.parley.core.Json;
import app.parley.store.EventType;
import app.parley.store.Tx;
import org.jdbi.v3.core.Handle;

/**
 * Which contact an identified visitor belongs to (docs/PRODUCT.md §3). Only a verified identity (signed by the shop,
 * or given by its server or an agent) joins an existing contact, found by user id or email; anything else keeps
 * to a contact of the visitor's own, marked not verified, so that typing someone's email changes nothing of theirs.
 */
final class ContactLinks {
    /** The contact the visitor is linked to now. */
    private record Own(long id, boolean verified, String email, String userId) {}

    private ContactLinks() {}

    /** The shop vouched for {@code userId}, else for {@code email}: the visitor joins that person's contact. */
    static void verified(Tx tx, long accountId, long visitorId, String userId, String email) {
        Handle h = tx.handle();
        Own own = own(h, visitorId);
        // Found by email only among contacts verified by email: a contact verified by user id carries an email
        // the page passed beside the signed id, which proves nothing.
        Long target = userId != null
                ? h.createQuery("SELECT id FROM contacts WHERE account_id = :a AND user_id = :k")
                        .bind("a", accountId).bind("k", userId).mapTo(Long.class).findOne().orElse(null)
                : h.createQuery("""
                                SELECT id FROM contacts WHERE account_id = :a AND verified AND user_id IS NULL
                                AND lower(email) = lower(:k) ORDER BY id LIMIT 1""")
                        .bind("a", accountId).bind("k", email).mapTo(Long.class).findOne().orElse(null);
        // No such person yet: what this visitor told of themselves becomes theirs, now verified.
        if (target == null && own != null && !own.verified()) target = own.id();
        boolean fresh = target == null;
        if (fresh) target = create(h, accountId);
        h.createUpdate("UPDATE contacts SET verified = true, user_id = coalesce(:u, user_id) WHERE id = :c")
                .bind("u", userId).bind("c", target).execute();
        link(tx, visitorId, target);
        if (own != null && !own.verified() && own.id() != target) ConversationLinks.moveContact(tx, visitorId, own.id(), target);
        if (fresh) announce(tx, accountId, target);
    }

    /**
     * Unsigned: the visitor's own contact takes the fields, unless it is a verified one and the page now names
     * someone else (another email or user id), in which case the visitor gets a new contact of their own.
     */
    static void unverified(Tx tx, long accountId, long visitorId, String userId, String email) {
        Handle h = tx.handle();
        Own own = own(h, visitorId);
        boolean keep = own != null && (!own.verified() || !contradicts(own, userId, email));
        long target = keep ? own.id() : create(h, accountId);
        link(tx, visitorId, target);
        if (!keep) announce(tx, accountId, target);
    }

    /** An agent edits the card: the visitor's contact takes it whatever its state; an email given links as verified. */
    static void agentEdit(Tx tx, long accountId, long visitorId, String email) {
        Own own = own(tx.handle(), visitorId);
        if (own != null) link(tx, visitorId, own.id());
        else if (email != null) verified(tx, accountId, visitorId, null, email);
        else unverified(tx, accountId, visitorId, null, null);
    }

    private static boolean contradicts(Own own, String userId, String email) {
        return userId != null && !userId.equals(own.userId())
                || email != null && (own.email() == null || !email.equalsIgnoreCase(own.email()));
    }

    private static Own own(Handle h, long visitorId) {
        return h.createQuery("""
                        SELECT c.id, c.verified, c.email, c.user_id FROM visitors v JOIN contacts c ON c.id = v.contact_id
                        WHERE v.id = :v""")
                .bind("v", visitorId)
                .map((rs, ctx) -> new Own(rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getString(4)))
                .findOne().orElse(null);
    }

    private static long create(Handle h, long accountId) {
        return h.createQuery("INSERT INTO contacts (account_id) VALUES (:a) RETURNING id").bind("a", accountId).mapTo(Long.class).one();
    }

    /** A contact came to be (Smartsupp's {@code contact.created}): told with its fields, once linked to its visitor. */
    private static void announce(Tx tx, long accountId, long contactId) {
        CardScope scope = CardScope.ofContact(tx.handle(), contactId);
        tx.emitToGroups(EventType.CONTACT_CREATED, accountId, scope.eventGroup(), scope.otherEventGroups(),
                Json.write(Contacts.byId(tx.handle(), accountId, contactId)));
    }

    /** The visitor's name, email, phone and variables go to the contact, and the visitor (and their chats) to it. */
    private static void link(Tx tx, long visitorId, long contactId) {
        Handle h = tx.handle();
        h.createUpdate("""
                        UPDATE contacts c SET name = coalesce(v.name, c.name), email = coalesce(v.email, c.email),
                               phone = coalesce(v.phone, c.phone), variables = c.variables || v.variables, updated_at = now()
                        FROM visitors v WHERE v.id = :v AND c.id = :c""")
                .bind("v", visitorId).bind("c", contactId).execute();
        h.createUpdate("UPDATE visitors SET contact_id = :c WHERE id = :v").bind("c", contactId).bind("v", visitorId).execute();
        ConversationLinks.linkContact(tx, visitorId, contactId);
    }
}
