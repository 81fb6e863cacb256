-- Issue #14, "chatting never waits for it" and costs it little: a row of search_messages holds the words of the
-- messages of one conversation that one batch of the search consumer indexed (a piece, SearchDocuments), not of one
-- message: the tuple, its key and its text index entries are written once per conversation and batch. A row is
-- keyed by its first message. The rows written before are pieces of one message each and stay as they are.
ALTER TABLE search_messages RENAME COLUMN message_id TO first_message_id;
