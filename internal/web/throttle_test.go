package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/throttle"
	"marquee/internal/web"
)

// TestCommentFloodThrottled: a person gets through, a flood gets 429 with
// Retry-After and a page that keeps the text.
func TestCommentFloodThrottled(t *testing.T) {
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	h, err := web.New(web.Deps{Posts: ts.posts, Settings: ts.settings, Sessions: ts.accounts, Comments: ts.comments,
		Log: slog.New(slog.DiscardHandler), CommentLimit: throttle.New(12*time.Second, 3)})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ts.srv = srv
	p := ts.create(t, &post.Post{Title: "Hot topic", Body: "x", CommentsOpen: true})
	rd := ts.reader(t)
	for i := range 3 {
		res := rd.reply("/"+p.Slug+"/", map[string]string{"author": "Flo", "email": "flo@example.org", "comment": fmt.Sprint("comment ", i)})
		if res.StatusCode != 303 {
			t.Fatalf("comment %d of the burst: %d", i+1, res.StatusCode)
		}
		res.Body.Close()
	}
	res := rd.reply("/"+p.Slug+"/", map[string]string{"author": "Flo", "email": "flo@example.org", "comment": "one too many, kept"})
	b := body(res)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || !strings.Contains(b, "one too many, kept") || !strings.Contains(b, "Please wait") {
		t.Fatalf("flood: %d Retry-After=%q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
