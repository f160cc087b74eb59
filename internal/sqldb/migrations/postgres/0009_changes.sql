-- What changed, as cache tags, so that every process of a site (and the
-- server, after a command-line import) drops the cached pages that show it.
CREATE TABLE changes (
	id BIGSERIAL PRIMARY KEY,
	tags TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
