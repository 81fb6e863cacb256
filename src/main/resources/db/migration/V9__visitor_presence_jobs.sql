-- A chat box opening looks for its visitor's pending "left" job (webhook.VisitorPresence) by payload.
CREATE INDEX jobs_visitor_left ON jobs (payload) WHERE kind = 'webhook.visitor_left' AND state = 'pending';
