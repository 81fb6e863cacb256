-- Search (issue #14): one search document per conversation, kept by the "search" event consumer (never by the
-- write path), with the filter columns beside it so a filter and a full-text query are one index-served query.

-- Accents are folded with unaccent when the server has it (the embedded PostgreSQL does); a server without it
-- still gets the stemming configurations, and searches are then accent-sensitive.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'unaccent is not available (%): search keeps accents', SQLERRM;
END $$;
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): page address filters scan', SQLERRM;
END $$;

-- One configuration per language the chat box speaks (widget/i18n): Czech has no stemmer in PostgreSQL, so it and
-- any other language get parley_simple (words as written, lower case, accents folded).
DO $$
DECLARE
    c record;
    folded boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent');
BEGIN
    FOR c IN SELECT * FROM (VALUES ('parley_en', 'english', 'english_stem'), ('parley_de', 'german', 'german_stem'),
                                    ('parley_es', 'spanish', 'spanish_stem'), ('parley_fr', 'french', 'french_stem'),
                                    ('parley_simple', 'simple', 'simple')) AS t(name, base, dict)
    LOOP
        EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = %I)', c.name, c.base);
        IF folded THEN
            EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR hword, hword_part, word WITH unaccent, %I',
                           c.name, c.dict);
        END IF;
    END LOOP;
END $$;

-- The chat box's language (visitors.language, e.g. "de" or "de-AT") chooses the stemmer of a conversation's text.
CREATE FUNCTION parley_search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(left(coalesce(language, 'en'), 2))
               WHEN 'en' THEN 'parley_en' WHEN 'de' THEN 'parley_de' WHEN 'es' THEN 'parley_es'
               WHEN 'fr' THEN 'parley_fr' ELSE 'parley_simple' END::regconfig
$$;

-- A query in every configuration at once: the account's conversations are in several languages and each document
-- was stemmed in its own, so the query carries each language's stems (and the words as written, for names).
-- Words to leave out are taken apart by the application: "not X" must hold in every language, so it is the negation
-- of X in any of them. "prefixes" is a to_tsquery text the application built from words it checked (letters and
-- digits only, each with ":*").
CREATE FUNCTION parley_any_language(words text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT websearch_to_tsquery('parley_en', words) || websearch_to_tsquery('parley_de', words)
           || websearch_to_tsquery('parley_es', words) || websearch_to_tsquery('parley_fr', words)
           || websearch_to_tsquery('parley_simple', words)
$$;
CREATE FUNCTION parley_tsquery(words text, prefixes text, excluded text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT parley_any_language(words) && to_tsquery('parley_simple', prefixes) && !!parley_any_language(excluded)
$$;

-- conversations.ip is the socket's address as text; a value that is not an address is left out of IP filters.
CREATE FUNCTION parley_inet(address text) RETURNS inet LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN address::inet;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END $$;

CREATE TABLE search_conversations (
    conversation_id bigint      PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    account_id      bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text        NOT NULL,
    channel         text        NOT NULL,
    group_id        bigint,
    contact_id      bigint,
    -- assignees and everyone who wrote: "agent" means any agent who took part
    agent_ids       bigint[]    NOT NULL DEFAULT '{}',
    tag_ids         bigint[]    NOT NULL DEFAULT '{}',
    rating          smallint,
    ip              inet,
    start_url       text,
    -- pages the visitor was seen on while the conversation was indexed (newest last, at most 50)
    pages           text[]      NOT NULL DEFAULT '{}',
    pages_text      text        NOT NULL DEFAULT '',
    doc             tsvector    NOT NULL,
    indexed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_created ON search_conversations (account_id, created_at DESC, conversation_id DESC);
CREATE INDEX search_finished ON search_conversations (account_id, finished_at DESC, conversation_id DESC)
    WHERE finished_at IS NOT NULL;
CREATE INDEX search_status ON search_conversations (account_id, status, created_at DESC, conversation_id DESC);
CREATE INDEX search_rating ON search_conversations (account_id, rating, created_at DESC);
CREATE INDEX search_group ON search_conversations (account_id, group_id, created_at DESC);
CREATE INDEX search_channel ON search_conversations (account_id, channel, created_at DESC);
CREATE INDEX search_contact ON search_conversations (contact_id, created_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX search_ip ON search_conversations (account_id, ip);
CREATE INDEX search_agents ON search_conversations USING gin (agent_ids);
CREATE INDEX search_tags ON search_conversations USING gin (tag_ids);
CREATE INDEX search_doc ON search_conversations USING gin (doc);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX search_pages ON search_conversations USING gin (pages_text gin_trgm_ops);
        CREATE INDEX search_start_url ON search_conversations USING gin (start_url gin_trgm_ops);
    END IF;
END $$;

-- Saved filters, each an agent's own: the dashboard's URL query of a search, under a name.
CREATE TABLE saved_searches (
    id          bigserial   PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    agent_id    bigint      NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    name        text        NOT NULL,
    filter      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agent_id, name)
);
