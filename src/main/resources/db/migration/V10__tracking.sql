-- Visitor tracking (issue #11): page views, what the card knows of a visitor's device and place, blocking.

-- docs/PRODUCT.md §3: new accounts do not keep full IP addresses; the location is looked up first.
ALTER TABLE accounts ADD COLUMN anonymize_ip boolean NOT NULL DEFAULT true;

-- One row per visitor the chat box has seen browsing, stored or not in `visitors` (a visitor who never writes
-- has no row there: see contact.Arrivals). Written only by tracking's batched writer, never by the journal.
CREATE TABLE visitor_activity (
    visitor_id       bigint      PRIMARY KEY,
    account_id       bigint      NOT NULL REFERENCES accounts(id),
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    left_at          timestamptz,
    visits           integer     NOT NULL DEFAULT 1,
    visit_started_at timestamptz NOT NULL,
    pages            bigint      NOT NULL DEFAULT 0,
    current_url      text,
    current_title    text,
    entry_url        text,
    entry_referrer   text,
    ip               text,
    country_code     text,
    region           text,
    city             text,
    device_class     text,
    os_name          text,
    os_version       text,
    browser_name     text,
    browser_version  text,
    blocked          boolean     NOT NULL DEFAULT false
);
CREATE INDEX visitor_activity_recent ON visitor_activity (account_id, last_seen_at DESC, visitor_id DESC);
CREATE INDEX visitor_activity_blocked ON visitor_activity (account_id, last_seen_at DESC, visitor_id DESC) WHERE blocked;

-- Append-only browsing history; no primary key on purpose: nothing updates or deletes a single row, and one
-- index less keeps ingest cheap. The card reads a visitor's newest pages through the index below.
CREATE TABLE page_views (
    visitor_id  bigint      NOT NULL,
    account_id  bigint      NOT NULL,
    viewed_at   timestamptz NOT NULL,
    url         text        NOT NULL,
    title       text,
    referrer    text
);
CREATE INDEX page_views_visitor ON page_views (visitor_id, viewed_at DESC);

-- IP rules of an account: an address (192.168.0.1), a wildcard (192.168.0.*) or a CIDR block (10.0.0.0/8).
CREATE TABLE ip_blocks (
    id          bigserial   PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts(id),
    pattern     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, pattern)
);
