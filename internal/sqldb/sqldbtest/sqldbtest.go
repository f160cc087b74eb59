// Package sqldbtest opens real databases for tests: a fresh SQLite file
// always, and a fresh PostgreSQL schema when MARQUEE_TEST_POSTGRES holds a
// URL. Each runs the same test body.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"marquee/internal/sqldb"
)

// EnvPostgres names the variable holding the test PostgreSQL URL.
const EnvPostgres = "MARQUEE_TEST_POSTGRES"

// DSNs returns the data source names to run store tests against, keyed by
// dialect name: a new SQLite file, and a new PostgreSQL schema if configured.
func DSNs(t testing.TB) map[string]string {
	t.Helper()
	m := map[string]string{"sqlite": filepath.Join(t.TempDir(), "test.db")}
	if base := os.Getenv(EnvPostgres); base != "" {
		m["postgres"] = PostgresSchema(t, base)
	}
	return m
}

// Each runs fn once per available dialect, as subtests, on a migrated DB.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for name, dsn := range DSNs(t) {
		t.Run(name, func(t *testing.T) {
			fn(t, Open(t, dsn))
		})
	}
}

// Open opens and migrates dsn, closing it when t ends.
func Open(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresSchema creates an empty schema on the server at base and returns
// a URL whose search_path points at it; the schema is dropped after t.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
