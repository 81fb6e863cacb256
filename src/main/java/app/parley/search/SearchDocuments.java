package app.parley.search;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes the search documents ({@code search_conversations}): for each given conversation, its filter columns as
 * they are now (the start page: the page the visitor was on when it was first indexed, a moment after it began) and one text vector over its messages and notes (in the chat box's language), its contact's or
 * visitor's name, email and phone, and its variables. Recomputed whole from the rows, so running it twice, late or
 * in any order gives the same document; only the pages seen accumulate.
 */
public final class SearchDocuments {
    /** Past this much text a conversation's later words are not indexed (a tsvector holds at most 1 MB). */
    static final int MAX_TEXT = 200_000;
    static final int MAX_PAGES = 50;
    /** Past this many distinct words a document takes no more appended messages (a tsvector holds at most 1 MB). */
    static final int MAX_LEXEMES = 60_000;

    // The page the visitor is on now joins the pages already seen, the oldest falling out past MAX_PAGES.
    private static final String PAGES = """
            CASE WHEN cardinality(excluded.pages) = 0 OR excluded.pages[1] = ANY(s.pages) THEN s.pages
                 ELSE (s.pages || excluded.pages)[greatest(1, cardinality(s.pages) + 2 - %d):] END""".formatted(MAX_PAGES);

    /**
     * Whether the visitor's page now is one of the conversation's: while it is open, and at its first indexing
     * whatever its status (the consumer may first see a chat already resolved, its events in one batch, and the
     * page it began on must not be lost for that).
     */
    private static final String SEEN_NOW = "(c.status = 'open' OR NOT EXISTS (SELECT 1 FROM search_conversations x WHERE x.conversation_id = c.id))";

    private SearchDocuments() {}

    /** (Re)indexes the conversations with these ids; ids of conversations that are gone are skipped. */
    public static int index(Handle h, List<Long> conversationIds) {
        if (conversationIds.isEmpty()) return 0;
        return h.createUpdate("""
                        WITH body AS (
                            SELECT m.conversation_id, left(string_agg(m.text, E'\\n' ORDER BY m.id), :max) AS text
                            FROM messages m
                            WHERE m.conversation_id = ANY(:ids) AND m.kind IN ('message', 'note') AND m.text IS NOT NULL
                            GROUP BY m.conversation_id)
                        INSERT INTO search_conversations AS s (conversation_id, account_id, created_at, finished_at, status,
                               channel, group_id, contact_id, agent_ids, tag_ids, rating, ip, start_url, pages, pages_text, doc,
                               indexed_at)
                        SELECT c.id, c.account_id, c.created_at, c.finished_at, c.status, c.channel, c.group_id, c.contact_id,
                               ARRAY(SELECT DISTINCT unnest(c.assignee_ids || c.participant_ids) ORDER BY 1),
                               ARRAY(SELECT ct.tag_id FROM conversation_tags ct WHERE ct.conversation_id = c.id ORDER BY 1),
                               c.rating_value, parley_inet(c.ip), CASE WHEN %2$s THEN v.current_url END,
                               CASE WHEN %2$s AND v.current_url IS NOT NULL THEN ARRAY[v.current_url] ELSE '{}' END,
                               coalesce(lower(CASE WHEN %2$s THEN v.current_url END), ''),
                               setweight(to_tsvector(parley_search_config(v.language), coalesce(b.text, '')), 'B')
                               || setweight(to_tsvector('parley_simple', concat_ws(' ',
                                      coalesce(k.name, v.name), coalesce(k.email, v.email),
                                      translate(coalesce(k.email, v.email), '@.', '  '),
                                      coalesce(k.phone, v.phone), regexp_replace(coalesce(k.phone, v.phone), '\\D', '', 'g'))), 'A')
                               || jsonb_to_tsvector('parley_simple', c.variables || v.variables || coalesce(k.variables, '{}'),
                                      '["string", "numeric"]'),
                               now()
                        FROM conversations c
                        JOIN visitors v ON v.id = c.visitor_id
                        LEFT JOIN contacts k ON k.id = c.contact_id
                        LEFT JOIN body b ON b.conversation_id = c.id
                        WHERE c.id = ANY(:ids)
                        ON CONFLICT (conversation_id) DO UPDATE SET
                            finished_at = excluded.finished_at, status = excluded.status, channel = excluded.channel,
                            group_id = excluded.group_id, contact_id = excluded.contact_id, agent_ids = excluded.agent_ids,
                            tag_ids = excluded.tag_ids, rating = excluded.rating, ip = excluded.ip,
                            start_url = coalesce(s.start_url, excluded.start_url), doc = excluded.doc, indexed_at = excluded.indexed_at,
                            pages = %1$s,
                            pages_text = lower(concat_ws(' ', coalesce(s.start_url, excluded.start_url), array_to_string(%1$s, ' ')))
                        """.formatted(PAGES, SEEN_NOW))
                .bindArray("ids", Long.class, conversationIds).bind("max", MAX_TEXT)
                .execute();
    }

    /**
     * The cheap path for what the chat does all day: new messages are appended to their documents (their words only,
     * never the whole conversation again) and the filter columns are copied from the conversation rows; conversations
     * without a document yet get a whole one. Runs in the consumer's transaction, so each message is appended once.
     */
    public static void refresh(Handle h, List<Long> conversationIds, List<Long> messageIds) {
        if (conversationIds.isEmpty()) return;
        List<Long> missing = h.createQuery("""
                        SELECT c.id FROM unnest(:ids) AS c(id)
                        WHERE NOT EXISTS (SELECT 1 FROM search_conversations s WHERE s.conversation_id = c.id)""")
                .bindArray("ids", Long.class, conversationIds).mapTo(Long.class).list();
        // The batch's new messages are found by their ids (the primary key), never by scanning each conversation's.
        h.createUpdate("""
                        WITH fresh AS (
                            SELECT m.conversation_id, string_agg(m.text, E'\n' ORDER BY m.id) AS text
                            FROM messages m
                            WHERE m.id = ANY(:messages) AND m.kind IN ('message', 'note') AND m.text IS NOT NULL
                            GROUP BY m.conversation_id)
                        UPDATE search_conversations s SET finished_at = c.finished_at, status = c.status, channel = c.channel,
                               group_id = c.group_id, contact_id = c.contact_id,
                               agent_ids = ARRAY(SELECT DISTINCT unnest(c.assignee_ids || c.participant_ids) ORDER BY 1),
                               tag_ids = ARRAY(SELECT ct.tag_id FROM conversation_tags ct WHERE ct.conversation_id = c.id ORDER BY 1),
                               rating = c.rating_value, indexed_at = now(),
                               doc = CASE WHEN f.text IS NULL OR length(s.doc) > :maxLexemes THEN s.doc
                                          ELSE s.doc || setweight(to_tsvector(parley_search_config(v.language), f.text), 'B') END
                        FROM conversations c
                        JOIN visitors v ON v.id = c.visitor_id
                        LEFT JOIN fresh f ON f.conversation_id = c.id
                        WHERE s.conversation_id = c.id AND c.id = ANY(:ids) AND NOT (c.id = ANY(:missing))""")
                .bindArray("ids", Long.class, conversationIds).bindArray("messages", Long.class, messageIds)
                .bindArray("missing", Long.class, missing).bind("maxLexemes", MAX_LEXEMES)
                .execute();
        index(h, missing);
    }
}
