-- Import speed (#19). An import no longer inserts its blind-index tokens into
-- contact_index row by row: random tokens land on a different B-tree page each, and every
-- commit rewrote thousands of pages. The import appends them to staged_tokens (one
-- append point per bucket, the token's first byte) in the same transactions as its
-- contacts, and moves each bucket into contact_index in token order when the import ends,
-- so each page of contact_index is written once.
--
-- contact_tokens lists each contact's tokens by contact. It replaces the index on
-- contact_index(contact_id), which a move in token order would have filled at random:
-- a contact's tokens are removed (on update and erasure) through this list.
CREATE TABLE contact_tokens (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    token      BLOB    NOT NULL,
    PRIMARY KEY (contact_id, token)
) WITHOUT ROWID;
INSERT INTO contact_tokens (contact_id, token) SELECT contact_id, token FROM contact_index;
DROP INDEX contact_index_contact;

-- Tokens of a running (or interrupted) import, not yet in contact_index. `lookup` marks
-- phone and e-mail tokens, which the import uses to find duplicates within its own file
-- when it resumes.
CREATE TABLE staged_tokens (
    import_id  INTEGER NOT NULL,
    bucket     INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    token      BLOB    NOT NULL,
    lookup     INTEGER NOT NULL CHECK (lookup IN (0, 1)),
    PRIMARY KEY (import_id, bucket, contact_id, token)
) WITHOUT ROWID;
