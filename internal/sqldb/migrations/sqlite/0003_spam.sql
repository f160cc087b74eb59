-- A model's learned state as of last_event; events after it are replayed.
CREATE TABLE spam_models (
	name TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	last_event INTEGER NOT NULL,
	updated_at DATETIME NOT NULL
);

-- Every learning decision, so that all processes converge on one model.
CREATE TABLE spam_events (
	id INTEGER PRIMARY KEY,
	model TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('spam', 'ham', 'reset')),
	author TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	content TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	created_at DATETIME NOT NULL
);
CREATE INDEX spam_events_model ON spam_events(model, id);
CREATE INDEX spam_events_email ON spam_events(email);
