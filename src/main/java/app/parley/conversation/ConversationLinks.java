package app.parley.conversation;

import app.parley.store.Tx;

/**
 * What other features' changes mean for conversations, done in their transaction: a visitor's contact found or
 * merged (contact), a group deleted (account's {@code GroupCleanup}, wired by the composition root). Only this package writes the
 * conversations table, so the journal's cache of committed rows stays true.
 */
public final class ConversationLinks {
    private ConversationLinks() {}

    /** Links the visitor's conversations that have no contact yet to {@code contactId}. */
    public static void linkContact(Tx tx, long visitorId, long contactId) {
        ConversationCache.linkContact(tx, visitorId, contactId);
    }

    /** The visitor's conversations linked to the contact they had of their own ({@code from}) move to {@code to}. */
    public static void moveContact(Tx tx, long visitorId, long from, long to) {
        ConversationCache.moveContact(tx, visitorId, from, to);
    }

    /** A group was deleted in this transaction: its conversations have no group now. */
    public static void groupDeleted(Tx tx, long groupId) {
        ConversationCache.groupDeleted(tx, groupId);
    }
}
