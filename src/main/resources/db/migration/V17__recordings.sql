-- Session recordings (issue #16, docs/PRODUCT.md §4): what the visitor saw, recorded by rrweb in the chat box.

-- An account's recording choices, one row made on first save; without a row the defaults below hold.
CREATE TABLE recording_settings (
    account_id      bigint  PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    enabled         boolean NOT NULL DEFAULT true,
    -- Every input's value is masked whatever these say; these add the page's own text.
    mask_all_text   boolean NOT NULL DEFAULT false,
    mask_numbers    boolean NOT NULL DEFAULT false,
    mask_emails     boolean NOT NULL DEFAULT false,
    -- The chat box records only once the page said the visitor consented (smartsupp('analyticsConsent', true)).
    consent_mode    boolean NOT NULL DEFAULT false,
    retention_days  integer NOT NULL DEFAULT 10 CHECK (retention_days BETWEEN 1 AND 90)
);

-- One row per recorded session (a browser tab's visit, across its pages): what the card lists.
CREATE TABLE recordings (
    id             bigserial   PRIMARY KEY,
    account_id     bigint      NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    visitor_id     bigint      NOT NULL,
    session_key    text        NOT NULL,
    started_at     timestamptz NOT NULL,
    last_chunk_at  timestamptz NOT NULL,
    first_event_ms bigint      NOT NULL,
    last_event_ms  bigint      NOT NULL,
    -- [{"at": epoch ms, "url": "..."}] and [epoch ms]: the player's timeline marks, kept small.
    pages          jsonb       NOT NULL DEFAULT '[]',
    chats          jsonb       NOT NULL DEFAULT '[]',
    chunks         integer     NOT NULL DEFAULT 0,
    stored_bytes   bigint      NOT NULL DEFAULT 0,
    raw_bytes      bigint      NOT NULL DEFAULT 0,
    UNIQUE (account_id, visitor_id, session_key)
);
CREATE INDEX recordings_visitor ON recordings (visitor_id, started_at DESC);
CREATE INDEX recordings_age ON recordings (account_id, last_chunk_at);

-- The events themselves, compressed, in daily partitions made ahead by recording.RecordingRetention: a day past
-- every account's retention is dropped whole; a shorter retention is a bulk delete off the request path. No
-- primary key (it would have to hold received_at): a chunk sent twice is read once (DISTINCT ON seq).
CREATE TABLE recording_chunks (
    recording_id bigint      NOT NULL,
    account_id   bigint      NOT NULL,
    seq          integer     NOT NULL,
    received_at  timestamptz NOT NULL,
    codec        text        NOT NULL,
    data         bytea       NOT NULL
) PARTITION BY RANGE (received_at);
CREATE INDEX recording_chunks_recording ON recording_chunks (recording_id, seq);
