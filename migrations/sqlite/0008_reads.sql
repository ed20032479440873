-- Reads of personal data beyond the card itself (case card, history, evidence), and
-- pages of search results: one entry per page listing the contacts it showed.
ALTER TABLE card_reads ADD COLUMN via TEXT NOT NULL DEFAULT 'card';

CREATE TABLE bulk_reads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    read_at       INTEGER NOT NULL,
    via           TEXT    NOT NULL,
    contact_count INTEGER NOT NULL
);
CREATE TABLE bulk_read_contacts (
    bulk_read_id INTEGER NOT NULL REFERENCES bulk_reads(id),
    contact_id   INTEGER NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (bulk_read_id, contact_id)
);
CREATE INDEX bulk_read_contacts_contact ON bulk_read_contacts(contact_id);
