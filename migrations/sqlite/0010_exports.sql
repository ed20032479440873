-- Exports of contacts to a file ("Eksportuj"). Each export is a disclosure inside the
-- organisation: it is logged in `disclosures` (with every exported contact in
-- `disclosure_contacts`) under the internal recipient seeded here, and described in
-- `exports` (filter, columns, format, the override reason). Large exports are prepared
-- in the background; their file is sealed under the export's own data key (wrapped by
-- the master key like an import's) in `export_chunks`, and destroyed after 24 hours.

ALTER TABLE recipients ADD COLUMN internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1));
INSERT INTO recipients (name, nip, role, active, internal, created_at)
VALUES ('Organizacja (eksport wewnętrzny)', '', 'controller', 1, 1, 0);

CREATE TABLE exports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    disclosure_id   INTEGER NOT NULL REFERENCES disclosures(id),
    filter          TEXT    NOT NULL,
    columns         TEXT    NOT NULL,
    format          TEXT    NOT NULL CHECK (format IN ('csv', 'xlsx')),
    encoding        TEXT    NOT NULL,
    delimiter       TEXT    NOT NULL,
    override_reason TEXT,
    row_count       INTEGER NOT NULL,
    status          TEXT    NOT NULL
                    CHECK (status IN ('streamed', 'queued', 'running', 'done', 'failed')),
    rows_done       INTEGER NOT NULL DEFAULT 0,
    file_size       INTEGER NOT NULL DEFAULT 0,
    owner           TEXT,
    heartbeat_at    INTEGER,
    key_version     INTEGER NOT NULL DEFAULT 1,
    master_key_id   INTEGER,
    wrapped_key     BLOB,
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    purged_at       INTEGER
);
CREATE INDEX exports_status ON exports(status);
CREATE INDEX exports_disclosure ON exports(disclosure_id);

-- A finished background export's file in sealed pieces of about a megabyte.
CREATE TABLE export_chunks (
    export_id INTEGER NOT NULL REFERENCES exports(id),
    seq       INTEGER NOT NULL,
    content   BLOB    NOT NULL,
    PRIMARY KEY (export_id, seq)
);
