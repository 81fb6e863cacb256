-- Several nodes on one database (issue #15): event sequence numbers are per account, handed out in commit order
-- by whichever node writes the account's batch. The row of an account here holds its last committed sequence;
-- a batch moves it forward in the same transaction as its events, so the row lock orders the account's commits.
CREATE TABLE account_seqs (
    account_id  bigint PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    seq         bigint NOT NULL
) WITH (fillfactor = 50);

-- Every account continues from the log's last global sequence: no client that saw a number before the upgrade is
-- ahead of its account afterwards (it would be told to load afresh, not left waiting).
INSERT INTO account_seqs (account_id, seq)
SELECT a.id, (SELECT coalesce(max(seq), 0) FROM events) FROM accounts a;

CREATE FUNCTION account_seqs_for_new_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_seqs (account_id, seq) VALUES (NEW.id, 0);
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_seq AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION account_seqs_for_new_account();

-- A batch claims the sequence numbers of each account it wrote: the row must still hold what the node last knew
-- (no other node wrote the account since), else the batch rolls back whole with SQLSTATE PA001 and runs again
-- with the account's row locked from its start. Rows are taken in account order, so two nodes never deadlock.
CREATE FUNCTION claim_seqs(accounts bigint[], expected bigint[], claimed bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    i int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(accounts, 1), 0) LOOP
        UPDATE account_seqs SET seq = claimed[i] WHERE account_id = accounts[i] AND seq = expected[i];
        IF NOT FOUND THEN
            RAISE EXCEPTION 'account % was written by another node', accounts[i]
                USING ERRCODE = 'PA001', DETAIL = accounts[i]::text;
        END IF;
    END LOOP;
END $$;

ALTER TABLE events DROP CONSTRAINT events_pkey;
DROP INDEX events_account;
ALTER TABLE events ADD PRIMARY KEY (account_id, seq);

-- A durable consumer's place in each account's log (store.EventConsumers): no row yet means from the start of an
-- account created after the consumer; registering a consumer writes a row for every account there is.
CREATE TABLE event_consumer_positions (
    name        text   NOT NULL REFERENCES event_consumers(name) ON DELETE CASCADE,
    account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    last_seq    bigint NOT NULL,
    PRIMARY KEY (name, account_id)
) WITH (fillfactor = 50);
INSERT INTO event_consumer_positions (name, account_id, last_seq)
SELECT c.name, a.id, c.last_seq FROM event_consumers c CROSS JOIN accounts a;
ALTER TABLE event_consumers DROP COLUMN last_seq;
