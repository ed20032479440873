-- The consultant's desk: which case a case-card read opened (a card read has none), and
-- each user's own reads, newest first, without scanning everyone's.
ALTER TABLE card_reads ADD COLUMN case_id BIGINT;
CREATE INDEX card_reads_user ON card_reads(user_id, read_at);
-- "My erasure requests" look up by the user ("my open cases" use cases_assignee).
CREATE INDEX erasure_requests_requester ON erasure_requests(requested_by, updated_at);
