package sqldb

import (
	"context"
	"database/sql"
	"fmt"
)

// Exclusive runs fn unless another process of the site is running the job
// called name at this moment, and reports whether fn ran. It is for the
// periodic background work (publishing scheduled posts, retention, purges)
// that several processes sharing one database should not do side by side.
//
// On PostgreSQL it holds a transaction-level advisory lock, keyed by name
// and the current schema, for as long as fn runs; the lock is not waited
// for: a process that finds it taken skips this round. It dies with the
// session, so a process killed while holding it blocks no one. On SQLite
// (one process, one writer) fn just runs.
//
// Exclusive keeps jobs from overlapping; it does not stop the next process
// from running the same job a moment later, so jobs must still be idempotent.
func (db *DB) Exclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (ran bool, err error) {
	unlock, ok, err := db.Dialect.tryLock(ctx, db.write, name)
	if err != nil {
		return false, db.wrap(fmt.Errorf("sqldb: lock %s: %w", name, err))
	}
	if !ok {
		return false, nil
	}
	defer unlock()
	return true, fn(ctx)
}

// jobLockClass is the first half of the two-key advisory locks taken by
// Exclusive (the migration lock uses the one-key space, so they never meet).
const jobLockClass = 0x6d617271 // "marq"

func (postgresDialect) tryLock(ctx context.Context, w *sql.DB, name string) (func(), bool, error) {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	var ok bool
	// current_schema() keeps sites in different schemas of one database apart.
	err = tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema() || '/' || $2::text))",
		jobLockClass, name).Scan(&ok)
	if err != nil || !ok {
		tx.Rollback()
		return nil, false, err
	}
	// Rolling back ends the transaction and with it the lock; a connection
	// that fails to roll back is discarded by the driver, lock and all.
	return func() { tx.Rollback() }, true, nil
}

// tryLock on SQLite always succeeds: one process writes the file.
func (sqliteDialect) tryLock(context.Context, *sql.DB, string) (func(), bool, error) {
	return func() {}, true, nil
}
