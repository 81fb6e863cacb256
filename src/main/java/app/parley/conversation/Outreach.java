package app.parley.conversation;

import app.parley.account.Agent;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.util.Map;

/**
 * An agent starts a conversation with a visitor who is on the site (docs/PRODUCT.md §1.3, "open conversation" from
 * the visitors list): a journal command like every conversation write. The conversation is the agent's (joined,
 * served) and reaches the visitor's chat box as any agent message does; the visitor's reply goes to it (their
 * latest conversation).
 */
public final class Outreach {
    private final Journal journal;

    public Outreach(Journal journal) {
        this.journal = journal;
    }

    /** The visitor must be stored (the caller stores a visitor who only browsed) and have no open conversation. */
    public ConversationView start(Agent author, long visitorId, String text) {
        String t = Input.messageText("text", text);
        if (!author.active()) throw Refusal.forbidden("An inactive agent cannot chat.");
        return journal.run(tx -> {
            var h = tx.handle();
            Long open = h.createQuery("""
                            SELECT id FROM conversations WHERE visitor_id = :v AND account_id = :a AND status = 'open'
                            ORDER BY id DESC LIMIT 1""")
                    .bind("v", visitorId).bind("a", author.accountId()).mapTo(Long.class).findOne().orElse(null);
            if (open != null) {
                throw new Refusal(Refusal.Kind.CONFLICT, "visitor_in_chat",
                        "This visitor is already in a conversation (#" + open + "): write there.");
            }
            var visitor = h.createQuery("""
                            SELECT v.id, (SELECT g.id FROM groups g WHERE g.account_id = v.account_id AND g.key = v.group_key) AS g
                            FROM visitors v WHERE v.id = :v AND v.account_id = :a""")
                    .bind("v", visitorId).bind("a", author.accountId()).mapToMap().findOne()
                    .orElseThrow(() -> Refusal.notFound("The visitor"));
            if (!author.viewer().sees((Long) visitor.get("g"))) throw Refusal.notFound("The visitor");
            ConversationRow c = h.createQuery("""
                            INSERT INTO conversations (account_id, visitor_id, contact_id, group_id, is_offline, is_served, ip,
                                                       referer, domain, variables)
                            SELECT v.account_id, v.id, v.contact_id,
                                   (SELECT g.id FROM groups g WHERE g.account_id = v.account_id AND g.key = v.group_key),
                                   false, true, v.ip, v.referrer,
                                   substring(coalesce(va.current_url, v.current_url) from '^https?://([^/:?#]+)'), v.variables
                            FROM visitors v LEFT JOIN visitor_activity va ON va.visitor_id = v.id
                            WHERE v.id = :v AND v.account_id = :a
                            RETURNING *""")
                    .bind("v", visitorId).bind("a", author.accountId())
                    .map((rs, ctx) -> ConversationRow.map(rs)).findOne()
                    .orElseThrow(() -> Refusal.notFound("The visitor"));
            ConversationCache.of(tx).put(c);
            Message.AgentRef me = AgentActions.ref(author);
            c.assigneeIds.add(author.id());
            Message joined = Timeline.write(tx, c, MessageKind.EVENT, MessageSubType.AGENT, me, null, TimelineEvent.AGENT_JOIN,
                    Json.write(Map.of("agent_id", author.id())), null);
            Message m = Timeline.write(tx, c, MessageKind.MESSAGE, MessageSubType.AGENT, me, t, null, null, null);
            // Everyone learns of the conversation (with this message as its last) before its messages: the chat box
            // opens on a conversation it did not know.
            Timeline.changed(tx, c, EventType.CONVERSATION_CREATED);
            Timeline.announce(tx, c, joined);
            Timeline.announce(tx, c, m);
            return ConversationQueries.shared(tx.reader(), c.id);
        });
    }
}
