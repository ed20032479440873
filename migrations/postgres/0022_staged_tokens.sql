-- Import speed (#19). An import no longer inserts its blind-index tokens into
-- contact_index row by row: it appends them to staged_tokens in the same transactions as
-- its contacts, and moves each bucket (the token's first byte) into contact_index in
-- token order when the import ends. See the SQLite migration for why.
--
-- contact_tokens lists each contact's tokens by contact; it replaces the index on
-- contact_index(contact_id): a contact's tokens are removed through this list.
CREATE TABLE contact_tokens (
    contact_id BIGINT NOT NULL REFERENCES contacts(id),
    token      BYTEA  NOT NULL,
    PRIMARY KEY (contact_id, token)
);
INSERT INTO contact_tokens (contact_id, token) SELECT contact_id, token FROM contact_index;
DROP INDEX contact_index_contact;

-- Tokens of a running (or interrupted) import, not yet in contact_index. `lookup` marks
-- phone and e-mail tokens, which the import uses to find duplicates within its own file
-- when it resumes.
CREATE TABLE staged_tokens (
    import_id  BIGINT   NOT NULL,
    bucket     SMALLINT NOT NULL,
    contact_id BIGINT   NOT NULL,
    token      BYTEA    NOT NULL,
    lookup     SMALLINT NOT NULL CHECK (lookup IN (0, 1)),
    PRIMARY KEY (import_id, bucket, contact_id, token)
);
