-- A consent definition may be the person's consent to sharing their data with other
-- entities: a disclosure on the legal basis "consent" needs it granted.
ALTER TABLE consent_definitions ADD COLUMN sharing INTEGER NOT NULL DEFAULT 0 CHECK (sharing IN (0, 1));

-- Nothing is granted for a purpose based on legitimate interest, so the consultant cannot
-- be required to mark it (the panel offers an objection instead).
UPDATE consent_definitions SET required = 0 WHERE legal_basis = 'legitimate_interest';

-- Objections under Art. 21(1) GDPR: the person objects to processing for one purpose
-- based on legitimate interest (a consent definition of that basis). While a row is
-- open the purpose stops for the person; it closes when the person withdraws it or a
-- manager records compelling legitimate grounds that override it.
CREATE TABLE purpose_objections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    definition_id INTEGER NOT NULL REFERENCES consent_definitions(id),
    recorded_by   INTEGER REFERENCES users(id),
    recorded_at   INTEGER NOT NULL,
    lifted_by     INTEGER REFERENCES users(id),
    lifted_at     INTEGER,
    lift_ground   TEXT CHECK (lift_ground IN ('withdrawn', 'compelling_grounds'))
);
CREATE UNIQUE INDEX purpose_objections_one_open ON purpose_objections(contact_id, definition_id)
    WHERE lifted_at IS NULL;
