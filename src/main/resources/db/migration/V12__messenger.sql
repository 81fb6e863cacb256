-- Facebook Messenger (issue #13, docs/MESSENGER.md): connected pages, the raw webhook bodies kept until processed,
-- the people who write to a page, and what Parley knows of each Messenger message (its mid, delivery, reaction).

CREATE TABLE messenger_pages (
    page_id            text        PRIMARY KEY,
    account_id         bigint      NOT NULL REFERENCES accounts(id),
    app_id             text        NOT NULL,
    -- Secrets: never returned by the API, never logged.
    app_secret         text        NOT NULL,
    verify_token       text        NOT NULL,
    page_access_token  text        NOT NULL,
    page_name          text,
    picture_url        text,
    -- The page's picture as Graph gave it at connect time (its CDN URL expires): served by Parley.
    picture            bytea,
    picture_type       text,
    -- 'reconnect': Graph answered error 190 (token expired or revoked); replies fail until an admin reconnects.
    status             text        NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'reconnect')),
    last_error         text,
    admins_told_at     timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messenger_pages_account ON messenger_pages (account_id);

-- A verified POST body, byte for byte, stored before Meta is answered: processing happens after, from here.
CREATE TABLE messenger_inbox (
    id            bigserial   PRIMARY KEY,
    body          bytea       NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz
);

-- A person writing to a page (PSID: page-scoped, so the key is both), the Parley visitor they are.
CREATE TABLE messenger_contacts (
    page_id             text        NOT NULL,
    psid                text        NOT NULL,
    account_id          bigint      NOT NULL REFERENCES accounts(id),
    visitor_id          bigint      NOT NULL REFERENCES visitors(id),
    name                text,
    -- Meta's CDN URLs expire: the picture itself is kept.
    picture             bytea,
    picture_type        text,
    profile_fetched_at  timestamptz,
    -- The customer's last message: starts the 24 h / 7 day reply windows.
    last_inbound_at     timestamptz,
    PRIMARY KEY (page_id, psid)
);
CREATE UNIQUE INDEX messenger_contacts_visitor ON messenger_contacts (visitor_id);

-- Every Messenger message Parley stored or sent. Inbound: mid known at once (de-duplication). Outbound: mid known
-- once the Send API answered; delivery state follows the webhooks.
CREATE TABLE messenger_messages (
    message_id       bigint      PRIMARY KEY,
    mid              text        UNIQUE,
    account_id       bigint      NOT NULL,
    conversation_id  bigint      NOT NULL,
    page_id          text        NOT NULL,
    psid             text        NOT NULL,
    direction        text        NOT NULL CHECK (direction IN ('in', 'out', 'echo')),
    sent_at          timestamptz NOT NULL DEFAULT now(),
    delivery_status  text        CHECK (delivery_status IN ('sending', 'sent', 'delivered', 'seen', 'failed')),
    delivered_at     timestamptz,
    seen_at          timestamptz,
    error_code       text,
    error            text,
    reaction         text,
    reaction_emoji   text,
    metadata         jsonb
);
CREATE INDEX messenger_messages_conversation ON messenger_messages (conversation_id, message_id);
CREATE INDEX messenger_messages_out ON messenger_messages (page_id, psid, sent_at) WHERE direction = 'out';

-- Attachments a customer sent: fetched from Meta's short-lived CDN URL soon after receipt and kept here.
CREATE TABLE messenger_attachments (
    id            bigserial   PRIMARY KEY,
    message_id    bigint      NOT NULL,
    account_id    bigint      NOT NULL,
    type          text        NOT NULL,
    source_url    text,
    content       bytea,
    content_type  text,
    fetched_at    timestamptz,
    error         text
);
CREATE INDEX messenger_attachments_message ON messenger_attachments (message_id);
