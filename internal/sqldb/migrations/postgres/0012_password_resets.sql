-- "Lost your password?" links: a digest of each link's secret (never the
-- secret), whose account it opens and until when. One per user: asking
-- again replaces the link, and using it deletes it.
CREATE TABLE password_resets (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
