package app.parley.conversation;

import app.parley.realtime.Tx;
import app.parley.realtime.TxPart;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The conversations a batch of commands touches: loaded together in one query, changed in memory, written back
 * together in one batched UPDATE before the commit.
 */
final class ConversationCache implements TxPart {
    private final Tx tx;
    private final Map<Long, ConversationRow> rows = new HashMap<>();
    private final Set<Long> wanted = new LinkedHashSet<>();
    private final Set<Long> dirty = new LinkedHashSet<>();

    private ConversationCache(Tx tx) {
        this.tx = tx;
    }

    static ConversationCache of(Tx tx) {
        return tx.part(ConversationCache.class, ConversationCache::new);
    }

    void want(long id) {
        if (!rows.containsKey(id)) wanted.add(id);
    }

    /** The row, or null when there is no such conversation. */
    ConversationRow get(long id) {
        ConversationRow row = rows.get(id);
        if (row != null) return row;
        wanted.add(id);
        load(tx.reader());
        return rows.get(id);
    }

    void put(ConversationRow row) {
        rows.put(row.id, row);
    }

    void changed(ConversationRow row) {
        dirty.add(row.id);
        tx.wrote();
    }

    private void load(Handle h) {
        if (wanted.isEmpty()) return;
        List<ConversationRow> loaded = h.createQuery("SELECT * FROM conversations WHERE id = ANY(:ids)")
                .bindArray("ids", Long.class, wanted).map((rs, ctx) -> ConversationRow.map(rs)).list();
        for (ConversationRow r : loaded) rows.putIfAbsent(r.id, r);
        wanted.clear();
    }

    @Override
    public void flush(Handle h) {
        if (dirty.isEmpty()) return;
        PreparedBatch b = h.prepareBatch("""
                UPDATE conversations SET contact_id = :contactId, group_id = :groupId, status = :status,
                    is_offline = :isOffline, is_served = :isServed, important = :important, close_type = :closeType,
                    closed_by = :closedBy, rating_value = :ratingValue, rating_text = :ratingText,
                    assignee_ids = :assignees, participant_ids = :participants,
                    contact_message_count = :contactMessageCount, last_message_id = :lastMessageId,
                    last_message_text = :lastMessageText, last_message_sub_type = :lastMessageSubType,
                    last_message_at = :lastMessageAt, visitor_read_id = :visitorReadId, agent_read_id = :agentReadId,
                    updated_at = :updatedAt, finished_at = :finishedAt
                WHERE id = :id""");
        for (long id : dirty) {
            ConversationRow r = rows.get(id);
            b.bindFields(r)
                    .bindArray("assignees", Long.class, r.assigneeIds)
                    .bindArray("participants", Long.class, r.participantIds)
                    .add();
        }
        b.execute();
        dirty.clear();
    }
}
