-- Many shops in one installation (issue #15 point 7): an instance administrator suspends an account; while set,
-- its agents cannot sign in or act and its chat box is unavailable. Null: the account works.
ALTER TABLE accounts ADD COLUMN suspended_at timestamptz;
