package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", withConnectTimeout(dsn))
	if err != nil {
		return nil, fmt.Errorf("sqldb: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect to PostgreSQL: %w", err)
	}
	return (&DB{Dialect: postgresDialect{}, read: db, write: db, dsn: dsn}).init(), nil
}

// withConnectTimeout adds connect_timeout=5 to a postgres:// URL that sets
// none, so that while the server is unreachable (not just refusing) requests
// fail within seconds with 503 instead of hanging on the TCP handshake.
func withConnectTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // pgx reports it
	}
	q := u.Query()
	if q.Has("connect_timeout") {
		return dsn
	}
	q.Set("connect_timeout", "5")
	u.RawQuery = q.Encode()
	return u.String()
}

type postgresDialect struct{}

func (postgresDialect) Name() string { return "postgres" }

func (postgresDialect) YearMonth(col string) string {
	return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
}

func (postgresDialect) PostSearch(n int) (join, cond, order string) {
	q := fmt.Sprintf("to_tsquery('simple', $%d)", n)
	return "", "p.search @@ " + q, "ts_rank(p.search, " + q + ") DESC"
}

func (postgresDialect) PostTitleMatch(n int) string {
	// The stored vector holds the title as weight A: no need to parse it again.
	return fmt.Sprintf("ts_filter(p.search, '{a}') @@ to_tsquery('simple', $%d)", n)
}

// SearchArg ANDs the words a reader typed, the last one as a prefix; only
// letters and digits reach to_tsquery, so its operators cannot be injected.
func (postgresDialect) SearchArg(q string) string {
	words := searchWords(q)
	if len(words) > 0 {
		words[len(words)-1] += ":*"
	}
	return strings.Join(words, " & ")
}

func (postgresDialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// IsConnectionError reports whether err means the server could not be
// reached or the connection was lost, rather than that the query was wrong:
// connection refused or timed out, the backend terminated (pg_terminate_backend,
// a shutdown or restart), the connection cut mid-query, too many clients.
func (postgresDialect) IsConnectionError(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection_exception
			return true
		case strings.HasPrefix(pe.Code, "57P"): // admin_shutdown, crash_shutdown, cannot_connect_now, idle timeout
			return true
		case pe.Code == "53300": // too_many_connections: over max_connections
			return true
		}
		return false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone)
}

// migrationLockKey is an arbitrary constant shared by every Marquee process,
// so that processes starting together migrate one after the other.
const migrationLockKey = 0x6d617271 // "marq"

func (postgresDialect) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}, nil
}

func (postgresDialect) checkpoint(context.Context, *sql.DB) error { return nil }

// codeMigrations: none; PostgreSQL's sequences already never reuse an id
// (SQLite's migration 13 makes its tables do the same).
func (postgresDialect) codeMigrations() []migration { return nil }
