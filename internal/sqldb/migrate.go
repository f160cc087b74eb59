package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
	// run, when set instead of sql, is a migration written in Go; noFK
	// turns SQLite's foreign keys off around it, for rebuilding a table
	// that others refer to (run checks them before returning).
	run  func(ctx context.Context, tx *sql.Tx) error
	noFK bool
}

func loadMigrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", d.Name())
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("sqldb: migration %s: name must start with a number and _", name)
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	ms = append(ms, d.codeMigrations()...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version { // one of them would be skipped as applied
			return nil, fmt.Errorf("sqldb: migrations %s and %s share the number %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies the dialect's pending migrations, each in its own
// transaction, under a lock so that concurrent starts migrate once.
func (db *DB) migrate(ctx context.Context, log *slog.Logger) error {
	return db.migrateTo(ctx, log, -1)
}

// migrateTo applies the pending migrations up to version last (-1: all).
func (db *DB) migrateTo(ctx context.Context, log *slog.Logger, last int) error {
	ms, err := loadMigrations(db.Dialect)
	if err != nil {
		return err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	unlock, err := db.Dialect.lockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("sqldb: lock for migrations: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("sqldb: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if last >= 0 && m.version > last {
			break
		}
		if err := db.apply(ctx, conn, m, log); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, conn *sql.Conn, m migration, log *slog.Logger) (err error) {
	if m.noFK {
		// Re-checked inside the transaction below; this spares every start
		// turning foreign keys off and on for a migration long applied.
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.version).Scan(&n); err != nil || n > 0 {
			return err
		}
		// A no-op inside a transaction: it must come before.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, ferr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); ferr != nil && err == nil {
				err = ferr
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if m.run != nil {
		err = m.run(ctx, tx)
	} else {
		_, err = tx.ExecContext(ctx, m.sql)
	}
	if err != nil {
		return fmt.Errorf("sqldb: migration %s/%s: %w", db.Dialect.Name(), m.name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.version, m.name, Now()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if log != nil {
		log.Info("applied migration", "dialect", db.Dialect.Name(), "migration", m.name)
	}
	return nil
}

// Version reports the highest applied migration.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

// Migrations lists the names of the embedded migrations of the DB's dialect.
func (db *DB) Migrations() ([]string, error) {
	ms, err := loadMigrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	return names, nil
}
