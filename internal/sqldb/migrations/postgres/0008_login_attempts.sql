-- Failed logins per account and per address, for exponential back-off that
-- holds across processes.
CREATE TABLE login_attempts (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	blocked_until TIMESTAMPTZ,
	updated_at TIMESTAMPTZ NOT NULL
);
