package app.parley.search;

import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The search index as an admin sees it: how many documents an account has, and rebuilding it from scratch. */
public final class SearchIndex {
    private final Jdbi jdbi;
    private final Runnable jobsAdded;

    public SearchIndex(Jdbi jdbi, Runnable jobsAdded) {
        this.jdbi = jdbi;
        this.jobsAdded = jobsAdded;
    }

    /** Queues a rebuild of the account's documents (see {@link Reindex}); answers what it will cover. */
    public Map<String, Object> rebuild(long accountId) {
        Map<String, Object> out = jdbi.inTransaction(h -> {
            Reindex.start(h, accountId);
            return status(h, accountId);
        });
        jobsAdded.run();
        return out;
    }

    public Map<String, Object> status(long accountId) {
        return jdbi.withHandle(h -> status(h, accountId));
    }

    private static Map<String, Object> status(org.jdbi.v3.core.Handle h, long accountId) {
        return h.createQuery("""
                        SELECT (SELECT count(*) FROM conversations WHERE account_id = :a),
                               (SELECT count(*) FROM search_conversations WHERE account_id = :a),
                               EXISTS (SELECT 1 FROM jobs WHERE kind = :k AND queue_key = :q)""")
                .bind("a", accountId).bind("k", Reindex.KIND).bind("q", Reindex.queueKey(accountId))
                .map((rs, ctx) -> Map.<String, Object>of("conversations", rs.getLong(1), "indexed", rs.getLong(2),
                        "rebuilding", rs.getBoolean(3)))
                .one();
    }

    /**
     * At start: an account with conversations that have no document (a database from before search, or a consumer
     * that was off) gets a rebuild, unless one is queued. The rebuild is a job: the start does not wait for it.
     */
    public void backfill() {
        int n = jdbi.inTransaction(h -> {
            java.util.List<Long> accounts = h.createQuery("""
                            SELECT a.id FROM accounts a
                            WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.account_id = a.id
                                          AND NOT EXISTS (SELECT 1 FROM search_conversations s WHERE s.conversation_id = c.id))
                              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = :k AND j.queue_key = :prefix || a.id)""")
                    .bind("k", Reindex.KIND).bind("prefix", Reindex.KIND + ":").mapTo(Long.class).list();
            for (long a : accounts) Reindex.start(h, a);
            return accounts.size();
        });
        if (n > 0) jobsAdded.run();
    }
}
