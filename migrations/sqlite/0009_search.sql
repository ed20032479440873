-- "Szukaj": indexes for the filters over plain columns, searches saved by name, and the
-- progress of adding city and postal-code tokens to contacts saved before they existed.

CREATE INDEX contacts_source ON contacts(source_id);
CREATE INDEX contacts_import ON contacts(import_id);
CREATE INDEX contacts_created ON contacts(created_at);
CREATE INDEX contacts_updated ON contacts(updated_at);
CREATE INDEX consent_current_definition ON consent_current(definition_id, decision, contact_id);
CREATE INDEX cases_status ON cases(status, contact_id);
CREATE INDEX communications_done ON communications(outcome, contact_id, at);

CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id, name);

-- Contacts up to last_id were saved without city and postal-code tokens; the pass at
-- start adds them in batches, next_id being the first id not yet done.
CREATE TABLE search_backfill (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    next_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL
);
INSERT INTO search_backfill (id, next_id, last_id) SELECT 1, 1, COALESCE(MAX(id), 0) FROM contacts;
