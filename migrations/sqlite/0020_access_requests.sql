-- A person's requests for a copy of their data (Art. 15 access, Art. 20 portability),
-- with the Art. 12(3) deadline; a copy handed out delivers every open one (#15).
CREATE TABLE access_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id),
    kind         TEXT    NOT NULL CHECK (kind IN ('access', 'portability')),
    requested_by INTEGER REFERENCES users(id),
    requested_at INTEGER NOT NULL,
    deadline_at  INTEGER NOT NULL,
    delivered_at INTEGER,
    delivered_by INTEGER REFERENCES users(id)
);
CREATE INDEX access_requests_contact ON access_requests(contact_id, requested_at);
CREATE INDEX access_requests_open ON access_requests(delivered_at, deadline_at);
