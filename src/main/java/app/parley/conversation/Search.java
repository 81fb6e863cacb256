package app.parley.conversation;

import app.parley.account.Viewer;
import app.parley.core.Refusal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** {@code POST /v2/conversations/search} in Smartsupp's request and response shape (docs/PRODUCT.md §7). */
public final class Search {
    public record Request(Integer size, String after, List<Map<String, String>> sort, Filters filters,
                          List<Map<String, String>> query) {}

    public record Filters(String query, String dateFrom, String dateTo, String pageUrl, String locIp, Long contactId,
                          String status) {}

    private Search() {}

    public static Map<String, Object> run(Handle h, Viewer viewer, Request r) {
        int size = r.size() == null ? 50 : r.size();
        if (size < 1 || size > 200) throw Refusal.invalid("size", "size is from 1 to 200.");
        boolean ascending = ascending(r.sort());
        Filters f = r.filters() == null ? new Filters(null, null, null, null, null, null, null) : r.filters();
        List<String> where = new ArrayList<>(List.of("c.account_id = :account",
                "(:full OR :ungrouped OR c.group_id IS NULL OR c.group_id = ANY(:groups))"));
        Map<String, Object> binds = new LinkedHashMap<>();
        if (f.query() != null && !f.query().isBlank()) {
            where.add("EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.text ILIKE :q)");
            binds.put("q", "%" + f.query().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (f.dateFrom() != null) {
            where.add("c.created_at >= :from");
            binds.put("from", date("date_from", f.dateFrom()).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
        if (f.dateTo() != null) {
            where.add("c.created_at < :to");
            binds.put("to", date("date_to", f.dateTo()).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
        if (f.locIp() != null) {
            where.add("c.ip = :ip");
            binds.put("ip", f.locIp());
        }
        if (f.contactId() != null) {
            where.add("c.contact_id = :contact");
            binds.put("contact", f.contactId());
        }
        if (f.pageUrl() != null) {
            where.add("EXISTS (SELECT 1 FROM visitors v WHERE v.id = c.visitor_id AND v.current_url ILIKE :url)");
            binds.put("url", "%" + f.pageUrl() + "%");
        }
        if (f.status() != null) {
            where.add("c.status = :status");
            binds.put("status", ConversationStatus.parse("status", f.status()).wire());
        }
        String filter = String.join(" AND ", where);
        Query count = ConversationQueries.bindViewer(h.createQuery("SELECT count(*) FROM conversations c WHERE " + filter), viewer)
                .bind("account", viewer.accountId());
        binds.forEach(count::bind);
        long total = count.mapTo(Long.class).one();

        Long afterId = null;
        if (r.after() != null) {
            afterId = app.parley.core.Input.asciiNumber(r.after());
            if (afterId < 0) throw Refusal.invalid("after", "after is a cursor this API gave out.");
        }
        String page = filter + (afterId == null ? "" : ascending ? " AND c.id > :afterId" : " AND c.id < :afterId");
        Query q = ConversationQueries.bindViewer(h.createQuery("SELECT id FROM conversations c WHERE " + page
                        + " ORDER BY c.id " + (ascending ? "ASC" : "DESC") + " LIMIT :size"), viewer)
                .bind("account", viewer.accountId()).bind("size", size);
        binds.forEach(q::bind);
        if (afterId != null) q.bind("afterId", afterId);
        List<Long> ids = q.mapTo(Long.class).list();
        List<ConversationView> items = ConversationQueries.byIds(h, viewer, ids);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("after", ids.size() == size ? String.valueOf(ids.getLast()) : null);
        out.put("items", items);
        return out;
    }

    /** Smartsupp's {@code sort: [{"created_at": "asc"}]}; results come in creation order either way. */
    private static boolean ascending(List<Map<String, String>> sort) {
        if (sort == null || sort.isEmpty()) return false;
        Map<String, String> first = sort.getFirst();
        if (first == null || first.size() != 1) throw Refusal.invalid("sort", "sort is a list like [{\"created_at\": \"desc\"}].");
        String direction = first.values().iterator().next();
        if (!"asc".equals(direction) && !"desc".equals(direction)) throw Refusal.invalid("sort", "A sort direction is asc or desc.");
        return "asc".equals(direction);
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (RuntimeException e) {
            throw Refusal.invalid(field, field + " is a date like 2026-11-21.");
        }
    }
}
