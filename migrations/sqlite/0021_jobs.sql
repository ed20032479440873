-- One durable queue for every node's background work (#20): imports, background exports,
-- webhook deliveries, retention runs, the key rotation check, purges and the search
-- backfill. A node claims a due job by a conditional update and holds it by a lease it
-- renews while working; a node that dies leaves the lease to run out and another takes
-- the job over. Each feature keeps its own record (an import's counters, a delivery's
-- attempts); this table only says who works on what, when, and how it ended.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    -- The feature's row the job works on (an import, an export, a delivery), if any.
    subject      INTEGER,
    -- Set to the kind while a job that must exist once (retention, purge...) waits or
    -- runs; the unique index keeps a second copy from being queued.
    singleton    TEXT    UNIQUE,
    status       TEXT    NOT NULL CHECK (status IN ('waiting', 'running', 'done', 'failed')),
    run_at       INTEGER NOT NULL,
    -- A manager asked for a run while one was going on: run again when it ends.
    rerun        INTEGER NOT NULL DEFAULT 0 CHECK (rerun IN (0, 1)),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    -- A message key (never personal data): why the last attempt failed.
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);
CREATE INDEX jobs_subject ON jobs(kind, subject);

-- Work queued before this version runs on.
INSERT INTO jobs (kind, subject, status, run_at, max_attempts, created_at, updated_at)
SELECT 'import', id, 'waiting', updated_at, 10, updated_at, updated_at FROM imports
WHERE status IN ('queued', 'running');
INSERT INTO jobs (kind, subject, status, run_at, max_attempts, created_at, updated_at)
SELECT 'export', id, 'waiting', created_at, 3, created_at, created_at FROM exports
WHERE status IN ('queued', 'running');
INSERT INTO jobs (kind, subject, status, run_at, max_attempts, created_at, updated_at)
SELECT 'webhook', id, 'waiting', next_at, 20, created_at, created_at FROM webhook_deliveries
WHERE state = 'pending';
