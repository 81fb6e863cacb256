package app.parley.conversation;

import app.parley.store.Flush;
import app.parley.store.Tx;
import app.parley.store.TxPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The conversations a batch of commands touches: taken from the journal's cache of committed rows or loaded
 * together in one query, changed in memory, written back together in one batched UPDATE before the commit.
 *
 * <p>The journal is the only writer of conversation rows, so the rows it last committed are what PostgreSQL
 * holds: a visitor writing on in a known conversation costs no read. Commands change working copies; a copy
 * becomes the committed row only when the batch that wrote it commits (a rolled-back batch drops the whole cache).
 * Changes made by direct SQL go through here too: a contact linked to a visitor ({@link #linkContact}), a group
 * deleted ({@link #groupDeleted}); other features reach them through {@link ConversationLinks}.
 */
public final class ConversationCache implements TxPart {
    /** A map that forgets its least recently used entries past {@code max}. */
    private static class Bounded<K, V> extends LinkedHashMap<K, V> {
        private final int max;

        Bounded(int max) {
            super(1024, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > max;
        }
    }

    /** The committed rows, most recently used last; the journal keeps it across batches. */
    private static final class Committed extends Bounded<Long, ConversationRow> implements app.parley.store.CommittedRows {
        Committed() {
            super(20_000);
        }

        @Override
        public void forget(java.util.Set<Long> conversationIds, java.util.Set<Long> visitorIds) {
            keySet().removeAll(conversationIds);
            if (!visitorIds.isEmpty()) values().removeIf(row -> visitorIds.contains(row.visitorId));
        }
    }

    /**
     * Each visitor's newest conversation as committed, most recently used last. The journal creates every
     * conversation ({@link #put}), so a visitor's newest is known without a read once seen since the start.
     */
    private static final class Newest extends Bounded<Long, Long> implements app.parley.store.CommittedRows {
        Newest() {
            super(50_000);
        }

        @Override
        public void forget(java.util.Set<Long> conversationIds, java.util.Set<Long> visitorIds) {
            keySet().removeAll(visitorIds);
        }
    }

    private final Tx tx;
    private final Committed committed;
    private final Newest newest;
    // Conversations this batch created, per visitor: the newest once the batch commits.
    private final Map<Long, Long> created = new HashMap<>();
    private final Map<Long, ConversationRow> rows = new HashMap<>();
    private final Set<Long> wanted = new LinkedHashSet<>();
    private final Set<Long> dirty = new LinkedHashSet<>();
    // Copies of the rows as this batch wrote them: they become the committed rows if the batch commits.
    private final Map<Long, ConversationRow> written = new HashMap<>();

    private ConversationCache(Tx tx) {
        this.tx = tx;
        this.committed = tx.lasting(Committed.class, Committed::new);
        this.newest = tx.lasting(Newest.class, Newest::new);
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
        created.merge(row.visitorId, row.id, Math::max);
    }

    /**
     * The id of the visitor's newest conversation, or null if they have none. Read from PostgreSQL only for a visitor
     * not seen since the start: a channel's next message in a known conversation sends nothing before the commit
     * (a read would first flush what the batch holds, and split the chat's batched writes).
     */
    Long newestOf(long visitorId) {
        Long id = created.get(visitorId);
        if (id == null) id = newest.get(visitorId);
        if (id != null) return id;
        id = tx.reader().createQuery("SELECT id FROM conversations WHERE visitor_id = :v ORDER BY id DESC LIMIT 1")
                .bind("v", visitorId).mapTo(Long.class).findOne().orElse(null);
        // Committed before this batch: what this batch creates is in created, and reaches newest when it commits.
        if (id != null) newest.put(visitorId, id);
        return id;
    }

    void changed(ConversationRow row) {
        dirty.add(row.id);
        tx.wrote();
    }

    /**
     * Links the visitor's conversations that have no contact yet to {@code contactId}, in PostgreSQL and in the
     * rows the journal holds.
     */
    static void linkContact(Tx tx, long visitorId, long contactId) {
        tx.handle().createUpdate("UPDATE conversations SET contact_id = :c WHERE visitor_id = :v AND contact_id IS NULL")
                .bind("c", contactId).bind("v", visitorId).execute();
        of(tx).changedBySql(r -> r.visitorId == visitorId && r.contactId == null, r -> r.contactId = contactId);
    }

    /**
     * The visitor proved to be a verified contact: their conversations linked to the contact they had of their own
     * ({@code from}) move to it.
     */
    static void moveContact(Tx tx, long visitorId, long from, long to) {
        tx.handle().createUpdate("UPDATE conversations SET contact_id = :to WHERE visitor_id = :v AND contact_id = :from")
                .bind("to", to).bind("v", visitorId).bind("from", from).execute();
        of(tx).changedBySql(r -> r.visitorId == visitorId && Long.valueOf(from).equals(r.contactId), r -> r.contactId = to);
    }

    /** A group was deleted in this transaction: PostgreSQL set its conversations' group to null, so must the rows held. */
    static void groupDeleted(Tx tx, long groupId) {
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
        created.forEach((visitor, id) -> newest.merge(visitor, id, Math::max));
    }

    /** A column the journal writes back: its array parameter, the array's element type, the cast to the column's type. */
    private record Written(String column, String param, String type, String cast, Function<ConversationRow, Object> value) {
        String valueOf(String element) {
            return cast == null ? element : "CAST(" + element + " AS " + cast + ")";
        }
    }

    // contact_id and group_id are not written: they change only by direct SQL (a visitor identified), never here.
    private static final List<Written> WRITTEN = List.of(
            new Written("status", "c_statuses", "text", null, r -> r.status.wire()),
            new Written("is_offline", "c_offline", "boolean", null, r -> r.isOffline),
            new Written("is_served", "c_served", "boolean", null, r -> r.isServed),
            new Written("important", "c_important", "boolean", null, r -> r.important),
            new Written("close_type", "c_closeTypes", "text", null, r -> r.closeType == null ? null : r.closeType.wire()),
            new Written("closed_by", "c_closedBy", "bigint", null, r -> r.closedBy),
            new Written("rating_value", "c_ratings", "int4", null, r -> r.ratingValue),
            new Written("rating_text", "c_ratingTexts", "text", null, r -> r.ratingText),
            new Written("assignee_ids", "c_assignees", "text", "bigint[]", r -> pgArray(r.assigneeIds)),
            new Written("participant_ids", "c_participants", "text", "bigint[]", r -> pgArray(r.participantIds)),
            new Written("contact_message_count", "c_contactMessages", "int4", null, r -> r.contactMessageCount),
            new Written("last_message_id", "c_lastIds", "bigint", null, r -> r.lastMessageId),
            new Written("last_message_text", "c_lastTexts", "text", null, r -> r.lastMessageText),
            new Written("last_message_sub_type", "c_lastSubTypes", "text", null, r -> r.lastMessageSubType == null ? null : r.lastMessageSubType.wire()),
            new Written("last_message_at", "c_lastAt", "text", "timestamptz", r -> text(r.lastMessageAt)),
            new Written("visitor_read_id", "c_visitorRead", "bigint", null, r -> r.visitorReadId),
            new Written("agent_read_id", "c_agentRead", "bigint", null, r -> r.agentReadId),
            new Written("updated_at", "c_updated", "text", "timestamptz", r -> text(r.updatedAt)),
            new Written("finished_at", "c_finished", "text", "timestamptz", r -> text(r.finishedAt)));

    /**
     * One conversation (a visitor writing at a quiet moment): an update by primary key, whose plan PostgreSQL
     * caches once and never re-plans.
     */
    static final String UPDATE_ONE = "UPDATE conversations SET "
            + WRITTEN.stream().map(w -> w.column() + " = " + w.valueOf("(:" + w.param() + ")[1]")).collect(Collectors.joining(", "))
            + " WHERE id = (:c_ids)[1]";

    /**
     * Several: one statement, unnest() turning the column arrays back into rows. "c.id = ANY(:c_ids)" keeps every
     * plan on the primary key: PostgreSQL caches a generic plan for a prepared statement once its first executions
     * cost more (big batches), and without that condition the generic plan hash-joins a sequential scan of all
     * conversations, on every batch, for ever after.
     */
    static final String UPDATE_MANY = "UPDATE conversations c SET "
            + WRITTEN.stream().map(w -> w.column() + " = " + w.valueOf("u." + w.column())).collect(Collectors.joining(", "))
            + " FROM unnest(:c_ids, " + WRITTEN.stream().map(w -> ":" + w.param()).collect(Collectors.joining(", "))
            + ") AS u(id, " + WRITTEN.stream().map(Written::column).collect(Collectors.joining(", "))
            + ") WHERE c.id = u.id AND c.id = ANY(:c_ids)";

    @Override
    public void flush(Flush out) {
        if (dirty.isEmpty()) return;
        List<ConversationRow> changed = new ArrayList<>(dirty.size());
        for (long id : dirty) {
            ConversationRow row = rows.get(id);
            changed.add(row);
            written.put(id, row.copy());
        }
        dirty.clear();
        writeBack(out, changed);
    }

    /** Adds the statement that writes {@code changed} back to their rows. */
    static void writeBack(Flush out, List<ConversationRow> changed) {
        Flush.Column[] columns = new Flush.Column[WRITTEN.size() + 1];
        columns[0] = Flush.Column.of("c_ids", "bigint", changed, r -> r.id);
        for (int i = 0; i < WRITTEN.size(); i++) {
            Written w = WRITTEN.get(i);
            columns[i + 1] = Flush.Column.of(w.param(), w.type(), changed, w.value());
        }
        out.add(changed.size() == 1 ? UPDATE_ONE : UPDATE_MANY, columns);
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
