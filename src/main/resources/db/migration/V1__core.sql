-- Parley core schema: accounts, team, visitors and contacts, conversations, messages, event log.

CREATE TABLE accounts (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL,
    chat_key    text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    id            bigserial PRIMARY KEY,
    account_id    bigint      NOT NULL REFERENCES accounts(id),
    email         text        NOT NULL,
    name          text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    active        boolean     NOT NULL DEFAULT true,
    status        text        NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
    password_hash text        NOT NULL,
    avatar_url    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- An email signs in to one agent, whatever the account.
CREATE UNIQUE INDEX agents_email ON agents (lower(email));
CREATE UNIQUE INDEX agents_one_owner ON agents (account_id) WHERE role = 'owner';
CREATE INDEX agents_account ON agents (account_id);

CREATE TABLE groups (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    name        text        NOT NULL,
    key         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, key)
);

CREATE TABLE group_members (
    group_id  bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    agent_id  bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, agent_id)
);
CREATE INDEX group_members_agent ON group_members (agent_id);

-- Only the SHA-256 of a session or API token is stored: a leaked table signs nobody in.
CREATE TABLE sessions (
    token_hash   bytea       PRIMARY KEY,
    agent_id     bigint      NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_agent ON sessions (agent_id);

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES accounts(id),
    created_by   bigint      NOT NULL REFERENCES agents(id),
    name         text        NOT NULL,
    token_hash   bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE contacts (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    name        text,
    email       text,
    phone       text,
    note        text,
    variables   jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_account_email ON contacts (account_id, lower(email));

CREATE TABLE visitors (
    id             bigserial PRIMARY KEY,
    account_id     bigint      NOT NULL REFERENCES accounts(id),
    visitor_key    text        NOT NULL UNIQUE,
    contact_id     bigint      REFERENCES contacts(id),
    name           text,
    email          text,
    phone          text,
    note           text,
    language       text,
    group_key      text,
    variables      jsonb       NOT NULL DEFAULT '{}',
    user_agent     text,
    ip             text,
    current_url    text,
    current_title  text,
    referrer       text,
    visits         integer     NOT NULL DEFAULT 1,
    blocked        boolean     NOT NULL DEFAULT false,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visitors_account ON visitors (account_id, last_seen_at DESC);

CREATE TABLE tags (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    name        text        NOT NULL,
    color       text        NOT NULL DEFAULT '#6b7280',
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_account_name ON tags (account_id, lower(name));

CREATE TABLE conversations (
    id                     bigserial PRIMARY KEY,
    account_id             bigint      NOT NULL REFERENCES accounts(id),
    visitor_id             bigint      NOT NULL REFERENCES visitors(id),
    contact_id             bigint      REFERENCES contacts(id),
    group_id               bigint      REFERENCES groups(id) ON DELETE SET NULL,
    channel                text        NOT NULL DEFAULT 'chat' CHECK (channel IN ('chat', 'facebook', 'email')),
    status                 text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    is_offline             boolean     NOT NULL DEFAULT false,
    is_served              boolean     NOT NULL DEFAULT false,
    important              boolean     NOT NULL DEFAULT false,
    close_type             text        CHECK (close_type IN ('agent_close', 'visitor_close')),
    closed_by              bigint      REFERENCES agents(id),
    rating_value           smallint    CHECK (rating_value IN (1, 3, 5)),
    rating_text            text,
    domain                 text,
    referer                text,
    ip                     text,
    variables              jsonb       NOT NULL DEFAULT '{}',
    -- Assignees live on the row: every tab is then a predicate on one row, and the writer caches it whole.
    assignee_ids           bigint[]    NOT NULL DEFAULT '{}',
    participant_ids        bigint[]    NOT NULL DEFAULT '{}',
    contact_message_count  integer     NOT NULL DEFAULT 0,
    last_message_id        bigint,
    last_message_text      text,
    last_message_sub_type  text,
    last_message_at        timestamptz NOT NULL DEFAULT now(),
    visitor_read_id        bigint      NOT NULL DEFAULT 0,
    agent_read_id          bigint      NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    finished_at            timestamptz
);
-- Lists and tab counts: open or resolved, newest activity first.
CREATE INDEX conversations_list ON conversations (account_id, status, last_message_at DESC, id DESC);
CREATE INDEX conversations_visitor ON conversations (visitor_id, id DESC);
CREATE INDEX conversations_new ON conversations (account_id, last_message_at DESC, id DESC)
    WHERE status = 'open' AND cardinality(assignee_ids) = 0;
CREATE INDEX conversations_assignees ON conversations USING gin (assignee_ids);

-- Per-agent reading state: how many of the visitor's messages the agent has read, and the "mark as unread" flag.
CREATE TABLE conversation_reads (
    conversation_id bigint  NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id        bigint  NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    read_count      integer NOT NULL DEFAULT 0,
    marked_unread   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (conversation_id, agent_id)
);

CREATE TABLE conversation_tags (
    conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tag_id          bigint NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, tag_id)
);
CREATE INDEX conversation_tags_tag ON conversation_tags (tag_id);

CREATE TABLE messages (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL,
    conversation_id bigint      NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    kind            text        NOT NULL CHECK (kind IN ('message', 'note', 'event')),
    sub_type        text        NOT NULL CHECK (sub_type IN ('agent', 'contact', 'system', 'bot', 'trigger')),
    channel         text        NOT NULL DEFAULT 'chat',
    agent_id        bigint      REFERENCES agents(id),
    text            text,
    event_type      text,
    data            jsonb,
    client_id       text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
-- A client that retries a send gets the message it sent before, not a second one.
CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;

-- The event log: every change a client can see, in commit order (one sequencer assigns seq).
CREATE TABLE events (
    seq              bigint      PRIMARY KEY,
    account_id       bigint      NOT NULL,
    type             text        NOT NULL,
    conversation_id  bigint,
    group_id         bigint,
    visitor_id       bigint,
    agent_payload    text,
    visitor_payload  text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_account ON events (account_id, seq);
CREATE INDEX events_visitor ON events (visitor_id, seq) WHERE visitor_id IS NOT NULL;
ALTER SEQUENCE messages_id_seq INCREMENT BY 1000;
