// Package change is the site's feed of changes: each process publishes what
// it changed (as page-cache tags) and follows what the others changed, so
// that caches stay correct across processes without a broker — PostgreSQL
// (or the SQLite file) is the only shared state.
package change

import (
	"context"
	"strings"
	"time"

	"marquee/internal/sqldb"
)

// Feed is the changes table.
type Feed struct {
	db   *sqldb.DB
	last int64          // highest id seen by Follow
	seen map[int64]bool // ids seen within window of last
}

// window covers ids allocated before others but committed after them
// (concurrent writers on PostgreSQL): Follow looks this far back.
const window = 64

// New returns a Feed on db.
func New(db *sqldb.DB) *Feed { return &Feed{db: db, seen: map[int64]bool{}} }

// Publish records a change.
func (f *Feed) Publish(ctx context.Context, tags ...string) error {
	if len(tags) == 0 {
		return nil
	}
	_, err := f.db.ExecContext(ctx, "INSERT INTO changes (tags, created_at) VALUES ($1, $2)", strings.Join(tags, " "), sqldb.Now())
	return err
}

// Start positions the feed at its current end: a process starting with
// empty caches needs no earlier change.
func (f *Feed) Start(ctx context.Context) error {
	if err := f.db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM changes").Scan(&f.last); err != nil {
		return err
	}
	// Everything up to here counts as seen.
	f.seen = map[int64]bool{}
	rows, err := f.db.QueryContext(ctx, "SELECT id FROM changes WHERE id > $1", f.last-window)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		f.seen[id] = true
	}
	return rows.Err()
}

// Follow calls apply with the tags of every change recorded since the last
// call (by any process, this one included: applying twice is harmless).
// Ids allocated before but committed after the last one seen are caught by
// looking a little way back.
func (f *Feed) Follow(ctx context.Context, apply func(tags []string)) error {
	rows, err := f.db.QueryContext(ctx, "SELECT id, tags FROM changes WHERE id > $1 ORDER BY id", f.last-window)
	if err != nil {
		return err
	}
	defer rows.Close()
	var all []string
	last := f.last
	for rows.Next() {
		var id int64
		var tags string
		if err := rows.Scan(&id, &tags); err != nil {
			return err
		}
		if f.seen[id] {
			continue // applied already (or there before Start)
		}
		f.seen[id] = true
		all = append(all, strings.Fields(tags)...)
		last = max(last, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	f.last = last
	for id := range f.seen {
		if id <= f.last-window {
			delete(f.seen, id)
		}
	}
	if len(all) > 0 {
		apply(all)
	}
	return nil
}

// Prune deletes changes older than keep.
func (f *Feed) Prune(ctx context.Context, keep time.Duration) error {
	_, err := f.db.ExecContext(ctx, "DELETE FROM changes WHERE created_at < $1", sqldb.T(time.Now().Add(-keep)))
	return err
}
