-- Akismet API keys. Only a SHA-256 of each key is kept; key_prefix (its
-- first characters) lets an operator tell keys apart.
CREATE TABLE akismet_keys (
	id BIGSERIAL PRIMARY KEY,
	key_hash TEXT NOT NULL UNIQUE,
	key_prefix TEXT NOT NULL,
	blog TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ
);

-- Use of a key per month ("YYYY-MM") and per site (the host of the blog
-- parameter), for key-sites, usage-limit and list-keys.
CREATE TABLE akismet_usage (
	key_id BIGINT NOT NULL REFERENCES akismet_keys(id) ON DELETE CASCADE,
	month TEXT NOT NULL,
	site TEXT NOT NULL,
	calls BIGINT NOT NULL DEFAULT 0,
	spam BIGINT NOT NULL DEFAULT 0,
	ham BIGINT NOT NULL DEFAULT 0,
	missed_spam BIGINT NOT NULL DEFAULT 0,
	false_positives BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (key_id, month, site)
);
