-- The Art. 30 register of processing activities (#15): what Zgoda cannot know is
-- written by a manager; each saved version keeps the whole document as it stood.
ALTER TABLE recipients ADD COLUMN transfer TEXT NOT NULL DEFAULT '';

CREATE TABLE register_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    controller        TEXT    NOT NULL DEFAULT '',
    dpo               TEXT    NOT NULL DEFAULT '',
    security_measures TEXT    NOT NULL DEFAULT '',
    updated_by        INTEGER REFERENCES users(id),
    updated_at        INTEGER NOT NULL
);

CREATE TABLE register_purposes (
    purpose_key        TEXT    PRIMARY KEY,
    data_categories    TEXT    NOT NULL DEFAULT '',
    subject_categories TEXT    NOT NULL DEFAULT '',
    updated_by         INTEGER REFERENCES users(id),
    updated_at         INTEGER NOT NULL
);

CREATE TABLE register_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    version    INTEGER NOT NULL UNIQUE,
    document   TEXT    NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
