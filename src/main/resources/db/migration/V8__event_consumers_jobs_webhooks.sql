-- The durable event backbone (docs/ARCHITECTURE.md, docs/WEBHOOKS.md): consumers of the event log with a cursor
-- each, and a job table for delayed or retried work. Both survive restarts and are shared safely by several
-- Parley processes on one database (row locks with SKIP LOCKED, leases on jobs).
CREATE TABLE event_consumers (
    name        text        PRIMARY KEY,
    -- The last event this consumer has handled: it resumes after it. Pruning keeps every event after it.
    last_seq    bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
    id            bigserial   PRIMARY KEY,
    kind          text        NOT NULL,
    -- Jobs with the same key run one at a time, in id order (a webhook endpoint's deliveries for one
    -- conversation); null: no order. Only a key's first job is 'pending' (can be picked); the ones behind it are
    -- 'queued' and the next is made pending when the one ahead is done, so picking never looks past a queue's head.
    queue_key     text,
    payload       text        NOT NULL,
    state         text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'dead')),
    due_at        timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    -- A process that picked the job owns it until then; after, another may take it (the first one died).
    locked_by     uuid,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (due_at, id) WHERE state = 'pending';
CREATE INDEX jobs_queue ON jobs (queue_key, id) WHERE state IN ('pending', 'queued') AND queue_key IS NOT NULL;

CREATE TABLE webhook_endpoints (
    id          bigserial   PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    url         text        NOT NULL,
    -- Kept readable on purpose: Parley signs with it. Never returned after the endpoint is created.
    secret      text        NOT NULL,
    events      text[]      NOT NULL,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id);

CREATE TABLE webhook_deliveries (
    id               bigserial   PRIMARY KEY,
    endpoint_id      bigint      NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    account_id       bigint      NOT NULL,
    event            text        NOT NULL,
    event_seq        bigint,
    conversation_id  bigint,
    -- The exact bytes that are signed and sent, built once from the (already masked) event payload.
    body             text        NOT NULL,
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_status      integer,
    last_error       text,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
-- One delivery per event and endpoint, whatever happens to the consumer that makes them.
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_seq, event) WHERE event_seq IS NOT NULL;
