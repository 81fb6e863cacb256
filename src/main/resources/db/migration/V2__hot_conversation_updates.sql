-- Every message rewrites its conversation's row (last message, counters). With no index on any column such an
-- update changes, PostgreSQL updates it in place (HOT): no index entries, far less WAL. Open lists are sorted in
-- memory from the account's open conversations (thousands, not millions); resolved ones have their own index.
DROP INDEX conversations_list;
DROP INDEX conversations_new;
DROP INDEX conversations_assignees;
CREATE INDEX conversations_open ON conversations (account_id) WHERE status = 'open';
CREATE INDEX conversations_resolved ON conversations (account_id, finished_at DESC, id DESC) WHERE status = 'closed';
-- Room on each page for the new row versions HOT needs.
ALTER TABLE conversations SET (fillfactor = 70);

-- Most events look the same to agents and to the visitor: store that payload once.
ALTER TABLE events ADD COLUMN visitor_same boolean NOT NULL DEFAULT false;
DROP INDEX events_visitor;
CREATE INDEX events_visitor ON events (visitor_id, seq) WHERE visitor_id IS NOT NULL;
