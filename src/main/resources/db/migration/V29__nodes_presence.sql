-- Issue #15: Parley as several nodes (processes) on one database. Each running node has a row, kept fresh by its
-- heartbeat; a node not seen for PARLEY_NODE_TIMEOUT_SECONDS is reaped by any other, and with it (ON DELETE
-- CASCADE) everything it counted in memory before: its agents' open dashboard tabs and its visitors' open chat boxes.
CREATE TABLE nodes (
    id          uuid        PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    seen_at     timestamptz NOT NULL DEFAULT now()
);

-- An agent's open dashboard tabs on one node (settings.Attendance): "the last tab closed" means no row on any live node.
CREATE TABLE agent_tabs (
    agent_id  bigint  NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    node_id   uuid    NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    tabs      integer NOT NULL CHECK (tabs > 0),
    PRIMARY KEY (agent_id, node_id)
);
CREATE INDEX agent_tabs_node ON agent_tabs (node_id);

-- A visitor has a chat box open on this node (webhook.VisitorPresence; the node counts how many in memory), only
-- for accounts subscribed to visitor.connected/disconnected. No reference to visitors: a visitor who never wrote has no row there.
CREATE TABLE visitor_boxes (
    visitor_id  bigint  NOT NULL,
    node_id     uuid    NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    account_id  bigint  NOT NULL,
    PRIMARY KEY (visitor_id, node_id)
);
CREATE INDEX visitor_boxes_node ON visitor_boxes (node_id);

-- Token buckets shared by the nodes (store.SharedBuckets, bucket4j's PostgreSQL proxy manager): the state is
-- bucket4j's own serialisation; expires_at (epoch ms) lets housekeeping forget buckets that refilled long ago.
CREATE TABLE rate_buckets (
    id          text   PRIMARY KEY,
    state       bytea,
    expires_at  bigint
);
CREATE INDEX rate_buckets_expires ON rate_buckets (expires_at);

-- An agent's pending away/offline check (settings.Attendance), found by payload when a tab comes back.
CREATE INDEX jobs_agent_absence ON jobs (payload) WHERE kind = 'settings.agent_absence' AND state = 'pending';
