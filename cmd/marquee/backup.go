package main

import (
	"errors"
	"fmt"

	"marquee/internal/sqldb"
)

// cmdBackup writes a consistent copy of a SQLite site while it serves.
func cmdBackup(e *env, args []string) error {
	fs := newFlags(e, "backup", " FILE\n\nWrites a consistent copy of the SQLite database to FILE, even while the site serves.\nOn PostgreSQL use pg_dump.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("give the backup file to write: marquee backup FILE")
	}
	if sqldb.IsPostgres(*db) {
		return sqldb.ErrUsePgDump
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.Backup(e.ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s.\n", *db, fs.Arg(0))
	return nil
}

// cmdRestore replaces a SQLite site's database with a backup.
func cmdRestore(e *env, args []string) error {
	fs := newFlags(e, "restore", " FILE\n\nReplaces the SQLite database with the backup in FILE, after checking it.\nStop the server first. On PostgreSQL use pg_restore.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("give the backup file to restore: marquee restore FILE")
	}
	if err := sqldb.Restore(e.ctx, fs.Arg(0), *db); err != nil {
		if errors.Is(err, sqldb.ErrUsePgDump) {
			return err
		}
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(e.stdout, "Restored %s from %s. Start the server again.\n", *db, fs.Arg(0))
	return nil
}
