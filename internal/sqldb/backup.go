package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrUsePgDump is returned by Backup and Restore on PostgreSQL, where the
// server's own tools do it better (consistent, streaming, point in time).
var ErrUsePgDump = errors.New("on PostgreSQL use pg_dump and pg_restore (or continuous archiving): see the deployment guide")

// Backup writes a consistent copy of the database to path while the site
// keeps serving: SQLite's VACUUM INTO reads one snapshot and writes a
// compact, self-contained file. path must not exist.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect.Name() != "sqlite" {
		return ErrUsePgDump
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already: choose a new file name", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// Its own connection: the read pool is query-only, and the writer must
	// stay free for the site while the copy is made.
	conn, err := sql.Open("sqlite", sqliteDSN(db.dsn, false))
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO $1", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// Restore replaces the SQLite database at dsn with the backup at path,
// after checking that the backup is a sound Marquee database. The server
// must be stopped: a running one would keep writing to the old file.
func Restore(ctx context.Context, path, dsn string) error {
	if IsPostgres(dsn) {
		return ErrUsePgDump
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	// Check the backup on a scratch copy, so that not even opening it
	// changes it.
	tmp := dsn + ".restore-tmp"
	os.Remove(tmp)
	if err := copyFile(path, tmp); err != nil {
		return err
	}
	b, err := openSQLite(ctx, tmp)
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	var ok string
	var migrations int
	err = b.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok)
	if err == nil {
		err = b.read.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&migrations)
	}
	b.Close()
	if err != nil || ok != "ok" || migrations == 0 {
		os.Remove(tmp)
		if err == nil {
			err = fmt.Errorf("integrity check: %s", ok)
		}
		return fmt.Errorf("%s is not a sound Marquee backup: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := os.Rename(tmp, dsn); err != nil {
		return err
	}
	// The old database's write-ahead log belongs to the old file.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dsn + suffix)
	}
	return syncDir(filepath.Dir(dsn))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir makes a rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
