package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqlitePragmas are applied to every connection. synchronous=FULL makes a
// committed transaction survive power loss and kill -9 alike; busy_timeout
// lets readers wait out a checkpoint instead of failing.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"busy_timeout(10000)",
	"foreign_keys(1)",
	"secure_delete(1)",
	"temp_store(MEMORY)",
	"cache_size(-4000)", // 4 MB a connection: memory stays bounded under load
}

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "datetime")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqldb: empty database path")
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	// Readers: a few per core is enough (queries are short), and each
	// connection has its own page cache.
	r.SetMaxOpenConns(6)
	r.SetMaxIdleConns(6)
	r.SetConnMaxIdleTime(0)
	db := (&DB{Dialect: sqliteDialect{}, read: r, write: w, dsn: path}).init()
	db.batch = newBatcher(db)
	return db, nil
}

type sqliteDialect struct{}

func (sqliteDialect) Name() string { return "sqlite" }

func (sqliteDialect) YearMonth(col string) string { return "strftime('%Y-%m', " + col + ")" }

// PostSearch drives the search from the full-text index: the best 1,000
// matches, materialised, then their posts. Joined plainly, the planner
// walks the visible posts by date and probes the index for each — 6 s
// instead of 17 ms at 10,000 posts.
func (sqliteDialect) PostSearch(n int) (join, cond, order string) {
	return fmt.Sprintf("JOIN (SELECT rowid AS id, rank FROM posts_fts WHERE posts_fts MATCH $%d ORDER BY rank LIMIT 1000) f ON f.id = p.id", n),
		"", "f.rank"
}

func (sqliteDialect) PostTitleMatch(n int) string {
	return fmt.Sprintf("p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH '{title} : (' || $%d || ')')", n)
}

// SearchArg quotes every word so that FTS5 operators typed by a reader
// (AND, NEAR, column filters, stray quotes) are searched for, not run; the
// last word matches as a prefix.
func (sqliteDialect) SearchArg(q string) string {
	words := searchWords(q)
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) > 0 {
		words[len(words)-1] += "*"
	}
	return strings.Join(words, " ")
}

// searchWords splits what a reader typed into words of letters and digits,
// at most 16 of them.
func searchWords(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > 16 {
		words = words[:16]
	}
	return words
}

func (sqliteDialect) IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (sqliteDialect) IsConnectionError(err error) bool { return false }

// lockMigrations needs nothing on SQLite: each migration runs in an
// IMMEDIATE transaction on the single writer, and versions are re-checked
// inside it.
func (sqliteDialect) lockMigrations(context.Context, *sql.Conn) (func(), error) {
	return func() {}, nil
}

func (sqliteDialect) checkpoint(ctx context.Context, w *sql.DB) error {
	var busy, frames, copied int
	if err := w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if busy != 0 {
		return fmt.Errorf("sqldb: checkpoint could not finish: %d of %d log frames copied", copied, frames)
	}
	return nil
}
