-- Accounts, sessions, login throttling, settings and the audit trail.
-- Times are UTC Unix milliseconds; flags are 0/1 integers (see app/src/db.rs).

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    login                 TEXT    NOT NULL UNIQUE,
    display_name          TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('consultant', 'manager', 'administrator')),
    password_hash         TEXT    NOT NULL,
    password_changed_at   INTEGER NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    disabled              INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL
);

-- Former password hashes, so that a new password cannot repeat the last ones.
CREATE TABLE password_history (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);

-- Sessions live in the database so that several nodes share them. Only the SHA-256 of
-- the cookie's token is stored.
CREATE TABLE sessions (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed-login counters per account ('login:<login>') and per address ('ip:<address>').
CREATE TABLE login_throttle (
    throttle_key   TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE settings (
    setting_key  TEXT PRIMARY KEY,
    value        TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Append-only, hash-chained: each row's hash covers the previous row's hash and its
-- own content. Never a password or a personal-data value in here.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER,
    actor_login    TEXT,
    action         TEXT    NOT NULL,
    subject        TEXT,
    source         TEXT,
    outcome        TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL UNIQUE,
    hash           TEXT    NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
