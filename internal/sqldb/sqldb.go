// Package sqldb opens the database and fences every difference between
// SQLite and PostgreSQL: connection set-up, migrations, full-text search and
// the few SQL fragments that are spelled differently. Domain packages write
// portable SQL with $N placeholders and ask the Dialect for the rest.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"marquee/internal/errs"
)

// DB is a handle for both dialects. On SQLite reads go through a pool of
// read-only connections and writes through a single writer connection whose
// transactions start IMMEDIATE, so writers queue instead of failing with
// SQLITE_BUSY. On PostgreSQL both are the same pool.
type DB struct {
	Dialect  Dialect
	read     *sql.DB
	write    *sql.DB
	dsn      string
	batch    *batcher // group commit for SQLite; nil on PostgreSQL
	rstmts   *stmtCache
	wstmts   *stmtCache
	observer atomic.Pointer[func(query string, args []any)] // SetObserver
}

// init prepares the statement caches of a new DB.
func (db *DB) init() *DB {
	db.rstmts, db.wstmts = newStmtCache(db.read), newStmtCache(db.write)
	return db
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn (a SQLite file path or a postgres:// URL) and applies
// the embedded migrations.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if IsPostgres(dsn) {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close releases every connection, after the writes already queued.
func (db *DB) Close() error {
	if db.batch != nil {
		db.batch.close()
	}
	db.rstmts.close()
	db.wstmts.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// QueryContext runs a read query.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db.observe(query, args)
	if st := db.rstmts.get(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, db.wrap(err)
	}
	rows, err := db.read.QueryContext(ctx, query, args...)
	return rows, db.wrap(err)
}

// QueryRowContext runs a read query expected to return at most one row.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *Row {
	db.observe(query, args)
	if st := db.rstmts.get(ctx, query); st != nil {
		return &Row{st.QueryRowContext(ctx, args...), db}
	}
	return &Row{db.read.QueryRowContext(ctx, query, args...), db}
}

// Row is a *sql.Row whose connection failures are errs.Unavailable.
type Row struct {
	row *sql.Row
	db  *DB
}

// Scan is sql.Row.Scan; sql.ErrNoRows comes back as it is.
func (r *Row) Scan(dest ...any) error { return r.db.wrap(r.row.Scan(dest...)) }

// Err is sql.Row.Err.
func (r *Row) Err() error { return r.db.wrap(r.row.Err()) }

// ExecContext runs a single write statement outside a transaction.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	db.observe(query, args)
	if st := db.wstmts.get(ctx, query); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, db.wrap(err)
	}
	res, err := db.write.ExecContext(ctx, query, args...)
	return res, db.wrap(err)
}

// WriteQueryRow runs a write statement that returns a row (INSERT … RETURNING).
func (db *DB) WriteQueryRow(ctx context.Context, query string, args ...any) *Row {
	db.observe(query, args)
	return &Row{db.write.QueryRowContext(ctx, query, args...), db}
}

// TxQueryRow runs a query returning a row inside tx (a Tx or Batch
// function), from the writer's statement cache: parsing the INSERT of a
// comment at every call was a tenth of a comment post's CPU time.
func (db *DB) TxQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *Row {
	db.observe(query, args)
	if st := db.wstmts.peek(query); st != nil {
		return &Row{tx.StmtContext(ctx, st).QueryRowContext(ctx, args...), db}
	}
	return &Row{tx.QueryRowContext(ctx, query, args...), db}
}

// TxExec runs a statement inside tx from the writer's statement cache.
func (db *DB) TxExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	db.observe(query, args)
	if st := db.wstmts.peek(query); st != nil {
		res, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		return res, db.wrap(err)
	}
	res, err := tx.ExecContext(ctx, query, args...)
	return res, db.wrap(err)
}

// SetObserver makes fn see every query run through DB's methods, with its
// arguments (nil: none): the query-plan test explains what the hot paths
// send.
func (db *DB) SetObserver(fn func(query string, args []any)) {
	if fn == nil {
		db.observer.Store(nil)
		return
	}
	db.observer.Store(&fn)
}

func (db *DB) observe(query string, args []any) {
	if fn := db.observer.Load(); fn != nil {
		(*fn)(query, args)
	}
}

// Tx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise, so nothing is half-written on an error.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.wrap(err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return db.wrap(err)
	}
	return db.wrap(tx.Commit())
}

// wrap turns connection failures into errs.Unavailable, so that requests
// fail fast with 503 while the database is unreachable.
func (db *DB) wrap(err error) error {
	if err == nil || errs.KindOf(err) != errs.Internal {
		return err
	}
	if db.Dialect.IsConnectionError(err) {
		return errs.Wrap(errs.Unavailable, err, "The database is unavailable; please try again in a moment")
	}
	return err
}

// Err classifies a store error: connection failures become Unavailable and
// unique violations become Conflict with the given message.
func (db *DB) Err(err error, conflictMsg string) error {
	if err == nil {
		return nil
	}
	if db.Dialect.IsUniqueViolation(err) {
		return errs.Wrap(errs.Conflict, err, "%s", conflictMsg)
	}
	return db.wrap(err)
}

// Now is the database-independent notion of "now" stored in rows: UTC and
// whole seconds, so that SQLite's text timestamps compare in order.
func Now() time.Time { return time.Now().UTC().Truncate(time.Second) }

// T normalises a time for storage the same way as Now.
func T(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// Placeholders returns "$start, $start+1, …" n times, for IN lists.
func Placeholders(start, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", start+i)
	}
	return b.String()
}

// Checkpoint copies the write-ahead log into the database file and empties
// it (SQLite), so that rows overwritten under secure_delete leave no older
// copy behind. A no-op on PostgreSQL: CHECKPOINT needs a superuser, and
// (auto)VACUUM reclaims dead tuples.
func (db *DB) Checkpoint(ctx context.Context) error {
	return db.wrap(db.Dialect.checkpoint(ctx, db.write))
}
