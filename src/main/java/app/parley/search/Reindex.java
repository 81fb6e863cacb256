package app.parley.search;

import app.parley.store.Jobs;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds an account's search documents from its conversations, as a chain of jobs: each run reindexes the next
 * {@link #CHUNK} conversations by id and queues the run after it, so a rebuild of millions survives restarts, never
 * holds a long transaction, and shares the database with the chat. Documents of conversations deleted meanwhile go
 * with them (the foreign key); the last run also reindexes what changed while the rebuild went on.
 */
public final class Reindex implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(Reindex.class);
    public static final String KIND = "search.reindex";
    static final int CHUNK = 2_000;

    /** Where a rebuild is: its account, the last id done, and when it began (micros since the epoch). */
    record Progress(long accountId, long afterId, long startedMicros) {
        String payload() {
            return accountId + ":" + afterId + ":" + startedMicros;
        }

        static Progress parse(String payload) {
            String[] p = payload.split(":");
            return new Progress(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
        }
    }

    private final Jdbi jdbi;
    private final Jobs.Gate gate;

    public Reindex(Jdbi jdbi, Jobs.Gate gate) {
        this.jdbi = jdbi;
        this.gate = gate;
    }

    /** Queues a rebuild of the account (one at a time per account: a second request waits behind the first). */
    public static void start(Handle h, long accountId) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        Jobs.enqueue(h, KIND, queueKey(accountId), new Progress(accountId, 0, micros).payload(), null);
    }

    static String queueKey(long accountId) {
        return KIND + ":" + accountId;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        Progress p = Progress.parse(job.payload());
        return gate.call(() -> jdbi.inTransaction(h -> {
            List<Long> ids = h.createQuery("""
                            SELECT id FROM conversations WHERE account_id = :a AND id > :after ORDER BY id LIMIT :n""")
                    .bind("a", p.accountId()).bind("after", p.afterId()).bind("n", CHUNK).mapTo(Long.class).list();
            SearchDocuments.index(h, ids, true);
            if (ids.size() == CHUNK) {
                Progress next = new Progress(p.accountId(), ids.getLast(), p.startedMicros());
                return new Jobs.Outcome.Done(w -> Jobs.enqueue(w, KIND, queueKey(p.accountId()), next.payload(), null));
            }
            // A conversation that changed after its chunk was read was reindexed by the consumer; one that changed
            // while its chunk was being written may hold the older document: those are done once more.
            List<Long> changed = h.createQuery("""
                            SELECT id FROM conversations WHERE account_id = :a
                            AND greatest(updated_at, last_message_at) >= to_timestamp(:since / 1e6) - interval '1 minute'""")
                    .bind("a", p.accountId()).bind("since", p.startedMicros()).mapTo(Long.class).list();
            SearchDocuments.index(h, changed, true);
            log.info("Search index of account {} rebuilt", p.accountId());
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        }));
    }
}
