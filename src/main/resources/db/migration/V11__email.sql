-- The email channel (issue #12): inbound mail accepted durably before anything else, the threads Parley keeps
-- with a visitor by email (reply token, Message-IDs), outbound delivery status, attachments, per-account SMTP
-- settings, and each agent's notification choices.

-- Every mail that reached Parley (SMTP listener or IMAP), stored masked before anything is decided about it:
-- a crash after the SMTP "250" loses nothing, the job 'email.receive' resumes from this row.
CREATE TABLE email_inbound (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    message_id      text        NOT NULL,
    envelope_to     text[]      NOT NULL DEFAULT '{}',
    from_address    text,
    raw             bytea       NOT NULL,
    via             text        NOT NULL CHECK (via IN ('smtp', 'imap')),
    state           text        NOT NULL DEFAULT 'received'
                                CHECK (state IN ('received', 'threaded', 'ignored', 'bounce', 'failed')),
    outcome         text,
    conversation_id bigint,
    received_at     timestamptz NOT NULL DEFAULT now(),
    processed_at    timestamptz
);
-- The same Message-ID arriving twice (a retried SMTP session, IMAP and SMTP both) is stored once.
CREATE UNIQUE INDEX email_inbound_message_id ON email_inbound (account_id, message_id);
-- Loop brake: how many mails one sender sent lately.
CREATE INDEX email_inbound_sender ON email_inbound (account_id, from_address, received_at);

-- One per conversation that has mail: the token of its reply address and whom it writes to.
CREATE TABLE email_threads (
    conversation_id bigint      PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    token           text        NOT NULL UNIQUE,
    address         text        NOT NULL,
    subject         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Every mail of a thread, both ways, by its Message-ID: In-Reply-To and References are looked up here.
CREATE TABLE email_messages (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    conversation_id bigint      NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    message_id      text        NOT NULL,
    parley_message_id bigint,
    direction       text        NOT NULL CHECK (direction IN ('in', 'out')),
    delivery_status text        CHECK (delivery_status IN ('sending', 'sent', 'failed')),
    delivery_fail_reason text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX email_messages_message_id ON email_messages (account_id, message_id);
CREATE UNIQUE INDEX email_messages_parley ON email_messages (parley_message_id) WHERE parley_message_id IS NOT NULL;
CREATE INDEX email_messages_conversation ON email_messages (conversation_id, id);

CREATE TABLE email_attachments (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    conversation_id bigint      NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parley_message_id bigint    NOT NULL,
    ordinal         integer     NOT NULL,
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    size            integer     NOT NULL,
    sha256          text        NOT NULL,
    content         bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX email_attachments_message ON email_attachments (parley_message_id, ordinal);
CREATE INDEX email_attachments_conversation ON email_attachments (conversation_id);

-- An account's own SMTP server, instead of the instance's (PARLEY_SMTP_*). The password is kept to log in with
-- and never returned by the API.
CREATE TABLE email_settings (
    account_id      bigint      PRIMARY KEY REFERENCES accounts(id),
    smtp_host       text,
    smtp_port       integer,
    smtp_user       text,
    smtp_password   text,
    smtp_tls        boolean     NOT NULL DEFAULT false,
    from_address    text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Each agent's choice of notification mails; no row: both on.
CREATE TABLE agent_notifications (
    agent_id           bigint  PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    offline_message    boolean NOT NULL DEFAULT true,
    missed_conversation boolean NOT NULL DEFAULT true
);

-- One burst of a conversation waiting for its notification check: the first visitor message opens it (and queues
-- the check about two minutes later); the check ends it. Later messages of the burst join the same mail.
CREATE TABLE notification_bursts (
    conversation_id  bigint      PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    since_message_id bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
