package privacy

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// Alice is the commenter whose data the tests export and erase; Bob is
// someone else whose data must stay.
const (
	aliceEmail  = "alice@example.org"
	aliceName   = "Alice Liddell"
	aliceURL    = "https://alice-home.example/about"
	aliceIP     = "203.0.113.77"
	aliceUA     = "AliceBrowser/9.1 (Wonderland)"
	aliceRef    = "https://rabbit-hole.example/down"
	bobEmail    = "bob@example.net"
	bobIP       = "198.51.100.9"
	neutralText = "A fine post, thank you."
)

// alicePersonal are the strings that must not survive an erasure.
var alicePersonal = []string{aliceEmail, aliceName, aliceURL, aliceIP, aliceUA, aliceRef, "alice-home.example"}

type fixture struct {
	t        *testing.T
	ctx      context.Context
	db       *sqldb.DB
	comments *comment.Store
	spam     *spam.Store
	svc      *Service
}

func newFixture(t *testing.T, db *sqldb.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: db, comments: comment.NewStore(db, markup.New(markup.Options{})), spam: spam.NewStore(db)}
	f.svc = New(db, f.comments, f.spam)
	return f
}

// each runs fn on every test database, with the SQLite file's path ("" on
// PostgreSQL) for raw scans.
func each(t *testing.T, fn func(t *testing.T, f *fixture, sqlitePath string)) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			path := ""
			if name == "sqlite" {
				path = dsn
			}
			fn(t, newFixture(t, sqldbtest.Open(t, dsn)), path)
		})
	}
}

func (f *fixture) post(title, slug string) int64 {
	f.t.Helper()
	var id int64
	now := sqldb.Now()
	if err := f.db.WriteQueryRow(f.ctx, `INSERT INTO posts (type, title, slug, status, published_at, created_at, updated_at)
		VALUES ('post', $1, $2, 'published', $3, $3, $3) RETURNING id`, title, slug, now).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// comment stores c as the comment form would; a status other than pending
// counts as decided at c.CreatedAt.
func (f *fixture) comment(c comment.Comment) *comment.Comment {
	f.t.Helper()
	if c.Content == "" {
		c.Content = neutralText
	}
	if c.Status == "" {
		c.Status = comment.Approved
	}
	if err := f.comments.Create(f.ctx, &c, 5); err != nil {
		f.t.Fatal(err)
	}
	return &c
}

func alice(postID int64, at time.Time) comment.Comment {
	return comment.Comment{PostID: postID, Author: aliceName, Email: aliceEmail, URL: aliceURL, IP: aliceIP, UserAgent: aliceUA,
		Referrer: aliceRef, Notify: true, CreatedAt: at, SpamReasons: "author URL alice-home.example (+0.50)", HasScore: true, SpamScore: 0.1}
}

func bob(postID int64, at time.Time) comment.Comment {
	return comment.Comment{PostID: postID, Author: "Bob", Email: bobEmail, URL: "https://bob.example", IP: bobIP, UserAgent: "BobAgent/1",
		Referrer: "https://bob.example/from", Notify: true, CreatedAt: at}
}

// byID reads one comment, failing the test if it is gone.
func (f *fixture) byID(id int64) *comment.Comment {
	f.t.Helper()
	c, err := f.comments.ByID(f.ctx, id)
	if err != nil {
		f.t.Fatalf("comment %d: %v", id, err)
	}
	return c
}

func (f *fixture) gone(id int64) bool {
	f.t.Helper()
	_, err := f.comments.ByID(f.ctx, id)
	return err != nil
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.db.ExecContext(f.ctx, query, args...); err != nil {
		f.t.Fatal(err)
	}
}

// scanFiles reads the SQLite database files as bytes and reports which of
// needles (case-insensitive) they hold.
func scanFiles(t *testing.T, path string, needles []string) []string {
	t.Helper()
	var found []string
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		low := bytes.ToLower(b)
		for _, n := range needles {
			if bytes.Contains(low, []byte(strings.ToLower(n))) {
				found = append(found, fmt.Sprintf("%q in %s%s", n, "db", suffix))
			}
		}
	}
	return found
}

// scanTables reads every text column of every table of the current schema
// (PostgreSQL) and reports which of needles (case-insensitive) they hold.
func scanTables(t *testing.T, f *fixture, needles []string) []string {
	t.Helper()
	rows, err := f.db.QueryContext(f.ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character')`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 20 {
		t.Fatalf("only %d text columns found: %v", len(cols), cols)
	}
	var found []string
	for _, c := range cols {
		for _, n := range needles {
			var k int
			q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE strpos(lower(%q), $1) > 0`, c.table, c.column)
			if err := f.db.QueryRowContext(f.ctx, q, strings.ToLower(n)).Scan(&k); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if k > 0 {
				found = append(found, fmt.Sprintf("%q in %s.%s", n, c.table, c.column))
			}
		}
	}
	return found
}
