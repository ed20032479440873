-- The right to be forgotten: requests and their state machine (enforced by conditional
-- updates), legal holds that block approval, and the suppression list.

CREATE TABLE erasure_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id       INTEGER NOT NULL REFERENCES contacts(id),
    case_id          INTEGER REFERENCES cases(id),
    ground           TEXT    NOT NULL CHECK (ground IN ('no_longer_needed', 'consent_withdrawn', 'objection',
                         'unlawful', 'legal_obligation', 'child')),
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'withdrawn', 'approved', 'refused')),
    previous_state   TEXT    NOT NULL,
    requested_by     INTEGER REFERENCES users(id),
    requested_at     INTEGER NOT NULL,
    deadline_at      INTEGER NOT NULL,
    extended_until   INTEGER,
    extension_reason TEXT,
    decided_by       INTEGER REFERENCES users(id),
    decided_at       INTEGER,
    refusal_reason   TEXT,
    updated_at       INTEGER NOT NULL
);
-- At most one open request per contact.
CREATE UNIQUE INDEX erasure_requests_one_pending ON erasure_requests(contact_id) WHERE state = 'pending';
CREATE INDEX erasure_requests_state ON erasure_requests(state, requested_at);

-- Art. 17(3)(b) and (e): a legal obligation or legal claims keep the data until a date.
CREATE TABLE legal_holds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id),
    reason      TEXT    NOT NULL,
    until_date  TEXT    NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    released_by INTEGER REFERENCES users(id),
    released_at INTEGER
);
CREATE INDEX legal_holds_contact ON legal_holds(contact_id);

-- Kept after an erasure, on purpose: blind-index tokens (HMAC-SHA-256) of the erased
-- phones and e-mail addresses, with no link to any contact, so that an import can flag
-- a person who returns. Nothing here can be turned back into a number or an address
-- without the keyring's index key.
CREATE TABLE suppression (
    token     BLOB    PRIMARY KEY,
    erased_at INTEGER NOT NULL
);
