package app.parley.search;

import app.parley.account.Viewer;
import app.parley.conversation.ConversationQueries;
import app.parley.conversation.ConversationView;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Runs a search over the search documents: the total (counted up to {@link #COUNT_LIMIT}, past which it says "at
 * least"), one keyset page in the chosen order, the conversations as the list shows them, and for a full-text
 * search the matching excerpt of each: five statements (with the plan setting) whatever the page holds.
 */
public final class ConversationSearch {
    /** Counting every match of a common word in millions costs seconds; "10,000+" tells an agent as much. */
    public static final int COUNT_LIMIT = 10_000;
    private static final String HEADLINE = "StartSel=\u0002, StopSel=\u0003, MaxWords=22, MinWords=8, MaxFragments=2, "
            + "FragmentDelimiter=\" … \"";

    /** A result: the conversation as the lists show it, and where the text matched (null without a text query). */
    public record Item(@com.fasterxml.jackson.annotation.JsonUnwrapped ConversationView conversation,
                       List<Highlight.Piece> highlight) {}

    public record Result(long total, boolean totalIsLowerBound, String after, List<Item> items) {}

    private enum Sort { CREATED_AT, FINISHED_AT }

    private final Jdbi jdbi;

    public ConversationSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Result run(Viewer viewer, SearchRequest r) {
        int size = r.size() == null ? 50 : r.size();
        if (size < 1 || size > 200) throw Refusal.invalid("size", "size is from 1 to 200.");
        Map.Entry<Sort, Boolean> sort = sort(r.sort());
        long[] cursor = decodeCursor(r.after());
        SearchFilter filter = SearchFilter.of(viewer, r);
        return jdbi.inTransaction(h -> {
            // A generic plan (the driver prepares statements it runs often) cannot see how rare a word or a tag is, and
            // then walks the newest-first index through millions of rows to find a handful: plan each search for its values.
            h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            return run(h, viewer, filter, sort.getKey(), sort.getValue(), cursor, size);
        });
    }

    private static Result run(Handle h, Viewer viewer, SearchFilter filter, Sort sort, boolean ascending, long[] cursor, int size) {
        long total = countQuery(h, filter, sort, "").mapTo(Long.class).one();
        Query page = pageQuery(h, filter, sort, ascending, cursor, size, "");
        record Hit(long id, OffsetDateTime at) {}
        List<Hit> hits = new ArrayList<>(page.map((rs, ctx) -> new Hit(rs.getLong(1), rs.getObject(2, OffsetDateTime.class))).list());
        String after = null;
        if (hits.size() > size) {
            hits.removeLast();
            after = encodeCursor(hits.getLast().at(), hits.getLast().id());
        }
        List<Long> ids = hits.stream().map(Hit::id).toList();
        List<ConversationView> views = ConversationQueries.byIds(h, viewer, ids);
        Map<Long, List<Highlight.Piece>> highlights = filter.text() == null || views.isEmpty() ? Map.of()
                : highlights(h, filter.text(), views.stream().map(ConversationView::id).toList());
        List<Item> items = views.stream().map(v -> new Item(v, highlights.get(v.id()))).toList();
        return new Result(Math.min(total, COUNT_LIMIT), total > COUNT_LIMIT, after, items);
    }

    private static Query countQuery(Handle h, SearchFilter filter, Sort sort, String prefix) {
        return filter.bind(h.createQuery(prefix + "SELECT count(*) FROM (SELECT 1 FROM search_conversations s WHERE "
                        + where(filter, sort) + " LIMIT :cap) AS matches"))
                .bind("cap", COUNT_LIMIT + 1);
    }

    private static Query pageQuery(Handle h, SearchFilter filter, Sort sort, boolean ascending, long[] cursor, int size, String prefix) {
        String column = sort == Sort.CREATED_AT ? "s.created_at" : "s.finished_at";
        String dir = ascending ? "ASC" : "DESC";
        Query page = filter.bind(h.createQuery(prefix + "SELECT s.conversation_id, " + column + " FROM search_conversations s WHERE "
                + where(filter, sort) + (cursor == null ? "" : " AND (" + column + ", s.conversation_id) " + (ascending ? ">" : "<")
                + " (:cursorAt, :cursorId)") + " ORDER BY " + column + " " + dir + ", s.conversation_id " + dir + " LIMIT :size"));
        page.bind("size", size + 1);
        if (cursor != null) {
            page.bind("cursorAt", Instant.EPOCH.plus(cursor[0], ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)).bind("cursorId", cursor[1]);
        }
        return page;
    }

    private static String where(SearchFilter filter, Sort sort) {
        return filter.where() + (sort == Sort.FINISHED_AT ? " AND s.finished_at IS NOT NULL" : "");
    }

    /** The plans PostgreSQL picks for a request's count and page queries (tests and operators: which index serves it). */
    List<String> explain(Viewer viewer, SearchRequest r) {
        return explain(viewer, r, false);
    }

    /** As above; {@code indexesOnly}: as if scanning the table were dearer than any index (does an index fit at all?). */
    List<String> explain(Viewer viewer, SearchRequest r, boolean indexesOnly) {
        Map.Entry<Sort, Boolean> sort = sort(r.sort());
        SearchFilter filter = SearchFilter.of(viewer, r);
        int size = r.size() == null ? 50 : r.size();
        return jdbi.inTransaction(h -> {
            if (indexesOnly) h.execute("SET LOCAL enable_seqscan = off");
            return List.of(
                    String.join("\n", countQuery(h, filter, sort.getKey(), "EXPLAIN ").mapTo(String.class).list()),
                    String.join("\n", pageQuery(h, filter, sort.getKey(), sort.getValue(), decodeCursor(r.after()), size, "EXPLAIN ")
                            .mapTo(String.class).list()));
        });
    }

    /**
     * The best excerpts of each conversation's messages and notes, hits marked (see {@link Highlight}); a match
     * only in the contact's name or a variable has no excerpt.
     */
    private static Map<Long, List<Highlight.Piece>> highlights(Handle h, TextQuery text, List<Long> ids) {
        Map<Long, List<Highlight.Piece>> out = new HashMap<>();
        h.createQuery("""
                        SELECT c.id, ts_headline(parley_search_config(v.language), b.text, parley_tsquery(:w, :p, :x), :opts)
                        FROM conversations c
                        JOIN visitors v ON v.id = c.visitor_id
                        CROSS JOIN LATERAL (
                            SELECT translate(left(string_agg(m.text, E'\\n' ORDER BY m.id), 20000), E'\\u0002\\u0003', '') AS text
                            FROM messages m WHERE m.conversation_id = c.id AND m.kind IN ('message', 'note')) b
                        WHERE c.id = ANY(:ids) AND b.text IS NOT NULL""")
                .bind("w", text.words()).bind("p", text.prefixes()).bind("x", text.excluded()).bind("opts", HEADLINE)
                .bindArray("ids", Long.class, ids)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), Highlight.of(rs.getString(2))))
                .forEach(e -> {
                    if (e.getValue().hasHit()) out.put(e.getKey(), e.getValue().pieces());
                });
        return out;
    }

    /** Smartsupp's {@code sort: [{"created_at": "desc"}]}: created_at (default) or finished_at, asc or desc. */
    private static Map.Entry<Sort, Boolean> sort(List<Map<String, String>> sort) {
        if (sort == null || sort.isEmpty()) return Map.entry(Sort.CREATED_AT, false);
        Map<String, String> first = sort.getFirst();
        if (sort.size() != 1 || first == null || first.size() != 1) {
            throw Refusal.invalid("sort", "sort is a list like [{\"created_at\": \"desc\"}].");
        }
        Map.Entry<String, String> e = first.entrySet().iterator().next();
        Sort by = switch (e.getKey()) {
            case "created_at" -> Sort.CREATED_AT;
            case "finished_at" -> Sort.FINISHED_AT;
            default -> throw Refusal.invalid("sort", "sort is by created_at or finished_at.");
        };
        if (!"asc".equals(e.getValue()) && !"desc".equals(e.getValue())) throw Refusal.invalid("sort", "A sort direction is asc or desc.");
        return Map.entry(by, "asc".equals(e.getValue()));
    }

    static String encodeCursor(OffsetDateTime at, long id) {
        long micros = at.toEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static long[] decodeCursor(String cursor) {
        if (cursor == null) return null;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 2) throw new IllegalArgumentException("not a cursor");
            long at = Input.asciiNumber(parts[0]);
            long id = Input.asciiNumber(parts[1]);
            if (at < 0 || id < 0) throw new IllegalArgumentException("not a cursor");
            return new long[] {at, id};
        } catch (RuntimeException e) {
            throw Refusal.invalid("after", "after is a cursor this API gave out.");
        }
    }
}
