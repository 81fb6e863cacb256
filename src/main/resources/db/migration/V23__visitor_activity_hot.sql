-- Issue #11: every page view updates its visitor's activity row. The visitors list's indexes held last_seen_at, so
-- each of those updates wrote a new entry into every index of the table. They now hold the minute of the last
-- activity (recent_at, kept by PostgreSQL itself): within a minute an update changes no indexed value, and with
-- room left on each page (fillfactor) PostgreSQL updates the row in place (a HOT update, no index writes).
-- The list is ordered by that minute, then by visitor, newest first.
ALTER TABLE visitor_activity
    ADD COLUMN recent_at timestamptz GENERATED ALWAYS AS (date_bin('1 minute', last_seen_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')) STORED;
DROP INDEX visitor_activity_recent;
DROP INDEX visitor_activity_blocked;
CREATE INDEX visitor_activity_recent ON visitor_activity (account_id, recent_at DESC, visitor_id DESC);
CREATE INDEX visitor_activity_blocked ON visitor_activity (account_id, recent_at DESC, visitor_id DESC) WHERE blocked;
ALTER TABLE visitor_activity SET (fillfactor = 70);
