package app.parley.conversation;

import app.parley.realtime.Flush;
import app.parley.realtime.Tx;
import app.parley.realtime.TxPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The conversations a batch of commands touches: taken from the journal's cache of committed rows or loaded
 * together in one query, changed in memory, written back together in one batched UPDATE before the commit.
 *
 * <p>The journal is the only writer of conversation rows, so the rows it last committed are what PostgreSQL
 * holds: a visitor writing on in a known conversation costs no read. Commands change working copies; a copy
 * becomes the committed row only when the batch that wrote it commits (a rolled-back batch drops the whole cache).
 * Changes made by direct SQL go through here too: a contact linked to a visitor ({@link #linkContact}), a group
 * deleted ({@link #groupDeleted}).
 */
public final class ConversationCache implements TxPart {
    /** The committed rows, most recently used last; the journal keeps it across batches. */
    private static final class Committed extends LinkedHashMap<Long, ConversationRow> {
        static final int MAX_ROWS = 20_000;

        Committed() {
            super(1024, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ConversationRow> eldest) {
            return size() > MAX_ROWS;
        }
    }

    private final Tx tx;
    private final Committed committed;
    private final Map<Long, ConversationRow> rows = new HashMap<>();
    private final Set<Long> wanted = new LinkedHashSet<>();
    private final Set<Long> dirty = new LinkedHashSet<>();
    // Copies of the rows as this batch wrote them: they become the committed rows if the batch commits.
    private final Map<Long, ConversationRow> written = new HashMap<>();

    private ConversationCache(Tx tx) {
        this.tx = tx;
        this.committed = tx.lasting(Committed.class, Committed::new);
    }

    static ConversationCache of(Tx tx) {
        return tx.part(ConversationCache.class, ConversationCache::new);
    }

    void want(long id) {
        if (!rows.containsKey(id) && !committed.containsKey(id)) wanted.add(id);
    }

    /** The row, or null when there is no such conversation. */
    ConversationRow get(long id) {
        ConversationRow row = rows.get(id);
        if (row != null) return row;
        ConversationRow known = committed.get(id);
        if (known != null) {
            row = known.copy();
            rows.put(id, row);
            return row;
        }
        wanted.add(id);
        load(tx.reader());
        return rows.get(id);
    }

    /** A row this batch has just inserted. */
    void put(ConversationRow row) {
        rows.put(row.id, row);
        written.put(row.id, row.copy());
    }

    void changed(ConversationRow row) {
        dirty.add(row.id);
        tx.wrote();
    }

    /**
     * Links the visitor's conversations that have no contact yet to {@code contactId}, in PostgreSQL and in the
     * rows the journal holds.
     */
    public static void linkContact(Tx tx, long visitorId, long contactId) {
        tx.handle().createUpdate("UPDATE conversations SET contact_id = :c WHERE visitor_id = :v AND contact_id IS NULL")
                .bind("c", contactId).bind("v", visitorId).execute();
        of(tx).changedBySql(r -> r.visitorId == visitorId && r.contactId == null, r -> r.contactId = contactId);
    }

    /** A group was deleted in this transaction: PostgreSQL set its conversations' group to null, so must the rows held. */
    public static void groupDeleted(Tx tx, long groupId) {
        of(tx).changedBySql(r -> Long.valueOf(groupId).equals(r.groupId), r -> r.groupId = null);
    }

    /**
     * Direct SQL in this transaction changed the rows that match: the committed rows held for later batches are
     * forgotten (they are read again), and this batch's working and written copies get the same change.
     */
    private void changedBySql(java.util.function.Predicate<ConversationRow> matches,
                              java.util.function.Consumer<ConversationRow> change) {
        committed.values().removeIf(matches);
        for (ConversationRow r : rows.values()) if (matches.test(r)) change.accept(r);
        for (ConversationRow r : written.values()) if (matches.test(r)) change.accept(r);
    }

    private void load(Handle h) {
        if (wanted.isEmpty()) return;
        List<ConversationRow> loaded = h.createQuery("SELECT * FROM conversations WHERE id = ANY(:c_ids)")
                .bindArray("c_ids", Long.class, wanted).map((rs, ctx) -> ConversationRow.map(rs)).list();
        for (ConversationRow r : loaded) {
            rows.putIfAbsent(r.id, r);
            committed.putIfAbsent(r.id, r.copy());
        }
        wanted.clear();
    }

    @Override
    public void committed() {
        committed.putAll(written);
    }

    @Override
    public void flush(Flush out) {
        if (dirty.isEmpty()) return;
        // One statement for the whole batch: unnest() turns the column arrays back into rows. contact_id and
        // group_id are not written: they change only by direct SQL (a visitor identified), never through the row.
        List<ConversationRow> changed = new ArrayList<>();
        for (long id : dirty) {
            ConversationRow row = rows.get(id);
            changed.add(row);
            written.put(id, row.copy());
        }
        dirty.clear();
        out.add("""
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
                        FROM unnest(:c_ids, :c_statuses, :c_offline, :c_served, :c_important, :c_closeTypes,
                                    :c_closedBy, :c_ratings, :c_ratingTexts, :c_assignees, :c_participants, :c_contactMessages,
                                    :c_lastIds, :c_lastTexts, :c_lastSubTypes, :c_lastAt, :c_visitorRead, :c_agentRead, :c_updated,
                                    :c_finished)
                             AS u(id, status, is_offline, is_served, important, close_type,
                                  closed_by, rating_value, rating_text, assignees, participants, contact_messages,
                                  last_id, last_text, last_sub_type, last_at, visitor_read, agent_read, updated, finished)
                        WHERE c.id = u.id""",
                Flush.Column.of("c_ids", "bigint", changed, r -> r.id),
                Flush.Column.of("c_statuses", "text", changed, r -> r.status),
                Flush.Column.of("c_offline", "boolean", changed, r -> r.isOffline),
                Flush.Column.of("c_served", "boolean", changed, r -> r.isServed),
                Flush.Column.of("c_important", "boolean", changed, r -> r.important),
                Flush.Column.of("c_closeTypes", "text", changed, r -> r.closeType),
                Flush.Column.of("c_closedBy", "bigint", changed, r -> r.closedBy),
                Flush.Column.of("c_ratings", "int4", changed, r -> r.ratingValue),
                Flush.Column.of("c_ratingTexts", "text", changed, r -> r.ratingText),
                Flush.Column.of("c_assignees", "text", changed, r -> pgArray(r.assigneeIds)),
                Flush.Column.of("c_participants", "text", changed, r -> pgArray(r.participantIds)),
                Flush.Column.of("c_contactMessages", "int4", changed, r -> r.contactMessageCount),
                Flush.Column.of("c_lastIds", "bigint", changed, r -> r.lastMessageId),
                Flush.Column.of("c_lastTexts", "text", changed, r -> r.lastMessageText),
                Flush.Column.of("c_lastSubTypes", "text", changed, r -> r.lastMessageSubType),
                Flush.Column.of("c_lastAt", "text", changed, r -> text(r.lastMessageAt)),
                Flush.Column.of("c_visitorRead", "bigint", changed, r -> r.visitorReadId),
                Flush.Column.of("c_agentRead", "bigint", changed, r -> r.agentReadId),
                Flush.Column.of("c_updated", "text", changed, r -> text(r.updatedAt)),
                Flush.Column.of("c_finished", "text", changed, r -> text(r.finishedAt)));
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
