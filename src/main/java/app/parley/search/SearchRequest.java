package app.parley.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/conversations/search} in Smartsupp's shape: {@code size}, the {@code after} cursor of the page
 * before, {@code sort} ({@code [{"created_at": "desc"}]} or {@code finished_at}), {@code filters} (all must hold),
 * and {@code query}: clauses {@code {field, value, op: must|must_not}} over the same fields.
 */
public record SearchRequest(Integer size, String after, List<Map<String, String>> sort, Filters filters, List<Clause> query) {

    /**
     * Smartsupp's filters ({@code query} is the full text) and Parley's: {@code rating} any of good, normal, bad,
     * none; {@code tags} with {@code tags_match} any (default) or all; {@code start_url} the page the chat began on.
     */
    public record Filters(String query, String dateFrom, String dateTo, String pageUrl, String startUrl, String locIp,
                          Long contactId, String status, String channel, List<String> rating, Long agentId, Long groupId,
                          List<Long> tags, String tagsMatch) {
        static final Filters NONE = new Filters(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** One clause of {@code query}: a field, its value, and whether it must or must not hold. */
    public record Clause(String field, JsonNode value, String op) {}
}
