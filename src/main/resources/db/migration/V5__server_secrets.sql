-- Secrets the server makes for itself at its first start and every node shares (e.g. the key that signs the
-- visitor ids handed out before a visitor is stored).
CREATE TABLE server_secrets (
    name       text        PRIMARY KEY,
    secret     bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
