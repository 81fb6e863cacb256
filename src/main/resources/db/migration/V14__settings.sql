-- Issue #18: what a shop sets up on day one (docs/PRODUCT.md §8).

-- The account's own settings beside the name kept in accounts: one row per account, made on first save.
CREATE TABLE account_settings (
    account_id             bigint  PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    logo_url               text,
    language               text    NOT NULL DEFAULT 'en',
    timezone               text    NOT NULL DEFAULT 'UTC',
    -- Presence: how long after an agent's last dashboard tab closed they show as away, then offline.
    away_after_seconds     integer NOT NULL DEFAULT 120 CHECK (away_after_seconds > 0),
    offline_after_seconds  integer NOT NULL DEFAULT 900 CHECK (offline_after_seconds > away_after_seconds),
    -- The chat box's look and behaviour (settings.ChatBoxSettings), validated before it is stored.
    chat_box               jsonb   NOT NULL DEFAULT '{}'
);

-- An agent's own choices. away_by_absence: Parley, not the agent, took them off line, so it puts them back.
CREATE TABLE agent_preferences (
    agent_id          bigint  PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    sound             boolean NOT NULL DEFAULT true,
    online_on_sign_in boolean NOT NULL DEFAULT true,
    away_by_absence   boolean NOT NULL DEFAULT false
);

-- Logos and avatars: small square images checked by their bytes, served under an unguessable token.
CREATE TABLE images (
    token        text        PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    content_type text        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
    bytes        bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX images_account ON images (account_id);

-- Away: signed in but not at the dashboard; the chat box counts only online agents.
ALTER TABLE agents DROP CONSTRAINT agents_status_check;
ALTER TABLE agents ADD CONSTRAINT agents_status_check CHECK (status IN ('online', 'away', 'offline'));

-- Office hours (settings.OfficeHours): the account's (group_id NULL) and any group's own, in the account's timezone.
CREATE TABLE office_hours (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    group_id    bigint REFERENCES groups(id) ON DELETE CASCADE,
    hours       jsonb  NOT NULL
);
CREATE UNIQUE INDEX office_hours_one_per_group ON office_hours (account_id, coalesce(group_id, 0));

-- Shortcuts (canned responses): an agent's own (agent_id set) or the team's (agent_id NULL, admins edit them).
CREATE TABLE shortcuts (
    id          bigserial   PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    agent_id    bigint      REFERENCES agents(id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    text        text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 65535),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Unique per owner (the team is one owner), whatever the case.
CREATE UNIQUE INDEX shortcuts_name_per_owner ON shortcuts (account_id, coalesce(agent_id, 0), lower(name));
