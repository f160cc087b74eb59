package spam

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"marquee/internal/sqldb"
)

// SiteModel names the blog's own model; Akismet keys get models of their own.
const SiteModel = "site"

// Store keeps filters in the database: a snapshot per model and the log of
// learning events after it. Every process replays the log (Sync), so a
// decision taken on one process changes the verdicts of all of them.
type Store struct {
	db *sqldb.DB
	// SnapshotEvery is how many events a model takes between snapshots.
	SnapshotEvery int

	mu     sync.Mutex
	models map[string]*stored
}

type stored struct {
	mu      sync.Mutex // serialises replay and snapshots of this model
	f       *Filter
	floor   int64          // events up to this id are in the loaded snapshot
	applied int64          // highest event id applied
	recent  map[int64]bool // ids applied within replayWindow of applied
	since   int            // events applied since the last snapshot
}

// replayWindow covers events whose ids were allocated before others but
// committed after them (PostgreSQL sequences under concurrent writers): a
// replay looks this far back and skips what it already applied.
const replayWindow = 256

// NewStore returns a Store on db.
func NewStore(db *sqldb.DB) *Store {
	return &Store{db: db, SnapshotEvery: 200, models: map[string]*stored{}}
}

// Filter returns the named model, loading its snapshot and replaying newer
// events on first use; a model never trained starts as the starter model.
func (s *Store) Filter(ctx context.Context, name string) (*Filter, error) {
	m, err := s.model(ctx, name)
	if err != nil {
		return nil, err
	}
	return m.f, nil
}

func (s *Store) model(ctx context.Context, name string) (*stored, error) {
	s.mu.Lock()
	m, ok := s.models[name]
	if !ok {
		m = &stored{}
		s.models[name] = m
	}
	s.mu.Unlock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.f != nil {
		return m, nil
	}
	f := NewFilter()
	var data []byte
	var last int64
	err := s.db.QueryRowContext(ctx, "SELECT data, last_event FROM spam_models WHERE name = $1", name).Scan(&data, &last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		if err := f.UnmarshalBinary(data); err != nil {
			return nil, fmt.Errorf("spam: model %q: %w", name, err)
		}
	}
	m.f, m.applied, m.floor = f, last, last
	if err := s.replay(ctx, name, m); err != nil {
		m.f = nil
		return nil, err
	}
	return m, nil
}

// replay applies the events of name newer than m.applied. m.mu is held.
func (s *Store) replay(ctx context.Context, name string, m *stored) error {
	if m.recent == nil {
		m.recent = map[int64]bool{}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, author, email, url, content, ip FROM spam_events
		WHERE model = $1 AND id > $2 ORDER BY id`, name, m.applied-replayWindow)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var sm Sample
		if err := rows.Scan(&id, &kind, &sm.Author, &sm.Email, &sm.URL, &sm.Content, &sm.IP); err != nil {
			return err
		}
		if id <= m.floor || m.recent[id] {
			continue // covered by the snapshot, or applied already
		}
		if kind == "reset" {
			m.f.Reset()
		} else {
			m.f.Learn(sm, kind == "spam")
		}
		m.recent[id] = true
		m.applied = max(m.applied, id)
		m.since++
	}
	for id := range m.recent {
		if id <= m.applied-replayWindow {
			delete(m.recent, id)
		}
	}
	return rows.Err()
}

// Learn records a moderator's decision durably, then applies it: the model
// changes at once here, and in other processes at their next Sync. The
// sample's IP address is not kept: the model does not learn from it (the
// per-address history comes from the comments themselves).
func (s *Store) Learn(ctx context.Context, name string, sm Sample, isSpam bool) error {
	kind := "ham"
	if isSpam {
		kind = "spam"
	}
	return s.record(ctx, name, kind, sm)
}

// Reset returns a model to the starter model, everywhere.
func (s *Store) Reset(ctx context.Context, name string) error {
	return s.record(ctx, name, "reset", Sample{})
}

func (s *Store) record(ctx context.Context, name, kind string, sm Sample) error {
	m, err := s.model(ctx, name)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO spam_events (model, kind, author, email, url, content, ip, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, name, kind, sm.Author, sm.Email, sm.URL, sm.Content, "", sqldb.Now()); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := s.replay(ctx, name, m); err != nil {
		return err
	}
	if m.since >= s.SnapshotEvery {
		return s.snapshot(ctx, name, m)
	}
	return nil
}

// Sync replays what other processes learned since the last call.
func (s *Store) Sync(ctx context.Context) error {
	s.mu.Lock()
	names := make([]string, 0, len(s.models))
	for n := range s.models {
		names = append(names, n)
	}
	s.mu.Unlock()
	for _, n := range names {
		m, err := s.model(ctx, n)
		if err != nil {
			return err
		}
		m.mu.Lock()
		err = s.replay(ctx, n, m)
		m.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// Snapshot stores a model's state so that a start replays few events.
func (s *Store) Snapshot(ctx context.Context, name string) error {
	m, err := s.model(ctx, name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return s.snapshot(ctx, name, m)
}

func (s *Store) snapshot(ctx context.Context, name string, m *stored) error {
	data, err := m.f.MarshalBinary()
	if err != nil {
		return err
	}
	// Only move forward: another process may have stored a newer state.
	_, err = s.db.ExecContext(ctx, `INSERT INTO spam_models (name, data, last_event, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO UPDATE SET data = excluded.data, last_event = excluded.last_event, updated_at = excluded.updated_at
		WHERE spam_models.last_event < excluded.last_event`, name, data, m.applied, sqldb.Now())
	if err == nil {
		m.since = 0
	}
	return err
}

// Forget deletes the learning events that hold an e-mail address, for
// erasure requests. What the model learned from them stays only as
// aggregate weights of hashed features, which identify nobody.
func (s *Store) Forget(ctx context.Context, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	res, err := s.db.ExecContext(ctx, "DELETE FROM spam_events WHERE email = $1", email)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Events counts a model's learning events by kind.
func (s *Store) Events(ctx context.Context, name string) (spam, ham int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(CASE WHEN kind = 'spam' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN kind = 'ham' THEN 1 ELSE 0 END), 0) FROM spam_events WHERE model = $1`, name).Scan(&spam, &ham)
	return spam, ham, err
}

// Check scores a sample with the named model.
func (s *Store) Check(ctx context.Context, name string, sm Sample, h History) (Result, error) {
	f, err := s.Filter(ctx, name)
	if err != nil {
		return Result{}, err
	}
	return f.Check(sm, h), nil
}

// Prune deletes learning events older than before whose effect a stored
// snapshot already holds: they hold copies of comments, and the model no
// longer needs them to be rebuilt.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM spam_events WHERE created_at < $1
		AND id <= (SELECT coalesce(min(last_event), 0) FROM spam_models WHERE spam_models.name = spam_events.model)`, sqldb.T(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
