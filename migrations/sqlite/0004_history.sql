-- Personal-data history, data sources, recipients with processor agreements, sharing
-- scopes, the disclosure log, and who read which contact card.

CREATE TABLE data_sources (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('consultant', 'web_form', 'import_file', 'purchased', 'partner')),
    seller            TEXT    NOT NULL DEFAULT '',
    acquired_on       TEXT    NOT NULL DEFAULT '',
    acquisition_basis TEXT    NOT NULL DEFAULT '',
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by        INTEGER REFERENCES users(id),
    created_at        INTEGER NOT NULL
);
-- Data typed in by consultants during their work: the default source.
INSERT INTO data_sources (id, name, kind, created_at) VALUES (1, 'Konsultant (rozmowa z osobą)', 'consultant', 0);

ALTER TABLE contacts ADD COLUMN source_id INTEGER REFERENCES data_sources(id);

-- Every change of a personal field: old and new value sealed under the contact's key.
-- Written in one statement, so the ciphertexts are bound to a random row_ref rather
-- than to the id; the only update allowed is erasing the values (set to NULL).
CREATE TABLE field_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    field      TEXT    NOT NULL,
    row_ref    INTEGER NOT NULL,
    old_value  BLOB,
    new_value  BLOB,
    source_id  INTEGER REFERENCES data_sources(id),
    reason     BLOB,
    changed_by INTEGER REFERENCES users(id),
    changed_at INTEGER NOT NULL
);
CREATE INDEX field_history_contact ON field_history(contact_id, id);

CREATE TABLE recipients (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    nip        TEXT    NOT NULL DEFAULT '',
    role       TEXT    NOT NULL CHECK (role IN ('processor', 'controller', 'public_authority')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

-- Art. 28(3): the processor agreement (umowa powierzenia) and its signed document.
CREATE TABLE processor_agreements (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id       INTEGER NOT NULL REFERENCES recipients(id),
    subject_duration   TEXT    NOT NULL,
    nature_purpose     TEXT    NOT NULL,
    data_types         TEXT    NOT NULL,
    subject_categories TEXT    NOT NULL,
    obligations_rights TEXT    NOT NULL,
    signed_on          TEXT    NOT NULL,
    document           BLOB,
    document_type      TEXT,
    document_sha256    TEXT,
    created_by         INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL
);
CREATE INDEX processor_agreements_recipient ON processor_agreements(recipient_id, id);

-- Which fields a recipient may receive, and on what legal basis.
CREATE TABLE sharing_scopes (
    recipient_id INTEGER NOT NULL REFERENCES recipients(id),
    field        TEXT    NOT NULL,
    legal_basis  TEXT    NOT NULL,
    PRIMARY KEY (recipient_id, field)
);

-- Each disclosure: to whom, which fields, when, by whom, on what basis and for what.
CREATE TABLE disclosures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES recipients(id),
    fields       TEXT    NOT NULL,
    legal_basis  TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    disclosed_by INTEGER REFERENCES users(id),
    disclosed_at INTEGER NOT NULL
);
CREATE INDEX disclosures_recipient ON disclosures(recipient_id, id);
CREATE TABLE disclosure_contacts (
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (disclosure_id, contact_id)
);
CREATE INDEX disclosure_contacts_contact ON disclosure_contacts(contact_id);

-- Who opened which contact card, written in batches.
CREATE TABLE card_reads (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    read_at    INTEGER NOT NULL
);
CREATE INDEX card_reads_contact ON card_reads(contact_id, read_at);

CREATE TRIGGER field_history_no_update BEFORE UPDATE ON field_history
WHEN NEW.old_value IS NOT NULL OR NEW.new_value IS NOT NULL OR NEW.reason IS NOT NULL
  OR NEW.field <> OLD.field OR NEW.contact_id <> OLD.contact_id OR NEW.changed_at <> OLD.changed_at
BEGIN SELECT RAISE(ABORT, 'field_history is append-only'); END;
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosures is append-only'); END;
