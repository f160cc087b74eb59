-- Mail waiting to be sent; a process claims a row by moving locked_until,
-- so that each message goes out once across processes.
CREATE TABLE outbox (
	id BIGSERIAL PRIMARY KEY,
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	unsubscribe TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ,
	sent_at TIMESTAMPTZ,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, locked_until);
