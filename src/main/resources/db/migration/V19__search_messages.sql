-- Search text per message (issue #14, "chatting never waits for it"): the words of each message or note get a row
-- of their own, written once when the message is indexed. Appending them to the conversation's one document made
-- every new message rewrite that whole document (and every index of the row), a cost that grew with the
-- conversation's length. The conversation's document keeps what describes it (the contact's name, email, phone,
-- variables); a text query matches a conversation when its document and its messages' words together match, as
-- before (see SearchFilter).

-- Several tsvectors as one (positions shifted as by ||): a conversation's words from its message rows.
CREATE AGGREGATE parley_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

-- Every word of a query, any of them: rows holding one of them are the candidates the full query is then checked on.
-- Operators (and, or, followed-by) and negations become "or" over the words and prefixes as PostgreSQL printed them.
CREATE FUNCTION parley_any_word(q tsquery) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(array_to_string(ARRAY(
               SELECT m[1] FROM regexp_matches(q::text, '(''(?:[^'']|'''')*''(?::[*A-D]+)?)', 'g') AS m), ' | '), ''),
           '')::tsquery
$$;

CREATE TABLE search_messages (
    message_id      bigint   PRIMARY KEY,
    conversation_id bigint   NOT NULL REFERENCES search_conversations(conversation_id) ON DELETE CASCADE,
    doc             tsvector NOT NULL
);
CREATE INDEX search_messages_conversation ON search_messages (conversation_id);
CREATE INDEX search_messages_doc ON search_messages USING gin (doc);

-- The stemmer the conversation's message rows were made with (the chat box's language then): a visitor whose
-- language changes has their conversations' rows made again.
ALTER TABLE search_conversations ADD COLUMN text_config regconfig;

-- Documents written before held the messages' words themselves: they are dropped, and the start's backfill
-- (SearchIndex.backfill) rebuilds each account's as a job.
DELETE FROM search_conversations;
