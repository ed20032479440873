-- Retention ("Okresy przechowywania"): how long data may be kept for a purpose, from which
-- moment, and what happens when every purpose of a contact has ended. A contact is kept
-- while at least one rule that applies to it still holds.
CREATE TABLE retention_rules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    scope         TEXT    NOT NULL CHECK (scope IN ('consent', 'cases', 'source', 'no_purpose')),
    definition_id INTEGER REFERENCES consent_definitions(id),
    source_id     INTEGER REFERENCES data_sources(id),
    months        INTEGER NOT NULL DEFAULT 0,
    days          INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('queue', 'erase')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL
);

-- Each run of the daily job (or one a manager asked for). The node holding the
-- 'retention' job claim works on the open run; `done_through` is the last contact id done, so
-- a run a stopped node left behind resumes where it was.
CREATE TABLE retention_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL CHECK (kind IN ('schedule', 'manual')),
    requested_by INTEGER REFERENCES users(id),
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done')),
    owner        TEXT,
    done_through INTEGER NOT NULL DEFAULT 0,
    examined     INTEGER NOT NULL DEFAULT 0,
    queued       INTEGER NOT NULL DEFAULT 0,
    erased       INTEGER NOT NULL DEFAULT 0,
    held         INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER
);
CREATE INDEX retention_runs_state ON retention_runs(state, id);
-- At most one run waits to start: asking again (two managers, or the schedule) joins it.
CREATE UNIQUE INDEX retention_runs_one_queued ON retention_runs(state) WHERE state = 'queued';

-- What a run did under each rule (the rule that ended a contact's last purpose).
CREATE TABLE retention_outcomes (
    run_id  INTEGER NOT NULL REFERENCES retention_runs(id),
    rule_id INTEGER NOT NULL REFERENCES retention_rules(id),
    queued  INTEGER NOT NULL DEFAULT 0,
    erased  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, rule_id)
);

-- An erasure request the retention run made names its rule (no person asked for it).
ALTER TABLE erasure_requests ADD COLUMN retention_rule_id INTEGER REFERENCES retention_rules(id);
