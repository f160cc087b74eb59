CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
	password_hash TEXT NOT NULL DEFAULT '',
	must_set_password INTEGER NOT NULL DEFAULT 0,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL
);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at DATETIME NOT NULL,
	last_used_at DATETIME
);

CREATE TABLE posts (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('post', 'page')),
	title TEXT NOT NULL,
	slug TEXT NOT NULL UNIQUE,
	format TEXT NOT NULL DEFAULT 'markdown' CHECK (format IN ('markdown', 'html')),
	body TEXT NOT NULL DEFAULT '',
	body_html TEXT NOT NULL DEFAULT '',
	excerpt TEXT NOT NULL DEFAULT '',
	author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'private')),
	published_at DATETIME,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	comments_open INTEGER NOT NULL DEFAULT 1,
	reading_minutes INTEGER NOT NULL DEFAULT 1,
	summary TEXT NOT NULL DEFAULT '',
	comment_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_listing ON posts(type, status, published_at DESC, id DESC);
CREATE INDEX posts_author ON posts(author_id);

CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='posts', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
	INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
	INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body ON posts BEGIN
	INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
	INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	slug TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
	post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE media (
	id INTEGER PRIMARY KEY,
	filename TEXT NOT NULL,
	uploader_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at DATETIME NOT NULL
);

CREATE TABLE media_variants (
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
	variant TEXT NOT NULL,
	content_type TEXT NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (media_id, variant)
);
