package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
)

// bigTables grow with the site: a hot path must reach their rows through
// an index, never by reading the whole table.
var bigTables = []string{"posts", "comments", "post_tags"}

// wholeSite are the queries of pages that list the whole site by
// definition (the sitemap; the archive's count of posts per topic): they
// read every row however they are planned, and the page cache keeps them
// off the hot path.
var wholeSite = []string{
	"SELECT type, slug, updated_at FROM posts WHERE visible_at <= $1 ORDER BY visible_at DESC LIMIT 50000",
	"SELECT t.id, t.name, t.slug, count(*) FROM tags t JOIN post_tags pt ON pt.tag_id = t.id JOIN posts p ON p.id = pt.post_id",
}

// TestHotPathQueryPlans runs the readers' and commenters' requests (every
// public page kind, uncached, and a comment post), records every query
// they send, and asks each database how it would run them: no query may
// read a whole posts, comments or post_tags table. On PostgreSQL
// sequential scans are priced out (enable_seqscan = off), so one that
// remains means no index can serve the query.
func TestHotPathQueryPlans(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if dsn == "" {
				dsn = t.TempDir() + "/site.db"
			}
			a, srv := newApp(t, app.Config{DB: dsn})
			p, firstComment := seedHotPaths(t, a)
			type call struct {
				query string
				args  []any
			}
			var mu sync.Mutex
			seen := map[string]call{}
			a.DB.SetObserver(func(q string, args []any) {
				mu.Lock()
				defer mu.Unlock()
				if _, ok := seen[q]; !ok {
					seen[q] = call{q, slices.Clone(args)}
				}
			})
			driveHotPaths(t, srv.URL, p, firstComment)
			a.DB.SetObserver(nil)

			explain := explainer(t, name, dsn)
			// The checker itself must see a full scan when there is one.
			probe := "SELECT id FROM comments c WHERE c.content = $1"
			if plan, err := explain(ctx, probe, []any{"x"}); err != nil || len(fullScans(name, probe, plan)) == 0 {
				t.Fatalf("the plan check misses a full scan (%v):\n%s", err, plan)
			}
			queries := make([]string, 0, len(seen))
			for q := range seen {
				queries = append(queries, q)
			}
			slices.Sort(queries)
			checked := 0
			for _, q := range queries {
				verb := strings.ToUpper(strings.Fields(q)[0])
				if verb != "SELECT" && verb != "WITH" && verb != "UPDATE" && verb != "DELETE" {
					continue // INSERT … VALUES reads nothing
				}
				if slices.ContainsFunc(wholeSite, func(w string) bool { return strings.HasPrefix(oneLine(q), w) }) {
					continue
				}
				plan, err := explain(ctx, q, seen[q].args)
				if err != nil {
					t.Errorf("explain %s: %v", oneLine(q), err)
					continue
				}
				checked++
				if full := fullScans(name, q, plan); len(full) > 0 {
					t.Errorf("reads all of %v:\n  %s\nplan:\n%s", full, oneLine(q), plan)
				}
			}
			if checked < 15 {
				t.Fatalf("only %d queries explained: the hot paths were not driven", checked)
			}
			t.Logf("%d queries explained", checked)
		})
	}
}

// seedHotPaths writes enough of a site that every page kind has content,
// and returns the newest post and the first of its comments.
func seedHotPaths(t *testing.T, a *app.App) (*post.Post, int64) {
	ctx := context.Background()
	var newest *post.Post
	for i := range 12 {
		p := &post.Post{Title: fmt.Sprint("Night walk ", i), Body: "The light falls on the water and the piano plays.",
			Status: post.Published, CommentsOpen: true, Tags: []post.Tag{{Name: "Film"}},
			PublishedAt: time.Now().Add(-time.Duration(i+1) * time.Hour)}
		if err := a.Posts.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		if newest == nil {
			newest = p
		}
	}
	var parent, first int64
	for i := range 8 {
		c := &comment.Comment{PostID: newest.ID, ParentID: parent, Author: fmt.Sprint("Reader ", i),
			Email: fmt.Sprintf("r%d@example.org", i), Content: "A reply about the piano.", Status: comment.Approved}
		if err := a.Comments.Create(ctx, c, 5); err != nil {
			t.Fatal(err)
		}
		parent = c.ID
		if first == 0 {
			first = c.ID
		}
	}
	return newest, first
}

// driveHotPaths requests every public page kind once (each a cache miss)
// and posts a reply through the form.
func driveHotPaths(t *testing.T, base string, p *post.Post, firstComment int64) {
	postURL := base + post.Path(p.Slug)
	month := p.PublishedAt.UTC().Format("/2006/01/")
	for _, path := range []string{"/", "/page/2/", post.Path(p.Slug), post.Path(p.Slug) + "?replytocom=" + itoa(firstComment), "/feed/", "/feed/atom/",
		"/comments/feed/", post.CommentFeedPath(p.Slug), "/tag/film/", "/tag/film/feed/", month, "/archive/",
		"/search?q=piano", "/sitemap.xml", "/no-such-page/"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	_, page := fetch(t, &http.Client{}, postURL)
	token := between(page, `name="token" value="`, `"`)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	time.Sleep(10 * time.Millisecond)
	for i, parent := range []string{"0", itoa(firstComment)} {
		res, err := c.PostForm(base+"/comments", url.Values{"post_id": {itoa(p.ID)}, "comment_parent": {parent},
			"author": {fmt.Sprint("Ines ", i)}, "email": {fmt.Sprintf("ines%d@example.org", i)},
			"comment": {"Lovely piece about the score."}, "token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("comment post (parent %s): %d", parent, res.StatusCode)
		}
	}
}

// explainer returns a function giving a query's plan as text, from a
// connection of the test's own (on PostgreSQL with sequential scans off).
func explainer(t *testing.T, name, dsn string) func(ctx context.Context, q string, args []any) (string, error) {
	driver := "sqlite"
	if name == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	prefix := "EXPLAIN QUERY PLAN "
	if name == "postgres" {
		prefix = "EXPLAIN "
		if _, err := db.Exec("SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
	}
	return func(ctx context.Context, q string, args []any) (string, error) {
		rows, err := db.QueryContext(ctx, prefix+q, args...)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var b strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "    %v\n", vals[len(vals)-1]) // the detail / plan line
		}
		return b.String(), rows.Err()
	}
}

var (
	tableRef = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|UPDATE)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?`)
	notAlias = map[string]bool{"where": true, "on": true, "join": true, "left": true, "inner": true, "order": true,
		"group": true, "limit": true, "set": true, "using": true, "natural": true, "cross": true, "union": true}
	sqliteScan = regexp.MustCompile(`(?m)^\s*SCAN (\w+)\s*$`)
	// An index walk reads the whole table too, in index order: harmless
	// only when a LIMIT stops it.
	sqliteWalk = regexp.MustCompile(`(?m)^\s*SCAN (\w+) USING (?:COVERING )?INDEX`)
	hasLimit   = regexp.MustCompile(`(?i)\bLIMIT\b`)
	pgSeqScan  = regexp.MustCompile(`Seq Scan on (\w+)`)
)

// fullScans names the big tables that plan reads whole.
func fullScans(dialect, q, plan string) []string {
	alias := map[string]string{}
	for _, m := range tableRef.FindAllStringSubmatch(q, -1) {
		table := strings.ToLower(m[1])
		alias[table] = table
		if a := strings.ToLower(m[2]); a != "" && !notAlias[a] {
			alias[a] = table
		}
	}
	re := sqliteScan
	if dialect == "postgres" {
		re = pgSeqScan
	}
	matches := re.FindAllStringSubmatch(plan, -1)
	if dialect != "postgres" && !hasLimit.MatchString(q) {
		matches = append(matches, sqliteWalk.FindAllStringSubmatch(plan, -1)...)
	}
	var out []string
	for _, m := range matches {
		if table := alias[strings.ToLower(m[1])]; slices.Contains(bigTables, table) {
			out = append(out, table)
		}
	}
	return out
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }
