package app.parley.search;

import app.parley.account.Viewer;
import app.parley.conversation.Channel;
import app.parley.conversation.ConversationStatus;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A search request read into one SQL condition over {@code search_conversations s}, every part AND-combined and
 * each served by an index of V13. Values are bound, never spliced; what an agent may not see is excluded here
 * (and again when the conversations are loaded). {@link #text()} is the full-text part, for the highlights.
 */
final class SearchFilter {
    static final List<String> FIELDS = List.of("text", "status", "channel", "rating", "agent_id", "group_id", "tag",
            "contact_id", "page_url", "start_url", "loc_ip");

    private final List<String> where = new ArrayList<>();
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private final Map<String, List<Long>> arrays = new LinkedHashMap<>();
    private TextQuery text;
    private int n;

    static SearchFilter of(Viewer viewer, SearchRequest r) {
        SearchFilter f = new SearchFilter();
        f.where.add("s.account_id = :account");
        f.binds.put("account", viewer.accountId());
        if (!viewer.role().fullAccess() && !viewer.groupIds().isEmpty()) {
            f.where.add("(s.group_id IS NULL OR s.group_id = ANY(:groups))");
            f.arrays.put("groups", List.copyOf(viewer.groupIds()));
        }
        SearchRequest.Filters x = r.filters() == null ? SearchRequest.Filters.NONE : r.filters();
        if (x.query() != null && !x.query().isBlank()) f.text("query", x.query(), true);
        if (x.dateFrom() != null) f.add("s.created_at >= :%s", date("date_from", x.dateFrom()));
        if (x.dateTo() != null) f.add("s.created_at < :%s", date("date_to", x.dateTo()).plusDays(1));
        if (x.pageUrl() != null) f.contains("s.pages_text", "page_url", x.pageUrl(), true);
        if (x.startUrl() != null) f.contains("s.start_url", "start_url", x.startUrl(), true);
        if (x.locIp() != null) f.ip("loc_ip", x.locIp(), true);
        if (x.contactId() != null) f.add("s.contact_id = :%s", x.contactId());
        if (x.status() != null) f.add("s.status = :%s", ConversationStatus.parse("status", x.status()).wire());
        if (x.channel() != null) f.add("s.channel = :%s", channel("channel", x.channel()));
        if (x.rating() != null && !x.rating().isEmpty()) f.rating("rating", x.rating(), true);
        if (x.agentId() != null) f.longs("s.agent_ids @> :%s", List.of(x.agentId()), true);
        if (x.groupId() != null) f.add("s.group_id = :%s", x.groupId());
        if (x.tags() != null && !x.tags().isEmpty()) {
            String match = x.tagsMatch() == null ? "any" : x.tagsMatch();
            if (!match.equals("any") && !match.equals("all")) throw Refusal.invalid("tags_match", "tags_match is any or all.");
            if (x.tags().size() > 50) throw Refusal.invalid("tags", "At most 50 tags.");
            f.longs(match.equals("all") ? "s.tag_ids @> :%s" : "s.tag_ids && :%s", x.tags(), true);
        } else if (x.tagsMatch() != null && !x.tagsMatch().equals("any") && !x.tagsMatch().equals("all")) {
            throw Refusal.invalid("tags_match", "tags_match is any or all.");
        }
        if (r.query() != null) {
            if (r.query().size() > 20) throw Refusal.invalid("query", "At most 20 query clauses.");
            for (int i = 0; i < r.query().size(); i++) f.clause("query[" + i + "]", r.query().get(i));
        }
        return f;
    }

    private void clause(String at, SearchRequest.Clause c) {
        if (c == null || c.field() == null) throw Refusal.invalid(at + ".field", at + ".field is one of " + String.join(", ", FIELDS) + ".");
        String op = c.op() == null ? "must" : c.op();
        if (!op.equals("must") && !op.equals("must_not")) throw Refusal.invalid(at + ".op", at + ".op is must or must_not.");
        boolean must = op.equals("must");
        String field = at + ".value";
        if (c.value() == null || !c.value().isValueNode() || c.value().isNull()) {
            throw Refusal.invalid(field, field + " is a string or a number.");
        }
        String v = c.value().asText();
        Input.refuseControlCharacters(field, v, false);
        switch (c.field()) {
            case "text" -> text(field, v, must);
            case "status" -> add(must, "s.status = :%s", ConversationStatus.parse(field, v).wire());
            case "channel" -> add(must, "s.channel = :%s", channel(field, v));
            case "rating" -> rating(field, List.of(v), must);
            case "agent_id" -> longs("s.agent_ids @> :%s", List.of(id(field, v)), must);
            case "group_id" -> add(must, "s.group_id = :%s", id(field, v));
            case "tag" -> longs("s.tag_ids @> :%s", List.of(id(field, v)), must);
            case "contact_id" -> add(must, "s.contact_id = :%s", id(field, v));
            case "page_url" -> contains("s.pages_text", field, v, must);
            case "start_url" -> contains("s.start_url", field, v, must);
            case "loc_ip" -> ip(field, v, must);
            default -> throw Refusal.invalid(at + ".field", at + ".field is one of " + String.join(", ", FIELDS) + ".");
        }
    }

    private void text(String field, String typed, boolean must) {
        TextQuery q = TextQuery.parse(field, typed);
        String w = name(), p = name(), x = name();
        binds.put(w, q.words());
        binds.put(p, q.prefixes());
        binds.put(x, q.excluded());
        // A conversation matches when its own document and all its messages' words together match (every word of
        // "refund parcel" somewhere in it, not necessarily in one message). That check reads the conversation's
        // message rows, so it is made only on the candidates the text index gives: conversations with any one of
        // the query's words.
        String whole = "(s.doc || coalesce((SELECT parley_tsvector_agg(m.doc) FROM search_messages m"
                + " WHERE m.conversation_id = s.conversation_id), ''::tsvector)) @@ parley_tsquery(:" + w + ", :" + p + ", :" + x + ")";
        if (!must) {
            where.add("NOT " + whole);
        } else if (q.words().isBlank() && q.prefixes().isBlank()) {
            where.add(whole);
        } else {
            String any = "parley_any_word(parley_tsquery(:" + w + ", :" + p + ", ''))";
            where.add("s.conversation_id IN (SELECT m.conversation_id FROM search_messages m WHERE m.doc @@ " + any
                    + " UNION SELECT d.conversation_id FROM search_conversations d WHERE d.doc @@ " + any + ") AND " + whole);
        }
        if (must && text == null) text = q;
    }

    private void contains(String column, String field, String value, boolean must) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || v.length() > 500) throw Refusal.invalid(field, field + " is a part of a page address, 1 to 500 characters.");
        String escaped = v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        add(must, column + " ILIKE :%s", "%" + escaped + "%");
    }

    private void ip(String field, String value, boolean must) {
        IpRange range = IpRange.parse(field, value);
        add(must, range.exact() ? "s.ip = CAST(:%s AS inet)" : "s.ip <<= set_masklen(CAST(:%1$s AS cidr), masklen(CAST(:%1$s AS inet)))",
                range.network());
    }

    private void rating(String field, List<String> values, boolean must) {
        List<Long> scores = new ArrayList<>();
        boolean none = false;
        for (String v : values) {
            switch (v == null ? "" : v) {
                case "good" -> scores.add(5L);
                case "normal" -> scores.add(3L);
                case "bad" -> scores.add(1L);
                case "none" -> none = true;
                default -> throw Refusal.invalid(field, field + " is good, normal, bad or none.");
            }
        }
        String cond = scores.isEmpty() ? "s.rating IS NULL"
                : none ? "(s.rating = ANY(CAST(:%s AS smallint[])) OR s.rating IS NULL)" : "s.rating = ANY(CAST(:%s AS smallint[]))";
        if (scores.isEmpty()) {
            where.add(must ? cond : "NOT (" + cond + ")");
        } else {
            longs(cond, scores, must);
        }
    }

    private void add(String sql, Object value) {
        add(true, sql, value);
    }

    private void add(boolean must, String sql, Object value) {
        String b = name();
        binds.put(b, value);
        String cond = sql.formatted(b);
        where.add(must ? cond : "NOT coalesce(" + cond + ", false)");
    }

    private void longs(String sql, List<Long> values, boolean must) {
        String b = name();
        arrays.put(b, values);
        String cond = sql.formatted(b);
        where.add(must ? cond : "NOT coalesce(" + cond + ", false)");
    }

    private String name() {
        return "f" + n++;
    }

    String where() {
        return String.join(" AND ", where);
    }

    TextQuery text() {
        return text;
    }

    <T extends SqlStatement<T>> T bind(T q) {
        binds.forEach(q::bind);
        arrays.forEach((k, v) -> q.bindArray(k, Long.class, v));
        return q;
    }

    private static long id(String field, String v) {
        long id = Input.asciiNumber(v);
        if (id < 1) throw Refusal.invalid(field, field + " is an id.");
        return id;
    }

    private static String channel(String field, String v) {
        for (Channel c : Channel.values()) if (c.wire().equals(v)) return v;
        throw Refusal.invalid(field, field + " is one of 'chat', 'facebook', 'email'.");
    }

    private static java.time.OffsetDateTime date(String field, String value) {
        return dateOnly(field, value).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate dateOnly(String field, String value) {
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (RuntimeException e) {
            throw Refusal.invalid(field, field + " is a date like 2026-11-21.");
        }
    }
}
