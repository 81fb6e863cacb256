-- Issue #16 / docs/PRODUCT.md §4: an account may leave visitors on phones and tablets unrecorded.
ALTER TABLE recording_settings ADD COLUMN exclude_mobile boolean NOT NULL DEFAULT false;
