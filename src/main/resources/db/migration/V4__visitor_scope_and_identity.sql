-- Visitors and contacts are scoped like their conversations (PRODUCT.md §1.2): finding a contact's conversations
-- must not scan every conversation. contact_id changes only when a visitor is identified, so messages still
-- update conversation rows in place (HOT).
CREATE INDEX conversations_contact ON conversations (contact_id) WHERE contact_id IS NOT NULL;

-- A visitor's or contact's change is for the agents who see one of its conversations; when those span several
-- groups, the groups besides group_id are listed here (null almost always). One event, one seq: each agent gets
-- it once.
ALTER TABLE events ADD COLUMN other_group_ids bigint[];

-- Identity verification (PRODUCT.md §3): the shop signs its customer's id or email with this secret
-- (HMAC-SHA256, hex). Kept as is, because it is an HMAC key: it is shown only to the owner and admins.
-- gen_random_uuid() comes from a strong random source; two of them give 244 random bits.
ALTER TABLE accounts ADD COLUMN identity_secret text NOT NULL
    DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');

-- Only a verified identity merges into an existing contact; an unverified one gets a contact of its own.
-- Contacts made before verification existed are not known to be verified.
ALTER TABLE contacts ADD COLUMN verified boolean NOT NULL DEFAULT false;
ALTER TABLE contacts ADD COLUMN user_id text;
CREATE UNIQUE INDEX contacts_user_id ON contacts (account_id, user_id) WHERE user_id IS NOT NULL;

-- A contact's visitors that have not written yet count with the group their first conversation would get.
CREATE INDEX visitors_contact ON visitors (contact_id) WHERE contact_id IS NOT NULL;
