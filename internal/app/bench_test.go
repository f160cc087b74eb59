package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
)

// benchSite is a full site (all middleware, page cache) with a ~1,000-word
// post carrying 100 threaded comments, and 30 more posts.
func benchSite(b *testing.B) (http.Handler, string) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: filepath.Join(b.TempDir(), "bench.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	body := strings.Repeat("The light falls on the water and the city goes quiet. ", 100)
	for i := range 30 {
		a.Posts.Create(ctx, &post.Post{Title: fmt.Sprint("Post ", i), Body: body, Status: post.Published,
			PublishedAt: time.Now().Add(-time.Duration(i+2) * time.Hour)})
	}
	p := &post.Post{Title: "Long", Body: body + "\n\n" + body, Status: post.Published, CommentsOpen: true}
	a.Posts.Create(ctx, p)
	var last int64
	for i := range 100 {
		c := &comment.Comment{PostID: p.ID, Author: fmt.Sprint("R", i), Email: fmt.Sprintf("r%d@example.org", i),
			Content: "A reply with *some* words in it, about the piano.", Status: comment.Approved}
		if i%3 != 0 {
			c.ParentID = last
		}
		a.Comments.Create(ctx, c, 5)
		last = c.ID
	}
	h, err := a.Handler()
	if err != nil {
		b.Fatal(err)
	}
	return h, "/" + p.Slug + "/"
}

func benchGet(b *testing.B, h http.Handler, path string, gzip bool) {
	req := httptest.NewRequest("GET", path, nil)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	h.ServeHTTP(httptest.NewRecorder(), req) // fill the cache
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			w.code = 0
			h.ServeHTTP(w, req)
			if w.code != 200 {
				b.Fatalf("%s: %d", path, w.code)
			}
		}
	})
}

// discard is a ResponseWriter that keeps nothing: the benchmarks measure
// the server's work, not a recorder's copying.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(b []byte) (int, error) {
	if d.code == 0 {
		d.code = 200
	}
	return len(b), nil
}
func (d *discard) WriteHeader(code int) { d.code = code }

// BenchmarkW1Cached: the post with 100 comments, from the page cache,
// through every middleware.
func BenchmarkW1Cached(b *testing.B) {
	h, path := benchSite(b)
	benchGet(b, h, path, false)
}

// BenchmarkW1CachedGzip: the same for a browser that accepts gzip.
func BenchmarkW1CachedGzip(b *testing.B) {
	h, path := benchSite(b)
	benchGet(b, h, path, true)
}

// BenchmarkW2Cached: the home page.
func BenchmarkW2Cached(b *testing.B) {
	h, _ := benchSite(b)
	benchGet(b, h, "/", false)
}

// BenchmarkW4Cached: the RSS feed.
func BenchmarkW4Cached(b *testing.B) {
	h, _ := benchSite(b)
	benchGet(b, h, "/feed/", false)
}

// BenchmarkW3CommentPost: comments through the real form from many client
// addresses, concurrently, on SQLite with group commit: token, validation,
// spam check and a durable write each.
func BenchmarkW3CommentPost(b *testing.B) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: filepath.Join(b.TempDir(), "w3.db"), TrustedProxies: "192.0.2.0/24", CommentEvery: -1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	p := &post.Post{Title: "Open thread", Body: "x", Status: post.Published, CommentsOpen: true}
	a.Posts.Create(ctx, p)
	h, _ := a.Handler()
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.SetParallelism(8) // 16 goroutines on 2 cores, as wrk's 16 connections
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{h: http.Header{}}
		for pb.Next() {
			i := n.Add(1)
			form := url.Values{"post_id": {fmt.Sprint(p.ID)}, "author": {fmt.Sprint("Reader ", i)},
				"email": {fmt.Sprintf("r%d@example.org", i)}, "comment": {fmt.Sprintf("Thought number %d about the piano scene.", i)}}
			req := httptest.NewRequest("POST", "/comments", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			clear(w.h)
			w.code = 0
			h.ServeHTTP(w, req)
			if w.code != http.StatusSeeOther {
				b.Fatalf("comment: %d", w.code)
			}
		}
	})
}
