-- A delivery row is written twice within a moment: made by the consumer, then its outcome recorded by the sender.
-- Half-empty pages let that second write stay on the row's page (a HOT update), so it adds no entry to the
-- table's three indexes: a delivery per chat message costs the database one index write per index, not two.
-- Applies to pages written from now on.
ALTER TABLE webhook_deliveries SET (fillfactor = 50);
