-- Imports of records from files: each batch with its settings, progress checkpoint and
-- report; the uploaded file and the rejected rows sealed under the import's own data
-- key (wrapped by the master key like a contact's), so purging an import is destroying
-- that key. Imported contacts, consent decisions and history rows name their batch.

CREATE TABLE imports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    file_name        TEXT    NOT NULL,
    format           TEXT    NOT NULL CHECK (format IN ('delimited', 'xlsx')),
    size_bytes       INTEGER NOT NULL DEFAULT 0,
    encoding         TEXT    NOT NULL,
    encoding_certain INTEGER NOT NULL DEFAULT 1 CHECK (encoding_certain IN (0, 1)),
    settings         TEXT,
    header           TEXT,
    source_id        INTEGER REFERENCES data_sources(id),
    status           TEXT    NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'queued', 'running', 'done', 'failed')),
    failure          TEXT,
    key_version      INTEGER NOT NULL DEFAULT 1,
    master_key_id    INTEGER NOT NULL,
    wrapped_key      BLOB,
    rows_done        INTEGER NOT NULL DEFAULT 0,
    bytes_done       INTEGER NOT NULL DEFAULT 0,
    rows_read        INTEGER NOT NULL DEFAULT 0,
    added            INTEGER NOT NULL DEFAULT 0,
    updated          INTEGER NOT NULL DEFAULT 0,
    duplicates       INTEGER NOT NULL DEFAULT 0,
    erased_skipped   INTEGER NOT NULL DEFAULT 0,
    rejected         INTEGER NOT NULL DEFAULT 0,
    phones_repaired  INTEGER NOT NULL DEFAULT 0,
    phones_flagged   INTEGER NOT NULL DEFAULT 0,
    consents         INTEGER NOT NULL DEFAULT 0,
    owner            TEXT,
    heartbeat_at     INTEGER,
    started_at       INTEGER,
    finished_at      INTEGER,
    confirmed_by     INTEGER REFERENCES users(id),
    confirmed_at     INTEGER,
    purged_at        INTEGER,
    created_by       INTEGER REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX imports_status ON imports(status);

-- The uploaded file in sealed pieces of about a megabyte; deleted when the import ends.
CREATE TABLE import_chunks (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    seq       INTEGER NOT NULL,
    content   BLOB    NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Rows not imported (and rows imported with a dropped phone): where and why in plain
-- text, the row itself sealed under the import's key for the "rejected rows" download.
CREATE TABLE import_rejects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    row_no      INTEGER NOT NULL,
    column_name TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    imported    INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
    row_ref     INTEGER NOT NULL,
    raw         BLOB
);
CREATE INDEX import_rejects_import ON import_rejects(import_id, id);

CREATE TABLE import_templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    columns    TEXT    NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

ALTER TABLE contacts ADD COLUMN import_id INTEGER REFERENCES imports(id);
ALTER TABLE consent_events ADD COLUMN import_id INTEGER REFERENCES imports(id);
ALTER TABLE field_history ADD COLUMN import_id INTEGER REFERENCES imports(id);
-- A phone kept as the file had it, though it is no valid number: not dialled, shown
-- flagged on the card until corrected.
ALTER TABLE contact_channels ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1));
