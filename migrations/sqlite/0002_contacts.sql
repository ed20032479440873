-- Contacts and cases. Every personal value is a ciphertext (BLOB) under the contact's
-- own data key (contact_keys); lookups use blind indexes (contact_index). Plain columns
-- are non-personal: ids, kinds, states, statuses, channels, users and times.

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('person', 'company')),
    state       TEXT    NOT NULL DEFAULT 'active'
                CHECK (state IN ('active', 'erasure_pending', 'erased', 'restricted')),
    first_name  BLOB,
    last_name   BLOB,
    company     BLOB,
    street      BLOB,
    postal_code BLOB,
    city        BLOB,
    pesel       BLOB,
    nip         BLOB,
    notes       BLOB,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id),
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_state ON contacts(state);

-- One data key per contact, wrapped by a master key of the keyring. wrapped_key becomes
-- NULL when the key is destroyed (erasure): every copy of the contact's data is then
-- unreadable.
CREATE TABLE contact_keys (
    contact_id    INTEGER PRIMARY KEY REFERENCES contacts(id),
    key_version   INTEGER NOT NULL DEFAULT 1,
    master_key_id INTEGER NOT NULL,
    wrapped_key   BLOB,
    created_at    INTEGER NOT NULL,
    destroyed_at  INTEGER
);
CREATE INDEX contact_keys_master ON contact_keys(master_key_id);

-- Phone numbers and e-mail addresses, each with the channels it serves.
CREATE TABLE contact_channels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    kind       TEXT    NOT NULL CHECK (kind IN ('phone', 'email')),
    value      BLOB,
    for_call   INTEGER NOT NULL DEFAULT 0 CHECK (for_call IN (0, 1)),
    for_sms    INTEGER NOT NULL DEFAULT 0 CHECK (for_sms IN (0, 1)),
    for_email  INTEGER NOT NULL DEFAULT 0 CHECK (for_email IN (0, 1)),
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_channels_contact ON contact_channels(contact_id, position);

-- Blind indexes: HMAC-SHA-256 tokens of E.164 phones, lower-cased e-mails, each word of
-- the name, PESEL and NIP.
CREATE TABLE contact_index (
    token      BLOB    NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    PRIMARY KEY (token, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_index_contact ON contact_index(contact_id);

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    subject     BLOB,
    description BLOB,
    status      TEXT    NOT NULL CHECK (status IN ('new', 'in_progress', 'closed')),
    channel     TEXT    NOT NULL
                CHECK (channel IN ('phone', 'email', 'sms', 'chat', 'web', 'letter', 'in_person')),
    assigned_to INTEGER REFERENCES users(id),
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users(id),
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_contact ON cases(contact_id, id);
CREATE INDEX cases_assignee ON cases(assigned_to, status);
