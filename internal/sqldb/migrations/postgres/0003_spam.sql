-- A model's learned state as of last_event; events after it are replayed.
CREATE TABLE spam_models (
	name TEXT PRIMARY KEY,
	data BYTEA NOT NULL,
	last_event BIGINT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- Every learning decision, so that all processes converge on one model.
CREATE TABLE spam_events (
	id BIGSERIAL PRIMARY KEY,
	model TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('spam', 'ham', 'reset')),
	author TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX spam_events_model ON spam_events(model, id);
CREATE INDEX spam_events_email ON spam_events(email);
