-- API tokens for integrators (dialers, CRMs, web forms). Each token acts through an
-- account of its own in `users` (kind 'integration', login 'api:' + 16 random hex digits, a password hash that
-- never verifies), so the audit trail, card reads and `recorded_by` columns name the
-- integration without any feature knowing about tokens. Only the token's SHA-256 is kept.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'integration'));

CREATE TABLE api_tokens (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL UNIQUE REFERENCES users(id),
    name              TEXT    NOT NULL,
    token_hash        TEXT    NOT NULL UNIQUE,
    token_prefix      TEXT    NOT NULL,
    -- Endpoint names separated by spaces; NULL: every integrator endpoint the role may call.
    endpoints         TEXT,
    -- Addresses or networks (CIDR) separated by spaces; NULL: any address.
    allowed_addresses TEXT,
    rate_per_sec      INTEGER NOT NULL CHECK (rate_per_sec > 0),
    burst             INTEGER NOT NULL CHECK (burst > 0),
    expires_at        INTEGER,
    revoked_at        INTEGER,
    revoked_by        INTEGER REFERENCES users(id),
    created_by        INTEGER REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER,
    last_used_from    TEXT
);
