package app.parley.search;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes the search documents ({@code search_conversations}): for each given conversation, its filter columns as
 * they are now (the start page: the visitor's last page view before it began; the pages: those they opened while it
 * was open, from tracking's browsing history) and
 * a text vector over its contact's or visitor's name, email and phone and its variables; and the words of its
 * messages and notes ({@code search_messages}, stemmed in the chat box's language), in pieces: a row holds the words
 * of the messages of one conversation that one batch indexed (see {@link #INSERT_PIECES}). Recomputed from the
 * rows, so running it twice, late or in any order gives the same documents (pages a pruned history no longer holds
 * are kept).
 */
public final class SearchDocuments {
    /** Past this much text a message's later words are not indexed (a tsvector holds at most 1 MB). */
    static final int MAX_TEXT = 200_000;
    static final int MAX_PAGES = 50;
    /** A piece of a conversation's words holds at most this many messages… */
    static final int PIECE_MESSAGES = 100;
    /** …that begin within this many bytes of text of its first (a tsvector holds at most 1 MB). */
    static final int PIECE_BYTES = 50_000;

    /**
     * The pages the visitor opened while the conversation was open, from the browsing history tracking keeps (never
     * from events: a page view is not one): the newest {@value #MAX_PAGES} distinct addresses, oldest first. Read
     * through the history's visitor index; empty for a conversation with no page views (email, Messenger).
     */
    private static final String PAGES_SEEN = """
            ARRAY(SELECT u.url FROM (SELECT p.url, max(p.viewed_at) AS at FROM page_views p
                                     WHERE p.visitor_id = c.visitor_id AND p.viewed_at >= c.created_at
                                       AND p.viewed_at <= coalesce(c.finished_at, 'infinity')
                                     GROUP BY p.url ORDER BY at DESC LIMIT %d) u ORDER BY u.at)""".formatted(MAX_PAGES);

    /** A history that was pruned, or a document written before it was kept, keeps the pages it had. */
    private static final String PAGES_KEPT = "CASE WHEN cardinality(%1$s) = 0 THEN s.pages ELSE %1$s END";

    /**
     * Whether the visitor's page now is one of the conversation's: while it is open, and at its first indexing
     * whatever its status (the consumer may first see a chat already resolved, its events in one batch, and the
     * page it began on must not be lost for that).
     */
    private static final String SEEN_NOW = "(c.status = 'open' OR NOT EXISTS (SELECT 1 FROM search_conversations x WHERE x.conversation_id = c.id))";

    private SearchDocuments() {}

    /**
     * (Re)indexes the conversations with these ids; ids of conversations that are gone are skipped. Their message
     * rows are made when a conversation is new to the index or its language changed, or always when
     * {@code rebuildText} (a rebuild from scratch).
     */
    public static int index(Handle h, List<Long> conversationIds, boolean rebuildText) {
        if (conversationIds.isEmpty()) return 0;
        List<Long> text = rebuildText ? conversationIds : h.createQuery("""
                        SELECT c.id FROM conversations c
                        JOIN visitors v ON v.id = c.visitor_id
                        LEFT JOIN search_conversations s ON s.conversation_id = c.id
                        WHERE c.id = ANY(:ids) AND s.text_config IS DISTINCT FROM parley_search_config(v.language)""")
                .bindArray("ids", Long.class, conversationIds).mapTo(Long.class).list();
        int n = h.createUpdate("""
                        INSERT INTO search_conversations AS s (conversation_id, account_id, created_at, finished_at, status,
                               channel, group_id, contact_id, agent_ids, tag_ids, rating, ip, start_url, pages, pages_text, doc,
                               text_config, indexed_at)
                        SELECT c.id, c.account_id, c.created_at, c.finished_at, c.status, c.channel, c.group_id, c.contact_id,
                               ARRAY(SELECT DISTINCT unnest(c.assignee_ids || c.participant_ids) ORDER BY 1),
                               ARRAY(SELECT ct.tag_id FROM conversation_tags ct WHERE ct.conversation_id = c.id ORDER BY 1),
                               c.rating_value, parley_inet(c.ip), seen.start_url, seen.pages,
                               lower(concat_ws(' ', seen.start_url, array_to_string(seen.pages, ' '))),
                               setweight(to_tsvector('parley_simple', concat_ws(' ',
                                      coalesce(k.name, v.name), coalesce(k.email, v.email),
                                      translate(coalesce(k.email, v.email), '@.', '  '),
                                      coalesce(k.phone, v.phone), regexp_replace(coalesce(k.phone, v.phone), '\\D', '', 'g'))), 'A')
                               || jsonb_to_tsvector('parley_simple', c.variables || v.variables || coalesce(k.variables, '{}'),
                                      '["string", "numeric"]'),
                               parley_search_config(v.language), now()
                        FROM conversations c
                        JOIN visitors v ON v.id = c.visitor_id
                        LEFT JOIN contacts k ON k.id = c.contact_id
                        -- The page the chat began on: the visitor's last page view before it (else the visitor's page).
                        CROSS JOIN LATERAL (SELECT coalesce((SELECT p.url FROM page_views p WHERE p.visitor_id = c.visitor_id
                                                               AND p.viewed_at <= c.created_at ORDER BY p.viewed_at DESC LIMIT 1),
                                                            CASE WHEN %2$s THEN v.current_url END) AS start_url,
                                                   %3$s AS pages) seen
                        WHERE c.id = ANY(:ids)
                        ON CONFLICT (conversation_id) DO UPDATE SET
                            finished_at = excluded.finished_at, status = excluded.status, channel = excluded.channel,
                            group_id = excluded.group_id, contact_id = excluded.contact_id, agent_ids = excluded.agent_ids,
                            tag_ids = excluded.tag_ids, rating = excluded.rating, ip = excluded.ip,
                            start_url = coalesce(s.start_url, excluded.start_url), doc = excluded.doc,
                            text_config = excluded.text_config, indexed_at = excluded.indexed_at,
                            pages = %1$s,
                            pages_text = lower(concat_ws(' ', coalesce(s.start_url, excluded.start_url), array_to_string(%1$s, ' ')))
                        """.formatted(PAGES_KEPT.formatted("excluded.pages"), SEEN_NOW, PAGES_SEEN))
                .bindArray("ids", Long.class, conversationIds)
                .execute();
        if (!text.isEmpty()) {
            h.createUpdate("DELETE FROM search_messages WHERE conversation_id = ANY(:ids)").bindArray("ids", Long.class, text).execute();
            pieces(h.createUpdate(INSERT_PIECES.formatted("m.conversation_id = ANY(:ids)")).bindArray("ids", Long.class, text));
        }
        return n;
    }

    /**
     * The words of messages, in their conversation's language, in pieces: the given messages of each conversation in
     * id order, at most {@value #PIECE_MESSAGES} to a row and those that begin within {@value #PIECE_BYTES} bytes of
     * text of the row's first. A row's words are its messages' own joined by {@code ||} (positions shifted), as the
     * text check joins the rows of a conversation, so a conversation's words are the same as with a row per message;
     * what is written per row (a tuple, its key, its text index entries: a word the messages share is one entry)
     * is written once per conversation and batch instead of once per message. Only conversations that have a
     * document get pieces (the join). A row is keyed by its first message: a piece written already is left as it is.
     */
    private static final String INSERT_PIECES = """
            INSERT INTO search_messages (conversation_id, first_message_id, doc)
            SELECT t.conversation_id, min(t.id), parley_tsvector_agg(setweight(to_tsvector(t.text_config, t.text), 'B') ORDER BY t.id)
            FROM (SELECT m.conversation_id, m.id, s.text_config, left(m.text, :max) AS text,
                         row_number() OVER w AS n, sum(octet_length(left(m.text, :max))) OVER w AS bytes
                  FROM messages m JOIN search_conversations s ON s.conversation_id = m.conversation_id
                  WHERE %s AND m.kind IN ('message', 'note') AND m.text IS NOT NULL
                  WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.id)) t
            GROUP BY t.conversation_id, (t.n - 1) / :pieceMessages, (t.bytes - octet_length(t.text)) / :pieceBytes
            ON CONFLICT (conversation_id, first_message_id) DO NOTHING""";

    private static void pieces(org.jdbi.v3.core.statement.Update insert) {
        insert.bind("max", MAX_TEXT).bind("pieceMessages", PIECE_MESSAGES).bind("pieceBytes", PIECE_BYTES).execute();
    }

    /**
     * The new messages whose {@code message.created} events lie in these stretches of the log get their pieces (one
     * per conversation that has a document; see {@link #addMessages}); answers the conversations they belong to, each
     * once. The events are read here, in the consumer's transaction: only each one's message id is taken from its
     * payload (the digits after its leading {@code "id":} as {@code core.Json} writes it, else the parsed member),
     * and nothing of them is sent to the server.
     */
    public static List<Long> addMessagesOf(Handle h, List<app.parley.store.EventHandler.Passed> passed) {
        if (passed.isEmpty()) return List.of();
        return h.createQuery(ADD_MESSAGES_OF)
                .bindArray("accounts", Long.class, passed.stream().map(app.parley.store.EventHandler.Passed::accountId).toList())
                .bindArray("afters", Long.class, passed.stream().map(app.parley.store.EventHandler.Passed::after).toList())
                .bindArray("upTos", Long.class, passed.stream().map(app.parley.store.EventHandler.Passed::upTo).toList())
                .bind("max", MAX_TEXT).bind("pieceMessages", PIECE_MESSAGES).bind("pieceBytes", PIECE_BYTES)
                .mapTo(Long.class).list();
    }

    static final String ADD_MESSAGES_OF = """
                        WITH made AS (
                            SELECT e.conversation_id, CASE WHEN starts_with(e.agent_payload, '{"id":') AND length(x.d) BETWEEN 1 AND 18
                                                                AND translate(x.d, '0123456789', '') = '' THEN x.d::bigint
                                                           ELSE (e.agent_payload::jsonb ->> 'id')::bigint END AS id
                            FROM unnest(:accounts, :afters, :upTos) AS p(a, after_seq, up_to)
                            CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.account_id = p.a AND e.seq > p.after_seq
                                                AND e.seq <= p.up_to AND e.type = 'message.created') e
                            CROSS JOIN LATERAL (SELECT split_part(rtrim(substr(e.agent_payload, 7, 21), '}'), ',', 1) AS d) x),
                        pieces AS (%s)
                        SELECT DISTINCT conversation_id FROM made WHERE conversation_id IS NOT NULL""".formatted(
                                INSERT_PIECES.formatted("m.id = ANY(ARRAY(SELECT id FROM made))"));

    /**
     * Pieces for the messages with these ids, of conversations that have a document (one without gets its messages
     * with its document, {@link #index}). Found by their ids (the primary key), never by scanning each conversation's.
     */
    static void addMessages(Handle h, List<Long> messageIds) {
        if (messageIds.isEmpty()) return;
        pieces(h.createUpdate(INSERT_PIECES.formatted("m.id = ANY(:messages)")).bindArray("messages", Long.class, messageIds));
    }

    /**
     * The cheap path for what the chat does all day, after the new messages' pieces ({@link #addMessagesOf}): the
     * filter columns (and the pages seen) are copied when they changed; conversations without a document yet get a
     * whole one (their messages with it). Runs in the consumer's transaction, so each message is indexed once.
     */
    public static void refresh(Handle h, List<Long> conversationIds) {
        if (conversationIds.isEmpty()) return;
        List<Long> missing = h.createQuery("""
                        SELECT c.id FROM unnest(:ids) AS c(id)
                        WHERE NOT EXISTS (SELECT 1 FROM search_conversations s WHERE s.conversation_id = c.id)""")
                .bindArray("ids", Long.class, conversationIds).mapTo(Long.class).list();
        // A row whose columns are all as they were is not written at all (most events of a chat change none).
        h.createUpdate("""
                        WITH cur AS (
                            SELECT c.id, c.finished_at, c.status, c.channel, c.group_id, c.contact_id,
                                   ARRAY(SELECT DISTINCT unnest(c.assignee_ids || c.participant_ids) ORDER BY 1) AS agent_ids,
                                   ARRAY(SELECT ct.tag_id FROM conversation_tags ct WHERE ct.conversation_id = c.id ORDER BY 1) AS tag_ids,
                                   c.rating_value, %s AS seen
                            FROM conversations c WHERE c.id = ANY(:ids) AND NOT (c.id = ANY(:missing))),
                        n AS (SELECT cur.*, %s AS pages FROM cur JOIN search_conversations s ON s.conversation_id = cur.id)
                        UPDATE search_conversations s SET finished_at = n.finished_at, status = n.status, channel = n.channel,
                               group_id = n.group_id, contact_id = n.contact_id, agent_ids = n.agent_ids, tag_ids = n.tag_ids,
                               rating = n.rating_value, pages = n.pages,
                               pages_text = lower(concat_ws(' ', s.start_url, array_to_string(n.pages, ' '))), indexed_at = now()
                        FROM n
                        WHERE s.conversation_id = n.id
                          AND (s.finished_at, s.status, s.channel, s.group_id, s.contact_id, s.agent_ids, s.tag_ids, s.rating,
                               s.pages)
                              IS DISTINCT FROM (n.finished_at, n.status, n.channel, n.group_id, n.contact_id, n.agent_ids,
                                                n.tag_ids, n.rating_value, n.pages)""".formatted(PAGES_SEEN, PAGES_KEPT.formatted("cur.seen")))
                .bindArray("ids", Long.class, conversationIds).bindArray("missing", Long.class, missing)
                .execute();
        index(h, missing, false);
    }
}
