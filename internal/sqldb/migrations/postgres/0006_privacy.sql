-- The privacy log: one row per export, erasure or retention run. It holds
-- no personal data (no address, no hash of one): what was done, by whom
-- (cli, job, or api:/admin: and a staff user's id), how many comments and
-- spam-filter samples it touched, and a random id to quote in a reply.
CREATE TABLE privacy_audit (
	id BIGSERIAL PRIMARY KEY,
	request_id TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('export', 'erase-anonymize', 'erase-delete', 'retention')),
	actor TEXT NOT NULL,
	comments_affected BIGINT NOT NULL DEFAULT 0,
	samples_affected BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX privacy_audit_created ON privacy_audit(created_at DESC, id DESC);

-- Retention finds comments by the time their status was decided.
CREATE INDEX comments_retention ON comments((coalesce(moderated_at, created_at)));
