-- Restriction of processing (Art. 18 GDPR). While a contact's state is 'restricted' its
-- one open row here says on which ground of Art. 18(1), since when and by whom; lifting
-- closes the row, which records that the person was told first (Art. 18(3)).
CREATE TABLE restrictions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    ground        TEXT    NOT NULL CHECK (ground IN ('accuracy', 'unlawful', 'legal_claims', 'objection')),
    -- What staff wrote about the person: sealed under the contact's data key.
    note          BLOB,
    restricted_by INTEGER REFERENCES users(id),
    restricted_at INTEGER NOT NULL,
    lifted_by     INTEGER REFERENCES users(id),
    lifted_at     INTEGER,
    lift_note     BLOB
);
CREATE UNIQUE INDEX restrictions_one_open ON restrictions(contact_id) WHERE lifted_at IS NULL;
