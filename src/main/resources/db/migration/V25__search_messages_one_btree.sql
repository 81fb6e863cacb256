-- Issue #14: each message indexed wrote two b-tree entries beside its words (the message's key, and its
-- conversation's index). One key over both serves what each served: a conversation's rows, in message order (a
-- candidate's whole text), and a message indexed once however often the consumer sees it (ON CONFLICT).
ALTER TABLE search_messages DROP CONSTRAINT search_messages_pkey;
DROP INDEX search_messages_conversation;
ALTER TABLE search_messages ADD PRIMARY KEY (conversation_id, message_id);
