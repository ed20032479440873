-- Reports saved under a name, shared by the managers (#15).
CREATE TABLE saved_reports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_reports_name ON saved_reports(name);
