package app.parley.store;

import java.util.Set;

/**
 * A cache of committed rows the journal keeps across batches ({@link Tx#lasting}) that can forget part of itself.
 * When another node wrote an account this node caches (several nodes, issue #15), the journal reads which
 * conversations and visitors that node's events were about and tells each such cache to forget just those, rather
 * than dropping every cache of every account.
 */
public interface CommittedRows {
    /** Forget what is cached of these conversations and of these visitors (their conversations included). */
    void forget(Set<Long> conversationIds, Set<Long> visitorIds);
}
