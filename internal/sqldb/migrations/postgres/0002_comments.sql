CREATE TABLE comments (
	id BIGSERIAL PRIMARY KEY,
	post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	parent_id BIGINT,
	type TEXT NOT NULL DEFAULT 'comment' CHECK (type IN ('comment', 'pingback', 'trackback')),
	author TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL,
	content_html TEXT NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	referrer TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	spam_score DOUBLE PRECISION,
	spam_reasons TEXT NOT NULL DEFAULT '',
	notify BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	moderated_at TIMESTAMPTZ
);
CREATE INDEX comments_thread ON comments(post_id, status, parent_id, created_at, id);
CREATE INDEX comments_parent ON comments(parent_id);
CREATE INDEX comments_queue ON comments(status, created_at DESC, id DESC);
CREATE INDEX comments_email ON comments(email, status);
