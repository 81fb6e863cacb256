-- A delivery made from the event log no longer stores its body: the sender writes the envelope around the stored
-- event (events.agent_payload, read by account_id and event_seq) each time it posts, the same bytes every time.
-- The body is stored only where the log cannot give it: a delivery not made from the log (a test event, a
-- visitor's arrival or departure), and a delivery that leaves the happy path (failed, waiting behind a failure, or
-- dead), which may outlive its event. A delivery per chat message then writes a narrow row, twice, not its body.
ALTER TABLE webhook_deliveries ALTER COLUMN body DROP NOT NULL;
