package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// Stable ids. Without AUTOINCREMENT, SQLite gives a new row the largest id
// in its table plus one, so deleting the newest row hands its id to the
// next: emptying the spam folder would give a deleted comment's id (in an
// old moderation e-mail, a permalink, an API client's records) to the next
// comment, and purging the change feed or the spam filter's event log
// would make processes that follow them by id skip new entries.
// PostgreSQL's sequences never reuse an id; this migration makes SQLite's
// tables do the same, rebuilding each with AUTOINCREMENT.
func (sqliteDialect) codeMigrations() []migration {
	return []migration{{version: 13, name: "0013_stable_ids (sqlite_ids.go)", run: autoincrementIDs, noFK: true}}
}

var rowidKey = regexp.MustCompile(`(?i)\bid\s+INTEGER\s+PRIMARY\s+KEY\b`)

// autoincrementIDs rebuilds every table keyed by "id INTEGER PRIMARY KEY"
// with AUTOINCREMENT, keeping its rows, ids, indexes and triggers. Foreign
// keys are off meanwhile (dropping a table others refer to would cascade)
// and checked before the transaction commits.
func autoincrementIDs(ctx context.Context, tx *sql.Tx) error {
	tables, err := idTables(ctx, tx)
	if err != nil {
		return err
	}
	// Renaming must not rewrite or re-check other tables' references.
	if _, err := tx.ExecContext(ctx, "PRAGMA legacy_alter_table = ON"); err != nil {
		return err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA legacy_alter_table = OFF")
	for _, t := range tables {
		if err := autoincrementTable(ctx, tx, t); err != nil {
			return fmt.Errorf("table %s: %w", t, err)
		}
	}
	broken, err := queryStrings(ctx, tx, "SELECT \"table\" || ' row ' || rowid || ' refers to a missing ' || parent FROM pragma_foreign_key_check")
	if err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("foreign keys broken by the rebuild: %s", strings.Join(broken, "; "))
	}
	return nil
}

// idTables lists the ordinary tables (not FTS5's shadow tables, whose rows
// must never be copied) keyed by "id INTEGER PRIMARY KEY".
func idTables(ctx context.Context, tx *sql.Tx) ([]string, error) {
	names, err := queryStrings(ctx, tx, `SELECT l.name || char(0) || m.sql FROM pragma_table_list l JOIN sqlite_master m ON m.name = l.name
		WHERE l.schema = 'main' AND l.type = 'table' AND l.name NOT LIKE 'sqlite%' ORDER BY l.name`)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		name, ddl, _ := strings.Cut(n, "\x00")
		if rowidKey.MatchString(ddl) {
			out = append(out, name)
		}
	}
	return out, nil
}

func autoincrementTable(ctx context.Context, tx *sql.Tx, t string) error {
	var ddl string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", t).Scan(&ddl); err != nil {
		return err
	}
	if strings.Contains(strings.ToUpper(ddl), "AUTOINCREMENT") {
		return nil // done already
	}
	head := "CREATE TABLE " + t
	loc := rowidKey.FindStringIndex(ddl)
	if loc == nil || !strings.HasPrefix(ddl, head) {
		return fmt.Errorf("unexpected definition, not rebuilt: %.80s", ddl)
	}
	// Indexes and triggers go with the old table: keep their definitions.
	// (Those of UNIQUE constraints have no SQL and come back by themselves.)
	extras, err := queryStrings(ctx, tx, "SELECT sql FROM sqlite_master WHERE tbl_name = $1 AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type = 'trigger', name", t)
	if err != nil {
		return err
	}
	tmp := t + "_rebuild"
	stmts := []string{
		"CREATE TABLE " + tmp + ddl[len(head):loc[1]] + " AUTOINCREMENT" + ddl[loc[1]:],
		"INSERT INTO " + tmp + " SELECT * FROM " + t,
		"DROP TABLE " + t,
		"ALTER TABLE " + tmp + " RENAME TO " + t,
	}
	for _, s := range append(stmts, extras...) {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", strings.SplitN(s, "\n", 2)[0], err)
		}
	}
	return nil
}

func queryStrings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
