package sqldb

import (
	"context"
	"database/sql"
)

// Dialect holds what differs between SQLite and PostgreSQL. Queries never
// branch on the driver; they ask the Dialect for the fragment instead.
type Dialect interface {
	Name() string // "sqlite" or "postgres"
	// YearMonth is an SQL expression giving "YYYY-MM" of a UTC timestamp column.
	YearMonth(col string) string
	// PostSearch returns the join, condition (may be empty) and
	// rank-ordering expression matching posts aliased p against the search
	// text bound to $n.
	PostSearch(n int) (join, cond, order string)
	// SearchArg converts what a reader typed into the bound search argument.
	SearchArg(q string) string
	// PostTitleMatch is a condition on posts p: the search argument $n
	// matches the title alone (a protected post is found by its title only,
	// or its body would leak through what matches).
	PostTitleMatch(n int) string
	IsUniqueViolation(err error) bool
	IsConnectionError(err error) bool
	lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// codeMigrations are the migrations SQL files cannot express.
	codeMigrations() []migration
	checkpoint(ctx context.Context, w *sql.DB) error
	// tryLock takes the advisory lock called name without waiting (ok is
	// false when another session holds it); unlock releases it. See Exclusive.
	tryLock(ctx context.Context, w *sql.DB, name string) (unlock func(), ok bool, err error)
}
