-- Files both ways (issue #18 point 7): one store for every file a conversation holds, whichever side sent it and
-- whichever channel carried it. The content lives here (bytea, TOASTed out of line), so a backup of the database
-- is a backup of the files. A file is uploaded first (message_id NULL, "pending") and becomes part of the thread
-- when its message is committed; a pending file whose message was refused is deleted by the upload itself.
CREATE TABLE files (
    id              bigserial   PRIMARY KEY,
    -- What URLs carry: unguessable, so an id seen once in a log does not enumerate the others (access is still
    -- checked on every request).
    public_id       text        NOT NULL UNIQUE,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    conversation_id bigint      NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    message_id      bigint,
    source          text        NOT NULL CHECK (source IN ('visitor', 'agent', 'email', 'messenger')),
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    size            integer     NOT NULL,
    sha256          text        NOT NULL,
    content         bytea       NOT NULL,
    width           integer,
    height          integer,
    thumbnail       bytea,
    -- A channel's numbering of a message's files (a mail's n-th attachment, counting those too large to keep).
    ordinal         integer,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_message ON files (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX files_conversation ON files (conversation_id);
CREATE INDEX files_pending ON files (created_at) WHERE message_id IS NULL;
CREATE UNIQUE INDEX files_message_ordinal ON files (message_id, ordinal) WHERE ordinal IS NOT NULL;

-- The files that came with visitors' mails move onto this store (one store of conversation files), then their own
-- table goes. gen_random_uuid() is PostgreSQL's strong random source: these ids are as unguessable as new ones.
INSERT INTO files (public_id, account_id, conversation_id, message_id, source, filename, content_type, size, sha256,
                   content, ordinal, created_at)
SELECT replace(gen_random_uuid()::text, '-', ''), account_id, conversation_id, parley_message_id, 'email', filename,
       content_type, size, sha256, content, ordinal, created_at
FROM email_attachments;
DROP TABLE email_attachments;

-- A Messenger customer's files move onto this store too; messenger_attachments keeps what only Messenger has (the
-- CDN address to fetch, the type Meta named, a fetch error), and the bytes live here as the message's n-th file.
INSERT INTO files (public_id, account_id, conversation_id, message_id, source, filename, content_type, size, sha256,
                   content, ordinal, created_at)
SELECT replace(gen_random_uuid()::text, '-', ''), a.account_id, m.conversation_id, a.message_id, 'messenger',
       a.type || '-' || a.n, coalesce(a.content_type, 'application/octet-stream'), length(a.content),
       encode(sha256(a.content), 'hex'), a.content, a.n - 1, coalesce(a.fetched_at, now())
FROM (SELECT x.*, row_number() OVER (PARTITION BY x.message_id ORDER BY x.id) AS n FROM messenger_attachments x) a
JOIN messages m ON m.id = a.message_id
WHERE a.content IS NOT NULL;
ALTER TABLE messenger_attachments DROP COLUMN content;
