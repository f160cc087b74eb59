CREATE TABLE users (
	id BIGSERIAL PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
	password_hash TEXT NOT NULL DEFAULT '',
	must_set_password BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ
);

CREATE TABLE posts (
	id BIGSERIAL PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('post', 'page')),
	title TEXT NOT NULL,
	slug TEXT NOT NULL UNIQUE,
	format TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html')),
	body TEXT NOT NULL DEFAULT '',
	body_html TEXT NOT NULL DEFAULT '',
	excerpt TEXT NOT NULL DEFAULT '',
	author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'private')),
	published_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	comments_open BOOLEAN NOT NULL DEFAULT TRUE,
	reading_minutes INTEGER NOT NULL DEFAULT 1,
	summary TEXT NOT NULL DEFAULT '',
	comment_count INTEGER NOT NULL DEFAULT 0,
	search TSVECTOR GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
		setweight(to_tsvector('simple', coalesce(body, '')), 'B')) STORED
);
CREATE INDEX posts_listing ON posts(type, status, published_at DESC, id DESC);
CREATE INDEX posts_author ON posts(author_id);
CREATE INDEX posts_search ON posts USING GIN (search);

CREATE TABLE tags (
	id BIGSERIAL PRIMARY KEY,
	name TEXT NOT NULL,
	slug TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
	post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE media (
	id BIGSERIAL PRIMARY KEY,
	filename TEXT NOT NULL,
	uploader_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE media_variants (
	media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
	variant TEXT NOT NULL,
	content_type TEXT NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (media_id, variant)
);
