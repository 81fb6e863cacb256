-- Issue #17: Web Push to agents' phones and computers (RFC 8030 / 8291 / 8292).

-- The server's VAPID key pair, made at the first start (one row): every subscription is bound to its public key,
-- so it must outlive restarts and be the same for every Parley process on this database.
CREATE TABLE push_vapid_keys (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    public_key  text        NOT NULL,  -- X.509, base64url
    private_key text        NOT NULL,  -- PKCS#8, base64url: a secret, never sent to anyone
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per device an agent turned notifications on for: the browser's push subscription.
CREATE TABLE push_devices (
    id           bigserial   PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    agent_id     bigint      NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    endpoint     text        NOT NULL UNIQUE,
    p256dh       text        NOT NULL,
    auth         text        NOT NULL,
    label        text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_sent_at timestamptz
);
CREATE INDEX push_devices_agent ON push_devices (agent_id);
