package app.parley.conversation;

import app.parley.account.Viewer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The reads behind the inbox: one conversation, a tab's page, and the tab counts, each a single query. */
public final class ConversationQueries {
    private static final String SELECT = """
            SELECT c.*, c.variables::text AS vars, v.name AS v_name, v.email AS v_email, v.phone AS v_phone,
                   (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color)
                                             ORDER BY lower(t.name)), '[]')::text
                      FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
                     WHERE ct.conversation_id = c.id) AS tag_json,
                   r.read_count, r.marked_unread,
                   EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.channel = 'email'
                             AND m.sub_type = 'contact' AND m.kind = 'message') AS has_email
            FROM conversations c
            JOIN visitors v ON v.id = c.visitor_id
            LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.agent_id = :me
            """;

    // The SQL twins of ConversationTab.contains; ConversationTabQueryTest keeps them in step.
    private static final String SEES = "(:full OR :ungrouped OR c.group_id IS NULL OR c.group_id = ANY(:groups))";
    private static final String IN_SCOPE = "(:ungrouped OR c.group_id IS NULL OR c.group_id = ANY(:groups))";
    private static final String IS_NEW = "(cardinality(c.assignee_ids) = 0 AND " + IN_SCOPE + ")";
    private static final String IS_MINE = "(c.assignee_ids @> ARRAY[CAST(:me AS bigint)] AND " + SEES + ")";

    public record Page(List<ConversationView> items, String after) {}

    private ConversationQueries() {}

    public static Optional<ConversationView> byId(Handle h, long accountId, long id, Viewer viewer) {
        Query q = h.createQuery(SELECT + " WHERE c.id = :id AND c.account_id = :account AND " + SEES);
        bindViewer(q, viewer).bind("id", id).bind("account", accountId);
        return q.map((rs, ctx) -> map(rs, viewer)).findOne();
    }

    /** Several conversations in one query, in the order of {@code ids}; those the viewer may not see are left out. */
    public static List<ConversationView> byIds(Handle h, Viewer viewer, List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        Query q = h.createQuery(SELECT + " WHERE c.id = ANY(:ids) AND c.account_id = :account AND " + SEES);
        bindViewer(q, viewer).bindArray("ids", Long.class, ids).bind("account", viewer.accountId());
        Map<Long, ConversationView> found = new java.util.HashMap<>();
        q.map((rs, ctx) -> map(rs, viewer)).forEach(v -> found.put(v.id(), v));
        List<ConversationView> ordered = new ArrayList<>();
        for (Long id : ids) if (found.containsKey(id)) ordered.add(found.get(id));
        return ordered;
    }

    /** For events: the same view without any agent's reading state. */
    public static ConversationView shared(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE c.id = :id").bind("me", -1L).bind("id", id)
                .map((rs, ctx) -> map(rs, null)).one();
    }

    public static String filter(ConversationTab tab) {
        return switch (tab) {
            case ALL -> "c.status = 'open' AND " + SEES;
            case NEW -> "c.status = 'open' AND " + IS_NEW;
            case MINE -> "c.status = 'open' AND " + IS_MINE;
            case PRIMARY -> "c.status = 'open' AND (" + IS_NEW + " OR " + IS_MINE + ")";
            case RESOLVED -> "c.status = 'closed' AND " + SEES;
        };
    }

    public static Page list(Handle h, Viewer viewer, ConversationTab tab, String after, int limit) {
        long[] cursor = decodeCursor(after);
        String order = tab == ConversationTab.RESOLVED ? "c.finished_at" : "c.last_message_at";
        Query q = h.createQuery(SELECT + " WHERE c.account_id = :account AND " + filter(tab)
                + (cursor == null ? "" : " AND (" + order + ", c.id) < (:cursorAt, :cursorId)")
                + " ORDER BY " + order + " DESC, c.id DESC LIMIT :limit");
        bindViewer(q, viewer).bind("account", viewer.accountId()).bind("limit", limit + 1);
        if (cursor != null) {
            q.bind("cursorAt", java.time.Instant.EPOCH.plus(cursor[0], java.time.temporal.ChronoUnit.MICROS)
                    .atOffset(java.time.ZoneOffset.UTC)).bind("cursorId", cursor[1]);
        }
        List<ConversationView> rows = new ArrayList<>(q.map((rs, ctx) -> map(rs, viewer)).list());
        String next = null;
        if (rows.size() > limit) {
            rows.removeLast();
            ConversationView last = rows.getLast();
            OffsetDateTime at = tab == ConversationTab.RESOLVED ? last.finishedAt() : last.lastMessage().createdAt();
            next = encodeCursor(at, last.id());
        }
        return new Page(rows, next);
    }

    /** Open tab counts for one agent, in one scan of the account's open conversations. */
    public static Map<String, Integer> counts(Handle h, Viewer viewer, boolean singleAgent) {
        Query q = h.createQuery("SELECT count(*) FILTER (WHERE " + SEES + ") AS all_count, "
                + "count(*) FILTER (WHERE " + IS_NEW + ") AS new_count, "
                + "count(*) FILTER (WHERE " + IS_MINE + ") AS mine_count, "
                + "count(*) FILTER (WHERE " + IS_NEW + " OR " + IS_MINE + ") AS primary_count "
                + "FROM conversations c WHERE c.account_id = :account AND c.status = 'open'");
        bindViewer(q, viewer).bind("account", viewer.accountId());
        return q.map((rs, ctx) -> {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("all", rs.getInt("all_count"));
            if (!singleAgent) m.put("primary", rs.getInt("primary_count"));
            m.put("new", rs.getInt("new_count"));
            if (!singleAgent) m.put("mine", rs.getInt("mine_count"));
            return m;
        }).one();
    }

    static Query bindViewer(Query q, Viewer v) {
        return q.bind("me", v.agentId()).bind("full", v.role().fullAccess()).bind("ungrouped", v.groupIds().isEmpty())
                .bindArray("groups", Long.class, v.groupIds());
    }

    /** {@code viewer} null: the shared view of events, without any agent's own fields. */
    static ConversationView map(ResultSet rs, Viewer viewer) throws SQLException {
        List<Long> assignees = new ArrayList<>(ConversationRow.longs(rs.getArray("assignee_ids")));
        List<Long> participants = new ArrayList<>(assignees);
        for (Long p : ConversationRow.longs(rs.getArray("participant_ids"))) if (!participants.contains(p)) participants.add(p);
        Integer unread = null;
        Boolean markedUnread = null;
        if (viewer != null) {
            markedUnread = rs.getBoolean("marked_unread");
            unread = Math.max(0, rs.getInt("contact_message_count") - rs.getInt("read_count"));
        }
        String ip = rs.getString("ip");
        Long groupId = (Long) rs.getObject("group_id");
        List<String> tabs = viewer == null ? null : ConversationTab.of(
                new ConversationTab.Facts(ConversationStatus.OPEN.wire().equals(rs.getString("status")), groupId, java.util.Set.copyOf(assignees)), viewer);
        return new ConversationView(
                rs.getLong("id"), rs.getString("status"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                new ConversationView.Channel(rs.getString("channel"), null),
                (Long) rs.getObject("contact_id"), rs.getLong("visitor_id"), participants, assignees,
                groupId, rs.getObject("rating_value", Integer.class), rs.getString("rating_text"),
                rs.getBoolean("is_offline"), rs.getBoolean("is_served"), rs.getBoolean("important"), unread, markedUnread, tabs,
                rs.getString("tag_json"), rs.getString("close_type"), (Long) rs.getObject("closed_by"),
                new ConversationView.VisitorRef(rs.getLong("visitor_id"), rs.getString("v_name"), rs.getString("v_email"),
                        rs.getString("v_phone")),
                new ConversationView.LastMessage((Long) rs.getObject("last_message_id"), rs.getString("last_message_text"),
                        rs.getString("last_message_sub_type"), rs.getObject("last_message_at", OffsetDateTime.class)),
                rs.getString("vars"), rs.getString("domain"), rs.getString("referer"),
                ip == null ? null : new ConversationView.Location(ip, null, null, null),
                rs.getLong("visitor_read_id"), rs.getLong("agent_read_id"), rs.getBoolean("has_email"));
    }

    static String encodeCursor(OffsetDateTime at, long id) {
        long micros = at.toEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static long[] decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            long at = app.parley.core.Input.asciiNumber(parts[0]);
            long id = app.parley.core.Input.asciiNumber(parts[1]);
            if (parts.length != 2 || at < 0 || id < 0) throw new IllegalArgumentException("not a cursor");
            return new long[] {at, id};
        } catch (RuntimeException e) {
            throw app.parley.core.Refusal.invalid("after", "The cursor is not one this API gave out.");
        }
    }
}
