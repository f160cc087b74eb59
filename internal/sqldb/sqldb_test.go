package sqldb_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"testing"

	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestMigrationsApplyOnceAndAreIdempotent(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			// Several processes starting at once: every Open succeeds and
			// the schema ends at the same version.
			var wg sync.WaitGroup
			errc := make(chan error, 3)
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db, err := sqldb.Open(ctx, dsn, nil)
					if err == nil {
						db.Close()
					}
					errc <- err
				}()
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				if err != nil {
					t.Fatalf("concurrent open: %v", err)
				}
			}
			db := sqldbtest.Open(t, dsn)
			v, err := db.Version(ctx)
			if err != nil || v < 1 {
				t.Fatalf("version = %d, %v", v, err)
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
				t.Fatal(err)
			}
			names, err := db.Migrations()
			if err != nil {
				t.Fatal(err)
			}
			if n != len(names) {
				t.Fatalf("%d migration rows for %d migrations: a migration ran twice or was skipped", n, len(names))
			}
		})
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2)", "a", "1"); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2)", "a", "2")
			return db.Err(err, "duplicate")
		})
		if err == nil {
			t.Fatal("duplicate key committed")
		}
		var n int
		db.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE key = 'a'").Scan(&n)
		if n != 0 {
			t.Fatalf("half-written transaction: %d rows", n)
		}
	})
}

// TestIDsAreNeverReused: deleting the newest comment or post does not hand
// its id to the next one (a permalink, an e-mail or an API client would
// then name another row).
func TestIDsAreNeverReused(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqldb.Open(ctx, dsn, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			now := sqldb.Now()
			insert := func(q string, args ...any) (id int64) {
				t.Helper()
				if err := db.WriteQueryRow(ctx, q, args...).Scan(&id); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return id
			}
			n := 0
			newPost := func() int64 {
				n++
				return insert(`INSERT INTO posts (type, title, slug, status, created_at, updated_at)
					VALUES ('post', 'T', $1, 'draft', $2, $2) RETURNING id`, "slug-"+strconv.Itoa(n), now)
			}
			p1 := newPost()
			newComment := func() int64 {
				return insert(`INSERT INTO comments (post_id, content, content_html, status, created_at, updated_at)
					VALUES ($1, 'x', 'x', 'spam', $2, $2) RETURNING id`, p1, now)
			}
			c1 := newComment()
			p2 := newPost()
			for _, q := range []string{"DELETE FROM comments WHERE id = $1", "DELETE FROM posts WHERE id = $1"} {
				id := c1
				if strings.Contains(q, "posts") {
					id = p2
				}
				if _, err := db.ExecContext(ctx, q, id); err != nil {
					t.Fatal(err)
				}
			}
			if c := newComment(); c <= c1 {
				t.Errorf("a new comment took id %d after comment %d was deleted", c, c1)
			}
			if p := newPost(); p <= p2 {
				t.Errorf("a new post took id %d after post %d was deleted", p, p2)
			}
		})
	}
}
