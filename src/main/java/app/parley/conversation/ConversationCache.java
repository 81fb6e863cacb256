package app.parley.conversation;

import app.parley.realtime.Tx;
import app.parley.realtime.TxPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

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
        // One statement for the whole batch: unnest() turns the column arrays back into rows. contact_id and
        // group_id are not written: they change only by direct SQL (a visitor identified), never through the row.
        List<ConversationRow> changed = new ArrayList<>();
        for (long id : dirty) changed.add(rows.get(id));
        h.createUpdate("""
                        UPDATE conversations c SET status = u.status,
                            is_offline = u.is_offline, is_served = u.is_served, important = u.important,
                            close_type = u.close_type, closed_by = u.closed_by, rating_value = u.rating_value,
                            rating_text = u.rating_text, assignee_ids = CAST(u.assignees AS bigint[]),
                            participant_ids = CAST(u.participants AS bigint[]),
                            contact_message_count = u.contact_messages, last_message_id = u.last_id,
                            last_message_text = u.last_text, last_message_sub_type = u.last_sub_type,
                            last_message_at = CAST(u.last_at AS timestamptz), visitor_read_id = u.visitor_read,
                            agent_read_id = u.agent_read, updated_at = CAST(u.updated AS timestamptz),
                            finished_at = CAST(u.finished AS timestamptz)
                        FROM unnest(:ids, :statuses, :offline, :served, :important, :closeTypes,
                                    :closedBy, :ratings, :ratingTexts, :assignees, :participants, :contactMessages,
                                    :lastIds, :lastTexts, :lastSubTypes, :lastAt, :visitorRead, :agentRead, :updated,
                                    :finished)
                             AS u(id, status, is_offline, is_served, important, close_type,
                                  closed_by, rating_value, rating_text, assignees, participants, contact_messages,
                                  last_id, last_text, last_sub_type, last_at, visitor_read, agent_read, updated, finished)
                        WHERE c.id = u.id""")
                .bindArray("ids", Long.class, column(changed, r -> r.id))
                .bindArray("statuses", String.class, column(changed, r -> r.status))
                .bindArray("offline", Boolean.class, column(changed, r -> r.isOffline))
                .bindArray("served", Boolean.class, column(changed, r -> r.isServed))
                .bindArray("important", Boolean.class, column(changed, r -> r.important))
                .bindArray("closeTypes", String.class, column(changed, r -> r.closeType))
                .bindArray("closedBy", Long.class, column(changed, r -> r.closedBy))
                .bindArray("ratings", Integer.class, column(changed, r -> r.ratingValue))
                .bindArray("ratingTexts", String.class, column(changed, r -> r.ratingText))
                .bindArray("assignees", String.class, column(changed, r -> pgArray(r.assigneeIds)))
                .bindArray("participants", String.class, column(changed, r -> pgArray(r.participantIds)))
                .bindArray("contactMessages", Integer.class, column(changed, r -> r.contactMessageCount))
                .bindArray("lastIds", Long.class, column(changed, r -> r.lastMessageId))
                .bindArray("lastTexts", String.class, column(changed, r -> r.lastMessageText))
                .bindArray("lastSubTypes", String.class, column(changed, r -> r.lastMessageSubType))
                .bindArray("lastAt", String.class, column(changed, r -> text(r.lastMessageAt)))
                .bindArray("visitorRead", Long.class, column(changed, r -> r.visitorReadId))
                .bindArray("agentRead", Long.class, column(changed, r -> r.agentReadId))
                .bindArray("updated", String.class, column(changed, r -> text(r.updatedAt)))
                .bindArray("finished", String.class, column(changed, r -> text(r.finishedAt)))
                .execute();
        dirty.clear();
    }

    private static <T> List<T> column(List<ConversationRow> rows, java.util.function.Function<ConversationRow, T> field) {
        List<T> values = new ArrayList<>(rows.size());
        for (ConversationRow r : rows) values.add(field.apply(r));
        return values;
    }

    private static String pgArray(java.util.Collection<Long> ids) {
        StringBuilder s = new StringBuilder("{");
        for (Long id : ids) s.append(s.length() > 1 ? "," : "").append(id);
        return s.append('}').toString();
    }

    private static String text(java.time.OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
