package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/fixture"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
)

// longBody is a ~1,000-word post: the review from ../shared when present,
// else generated text of the same shape.
func longBody(b *testing.B) string {
	if root, err := fixture.RepoRoot(); err == nil {
		if raw, err := os.ReadFile(root + "/../shared/fixtures/posts/la-la-land-review.txt"); err == nil {
			_, body, _ := strings.Cut(string(raw), "\n")
			return body
		}
	}
	var sb strings.Builder
	for p := range 9 {
		for w := range 110 {
			fmt.Fprintf(&sb, "word%d ", (p*110+w)%97)
		}
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// newSiteB is newSite for benchmarks (SQLite).
func newSiteB(b *testing.B) *testSite {
	b.Helper()
	return newSiteTB(b, sqldbtest.Open(b, sqldbtest.DSNs(b)["sqlite"]))
}

func serve(b *testing.B, ts *testSite, path string) {
	b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

// BenchmarkPostPage renders the review's post page (no comments).
func BenchmarkPostPage(b *testing.B) {
	ts := newSiteB(b)
	p := ts.createTB(b, &post.Post{Title: "La La Land", Body: longBody(b), CommentsOpen: true})
	serve(b, ts, "/"+p.Slug+"/")
}

// BenchmarkHomePage renders the home page with 10 posts.
func BenchmarkHomePage(b *testing.B) {
	ts := newSiteB(b)
	body := longBody(b)
	for i := range 12 {
		ts.createTB(b, &post.Post{Title: fmt.Sprint("Post ", i), Body: body, Tags: []post.Tag{{Name: "Film"}},
			PublishedAt: time.Now().Add(-time.Duration(i) * time.Hour)})
	}
	serve(b, ts, "/")
}

// BenchmarkPostWith100Comments renders a post with 100 approved, threaded comments.
func BenchmarkPostWith100Comments(b *testing.B) {
	ts := newSiteB(b)
	ctx := context.Background()
	p := ts.createTB(b, &post.Post{Title: "Busy post", Body: longBody(b), CommentsOpen: true})
	var ids []int64
	for i := range 100 {
		c := &comment.Comment{PostID: p.ID, Author: fmt.Sprint("Reader ", i), Email: fmt.Sprintf("r%d@example.org", i),
			Content: "A thoughtful reply with *emphasis* and a [link](https://example.org).", Status: comment.Approved,
			CreatedAt: time.Now().Add(time.Duration(i-200) * time.Minute)}
		if i%3 != 0 && len(ids) > 0 {
			c.ParentID = ids[len(ids)-1] // threads of replies
		}
		if err := ts.comments.Create(ctx, c, 5); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	serve(b, ts, "/"+p.Slug+"/")
}

// BenchmarkCommentPost posts comments through the real form handler on
// SQLite: validation, spam check and a durable write each. ns/op is the
// cost of one accepted comment.
func BenchmarkCommentPost(b *testing.B) {
	ts := newSiteB(b)
	p := ts.createTB(b, &post.Post{Title: "Open thread", Body: "x", CommentsOpen: true})
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		form := url.Values{"post_id": {fmt.Sprint(p.ID)}, "author": {fmt.Sprint("Reader ", i)}, "email": {fmt.Sprintf("r%d@example.org", i)},
			"comment": {fmt.Sprintf("Comment number %d: I liked the part about the piano.", i)}}
		req := httptest.NewRequest("POST", "/comments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			body, _ := io.ReadAll(w.Body)
			b.Fatalf("comment post: %d %s", w.Code, body)
		}
	}
}

// BenchmarkHomePageBigSite renders the home page and the feed (uncached) of
// a big site, to show their cost does not grow with the number of posts:
// MARQUEE_BENCH_SITE names a database seeded with, e.g.,
// go run ./bench/seed -db /tmp/big.db -posts 10000 (compare with -posts 10).
func BenchmarkHomePageBigSite(b *testing.B) {
	path := os.Getenv("MARQUEE_BENCH_SITE")
	if path == "" {
		b.Skip("set MARQUEE_BENCH_SITE to a seeded database")
	}
	db := sqldbtest.Open(b, path)
	md := markup.New(markup.Options{})
	st := site.NewStore(db)
	h, err := web.New(web.Deps{Posts: post.NewStore(db, md), Settings: st, Sessions: account.NewStore(db),
		Comments: comment.NewStore(db, md), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	for _, path := range []string{"/", "/feed/", "/search?q=city"} {
		b.Run(map[string]string{"/": "home", "/feed/": "feed", "/search?q=city": "search"}[path], func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for range b.N {
				w := httptest.NewRecorder()
				mux.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
