-- Page hierarchy, sticky and password-protected posts (WordPress's).
ALTER TABLE posts ADD COLUMN parent_id BIGINT REFERENCES posts(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN menu_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN sticky BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE posts ADD COLUMN password TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_parent ON posts(parent_id);

-- One row per run of `marquee import wxr`.
CREATE TABLE wp_imports (
	id BIGSERIAL PRIMARY KEY,
	source TEXT NOT NULL,
	started_at TIMESTAMPTZ NOT NULL
);

-- What each imported WordPress record became, keyed by the site it came
-- from and its WordPress id (posts, comments), login (authors) or guid
-- when it has no id: a second import of the same file finds everything here.
CREATE TABLE wp_map (
	source TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('author', 'post', 'comment', 'attachment')),
	wp_key TEXT NOT NULL,
	local_id BIGINT NOT NULL,
	wp_parent TEXT NOT NULL DEFAULT '',
	guid TEXT NOT NULL DEFAULT '',
	run BIGINT NOT NULL REFERENCES wp_imports(id),
	PRIMARY KEY (source, kind, wp_key)
);
CREATE INDEX wp_map_local ON wp_map(kind, local_id);
CREATE INDEX wp_map_run ON wp_map(run, kind);

-- WordPress categories: Marquee has tags only, so each category is also a
-- tag; its hierarchy is kept here for exports and /category/… redirects.
CREATE TABLE wp_categories (
	id BIGSERIAL PRIMARY KEY,
	nicename TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	parent TEXT NOT NULL DEFAULT '',
	tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE
);

CREATE TABLE wp_post_categories (
	post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	category_id BIGINT NOT NULL REFERENCES wp_categories(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, category_id)
);

-- Attachments are not copied: they stay references to their original URLs.
CREATE TABLE wp_attachments (
	id BIGSERIAL PRIMARY KEY,
	title TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL,
	post_id BIGINT REFERENCES posts(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL
);

-- Old WordPress addresses: a path without its trailing slash ("/2013/01/11/slug")
-- or a query form ("?p=123"), and where it went.
CREATE TABLE wp_redirects (
	path TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('post', 'feed', 'tag', 'tagfeed', 'url')),
	post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
	tag_id BIGINT REFERENCES tags(id) ON DELETE CASCADE,
	url TEXT NOT NULL DEFAULT ''
);
