-- Transcripts a visitor asked for from the chat box (issue #12, point 5), and the index behind the summary's
-- has_email. The requests are kept so the limits hold across restarts and across several Parley processes (a few
-- per conversation, a few per visitor a day: nobody mail-bombs an address through a shop's chat box), and so a
-- frame the chat box sends again after a reconnect mails once.
CREATE TABLE visitor_transcripts (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts(id),
    conversation_id bigint      NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    visitor_id      bigint      NOT NULL,
    client_id       text        NOT NULL,
    address         text        NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, client_id)
);
CREATE INDEX visitor_transcripts_visitor ON visitor_transcripts (visitor_id, requested_at);

-- The conversation summary's has_email (the list's envelope): whether the visitor ever wrote by email, probed per
-- listed row; few messages arrive by email, so this partial index stays small.
CREATE INDEX messages_visitor_email ON messages (conversation_id) WHERE channel = 'email' AND sub_type = 'contact' AND kind = 'message';
