package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
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

type postgresDialect struct{}

func (postgresDialect) Name() string { return "postgres" }

func (postgresDialect) YearMonth(col string) string {
	return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
}

func (postgresDialect) PostSearch(n int) (join, cond, order string) {
	q := fmt.Sprintf("to_tsquery('simple', $%d)", n)
	return "", "p.search @@ " + q, "ts_rank(p.search, " + q + ") DESC"
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

func (postgresDialect) IsConnectionError(err error) bool {
	var ne net.Error
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return errors.As(err, &ne) || pgconn.SafeToRetry(err) || errors.Is(err, sql.ErrConnDone)
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
