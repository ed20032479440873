-- Master keys have epochs: each one wraps new data keys from the moment it becomes
-- current, is superseded by the next rotation, and is retired (removed from the keyring)
-- once its window has passed and nothing is wrapped under it any more. Writers read
-- `retired_at` in the transaction that wraps a key, so a retirement and a wrap cannot
-- interleave (see app/src/vault/epochs.rs).
CREATE TABLE master_keys (
    id            BIGINT PRIMARY KEY,
    current_since BIGINT NOT NULL,
    superseded_at BIGINT,
    retired_at    BIGINT
);

-- Cluster-wide jobs that must run on one node at a time (the scheduled key rotation):
-- a node takes the row with a conditional update and holds it until `until_at`.
CREATE TABLE job_claims (
    job      TEXT   PRIMARY KEY,
    owner    TEXT   NOT NULL,
    until_at BIGINT NOT NULL
);

-- The disclosure log stays append-only, except that an erasure empties the purpose of a
-- disclosure once every person it covered is erased (the purpose may name them).
CREATE OR REPLACE FUNCTION disclosures_append_only() RETURNS trigger AS $$
BEGIN
    IF NEW.purpose <> '' OR NEW.id <> OLD.id OR NEW.recipient_id <> OLD.recipient_id
       OR NEW.fields <> OLD.fields OR NEW.legal_basis <> OLD.legal_basis
       OR NEW.disclosed_by IS DISTINCT FROM OLD.disclosed_by OR NEW.disclosed_at <> OLD.disclosed_at THEN
        RAISE EXCEPTION 'disclosures is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
