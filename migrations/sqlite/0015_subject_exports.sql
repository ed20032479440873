-- Copies of a person's own data handed out (Art. 15 and 20): who made one, when, in
-- which form, and the SHA-256 of exactly what left. No personal value is kept here.
CREATE TABLE subject_exports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    exported_by INTEGER REFERENCES users(id),
    exported_at INTEGER NOT NULL,
    form        TEXT    NOT NULL CHECK (form IN ('zip', 'json')),
    sha256      TEXT    NOT NULL
);
CREATE INDEX subject_exports_contact ON subject_exports(contact_id, exported_at);
