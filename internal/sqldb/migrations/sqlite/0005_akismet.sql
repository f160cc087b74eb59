-- Akismet API keys. Only a SHA-256 of each key is kept; key_prefix (its
-- first characters) lets an operator tell keys apart.
CREATE TABLE akismet_keys (
	id INTEGER PRIMARY KEY,
	key_hash TEXT NOT NULL UNIQUE,
	key_prefix TEXT NOT NULL,
	blog TEXT NOT NULL,
	created_at DATETIME NOT NULL,
	revoked_at DATETIME
);

-- Use of a key per month ("YYYY-MM") and per site (the host of the blog
-- parameter), for key-sites, usage-limit and list-keys.
CREATE TABLE akismet_usage (
	key_id INTEGER NOT NULL REFERENCES akismet_keys(id) ON DELETE CASCADE,
	month TEXT NOT NULL,
	site TEXT NOT NULL,
	calls INTEGER NOT NULL DEFAULT 0,
	spam INTEGER NOT NULL DEFAULT 0,
	ham INTEGER NOT NULL DEFAULT 0,
	missed_spam INTEGER NOT NULL DEFAULT 0,
	false_positives INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (key_id, month, site)
);
