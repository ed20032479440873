-- Webhooks: an integration (a dialer, a mailing tool) is told within seconds when a
-- consent is withdrawn, a person objects to direct marketing or an erasure is approved.
-- The signing secret is not stored: it is derived from the keyring's blind-index key and
-- `secret_salt`, so a copy of the database cannot forge deliveries.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    -- Event names separated by spaces.
    events      TEXT    NOT NULL,
    secret_salt TEXT    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);

-- The durable outbox: one row per webhook and event, written in the transaction of the
-- change itself, delivered (and retried with backoff for a day) by whichever node claims
-- it. `payload` holds ids only, never personal data.
CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id    INTEGER NOT NULL REFERENCES webhooks(id),
    event         TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    claimed_until INTEGER,
    last_status   INTEGER,
    last_error    TEXT,
    finished_at   INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
