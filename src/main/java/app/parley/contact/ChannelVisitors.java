package app.parley.contact;

import app.parley.core.CardNumberMasker;
import app.parley.core.Json;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.util.concurrent.CompletableFuture;

/**
 * Visitors who write through another platform (Messenger): known by a key the channel makes from the platform's
 * ids (never a signed chat-box key), named by what the platform says of them.
 */
public final class ChannelVisitors {
    private final Journal journal;

    public ChannelVisitors(Journal journal) {
        this.journal = journal;
    }

    /** The visitor of this key, stored now if new; inside a transaction the caller already has. */
    public static long ensure(org.jdbi.v3.core.Handle h, long accountId, String key) {
        return h.createQuery("""
                        INSERT INTO visitors (account_id, visitor_key, user_agent)
                        VALUES (:a, :k, NULL)
                        ON CONFLICT (visitor_key) DO UPDATE SET last_seen_at = now()
                        RETURNING id""")
                .bind("a", accountId).bind("k", key).mapTo(Long.class).one();
    }

    /** The platform told us the person's name: agents see it on the card and in the list, live. */
    public CompletableFuture<Visitor> named(long accountId, long visitorId, String name) {
        String n = name == null ? null : CardNumberMasker.mask(Visitors.clip(name.strip(), app.parley.core.Input.MAX_NAME));
        return journal.submit((Tx tx) -> {
            tx.handle().createUpdate("UPDATE visitors SET name = :n WHERE id = :id AND account_id = :a")
                    .bind("n", n).bind("id", visitorId).bind("a", accountId).execute();
            Visitor v = Visitors.byId(tx.reader(), accountId, visitorId).orElseThrow();
            CardScope scope = CardScope.ofVisitor(tx.reader(), visitorId);
            tx.emitToGroups(EventType.VISITOR_UPDATED, accountId, scope.eventGroup(), scope.otherEventGroups(), Json.write(v));
            return v;
        });
    }
}
