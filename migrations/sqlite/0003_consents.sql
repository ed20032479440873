-- Consents: definitions with versioned statements, every decision as an event with its
-- evidence, the current decision per contact and definition (for fast contact checks),
-- and logged communications (done or blocked).

CREATE TABLE consent_definitions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,
    legal_basis    TEXT    NOT NULL CHECK (legal_basis IN ('consent', 'contract', 'legal_obligation',
                       'vital_interest', 'public_task', 'legitimate_interest')),
    balancing_note TEXT    NOT NULL DEFAULT '',
    channel        TEXT    NOT NULL CHECK (channel IN ('any', 'call', 'sms', 'email', 'automated_call')),
    marketing      INTEGER NOT NULL DEFAULT 0 CHECK (marketing IN (0, 1)),
    required       INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position       INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    updated_at     INTEGER NOT NULL
);

-- Each statement text ever read out; a grant keeps the version the person heard.
CREATE TABLE consent_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    definition_id INTEGER NOT NULL REFERENCES consent_definitions(id),
    version       INTEGER NOT NULL,
    statement     TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    UNIQUE (definition_id, version)
);

-- Recordings and e-mails proving a decision, sealed under the contact's data key.
CREATE TABLE evidence_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    media_type  TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    file_name   BLOB,
    content     BLOB,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX evidence_files_contact ON evidence_files(contact_id);

-- Every decision, never edited: who, when, how, which statement version, what evidence.
CREATE TABLE consent_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    definition_id INTEGER NOT NULL REFERENCES consent_definitions(id),
    version_id    INTEGER NOT NULL REFERENCES consent_versions(id),
    decision      TEXT    NOT NULL CHECK (decision IN ('granted', 'refused', 'withdrawn')),
    method        TEXT    NOT NULL CHECK (method IN ('call', 'email', 'sms', 'web_form', 'import', 'in_person', 'letter')),
    case_id       INTEGER REFERENCES cases(id),
    evidence_id   INTEGER REFERENCES evidence_files(id),
    recorded_by   INTEGER REFERENCES users(id),
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX consent_events_contact ON consent_events(contact_id, definition_id, id);

CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;

-- The latest decision per contact and definition: one primary-key read per check.
CREATE TABLE consent_current (
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    definition_id INTEGER NOT NULL REFERENCES consent_definitions(id),
    decision      TEXT    NOT NULL CHECK (decision IN ('granted', 'refused', 'withdrawn')),
    event_id      INTEGER NOT NULL REFERENCES consent_events(id),
    PRIMARY KEY (contact_id, definition_id)
) WITHOUT ROWID;

-- Calls, e-mails and SMS with a contact, and attempts the contact check blocked.
CREATE TABLE communications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    channel    TEXT    NOT NULL CHECK (channel IN ('call', 'sms', 'email', 'automated_call')),
    purpose    TEXT    NOT NULL CHECK (purpose IN ('service', 'marketing')),
    outcome    TEXT    NOT NULL CHECK (outcome IN ('done', 'blocked')),
    reason     TEXT,
    note       BLOB,
    user_id    INTEGER REFERENCES users(id),
    at         INTEGER NOT NULL
);
CREATE INDEX communications_contact ON communications(contact_id, id);

-- An objection to direct marketing (Art. 21(2)) stops marketing on every channel.
ALTER TABLE contacts ADD COLUMN marketing_objection_at INTEGER;
