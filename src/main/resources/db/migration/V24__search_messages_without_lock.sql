-- Issue #14, "chatting never waits for it" and costs it little: each message's search row checked its conversation's
-- document by a foreign key, which locks that document's row (a row lock written to the table and to the WAL) for
-- every message indexed. Message rows are only ever written beside their document (SearchDocuments joins it, in the
-- consumer's one transaction), so the key is dropped. A document deleted still takes its messages' rows with it, in
-- one statement whatever the number of documents (a statement-level trigger over the deleted rows).
ALTER TABLE search_messages DROP CONSTRAINT search_messages_conversation_id_fkey;

CREATE FUNCTION parley_search_documents_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_messages m USING gone g WHERE m.conversation_id = g.conversation_id;
    RETURN NULL;
END $$;

CREATE TRIGGER search_documents_gone AFTER DELETE ON search_conversations
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION parley_search_documents_gone();
