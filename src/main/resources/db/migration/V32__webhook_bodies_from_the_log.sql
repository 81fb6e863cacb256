-- A delivery made from the event log is written once, by the sender, with its outcome (docs/WEBHOOKS.md, "What a
-- delivery costs"): the consumer draws its id and names its event in the job, and the sender writes the envelope
-- around the stored event (events.agent_payload, by account_id and event_seq) each time it posts, the same bytes
-- every time. So the row stores no body, except where the log cannot give it: a delivery not made from the log (a
-- test event, a visitor's arrival or departure) and one that leaves the happy path (failed, waiting behind a
-- failure, dead), which may outlive its event.
ALTER TABLE webhook_deliveries ALTER COLUMN body DROP NOT NULL;
-- One delivery per event and endpoint is now the id drawn in the consumer's transaction (a row is written under it
-- at most once), not this index, which cost every delivery one more index entry.
DROP INDEX webhook_deliveries_once;
-- Rows are no longer written and then updated in place (V26): full pages again, from now on.
ALTER TABLE webhook_deliveries SET (fillfactor = 100);
-- The consumer draws delivery ids for a whole batch: one nextval reserves 1,000 (WebhookConsumer.ID_BLOCK), as
-- messages' ids are drawn (V1). A delivery written one at a time (a test event) takes a block for itself.
ALTER SEQUENCE webhook_deliveries_id_seq INCREMENT BY 1000;
