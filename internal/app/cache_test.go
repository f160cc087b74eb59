package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
)

func fetch(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// TestCacheStaysCorrect: pages are served from the cache, and after every
// kind of change the next view shows it; a held comment is never in a
// cached page; conditional requests see changes.
func TestCacheStaysCorrect(t *testing.T) {
	ctx := context.Background()
	a, srv := newApp(t, app.Config{})
	p := &post.Post{Title: "Cached post", Body: "First version.", Status: post.Published, CommentsOpen: true, Tags: []post.Tag{{Name: "Cache"}}}
	if err := a.Posts.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	other := &post.Post{Title: "Other post", Body: "Untouched.", Status: post.Published, CommentsOpen: true}
	a.Posts.Create(ctx, other)
	anon := &http.Client{}
	postURL := srv.URL + "/" + p.Slug + "/"

	res, body := fetch(t, anon, postURL)
	if res.Header.Get("X-Cache") == "hit" || !strings.Contains(body, "First version.") {
		t.Fatal("first view")
	}
	res, _ = fetch(t, anon, postURL)
	if res.Header.Get("X-Cache") != "hit" {
		t.Fatal("second view not served from the cache")
	}
	etag := res.Header.Get("ETag")
	if res, _ := fetch(t, anon, postURL, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional request: %d", res.StatusCode)
	}
	fetch(t, anon, srv.URL+"/"+other.Slug+"/")
	fetch(t, anon, srv.URL+"/"+other.Slug+"/") // cached
	fetch(t, anon, srv.URL+"/")
	fetch(t, anon, srv.URL+"/feed/")

	// An edit shows at once, and the old ETag no longer matches.
	p.Body = "Second version."
	if err := a.Posts.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	if res, body := fetch(t, anon, postURL, "If-None-Match", etag); res.StatusCode != 200 || !strings.Contains(body, "Second version.") {
		t.Fatalf("after an edit: %d", res.StatusCode)
	}
	if _, body := fetch(t, anon, srv.URL+"/feed/"); !strings.Contains(body, "Second version.") {
		t.Fatal("feed stale after an edit")
	}

	// A reader's held comment: shown to them, never to others, never cached.
	jar, _ := cookiejar.New(nil)
	reader := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch(t, anon, postURL) // cache it
	_, page := fetch(t, reader, postURL)
	token := between(page, `name="token" value="`, `"`)
	res, err := reader.PostForm(srv.URL+"/comments", url.Values{"post_id": {itoa(p.ID)}, "author": {"Helga"}, "email": {"helga@example.org"},
		"comment": {"A held thought"}, "token": {token}})
	if err != nil || res.StatusCode != 303 {
		t.Fatalf("comment: %v %d", err, res.StatusCode)
	}
	res.Body.Close()
	if _, body := fetch(t, reader, postURL); !strings.Contains(body, "A held thought") {
		t.Fatal("the author does not see their held comment")
	}
	if res, body := fetch(t, anon, postURL); strings.Contains(body, "A held thought") {
		t.Fatalf("a held comment leaked to another reader (X-Cache %q)", res.Header.Get("X-Cache"))
	}

	// Approval shows on the post, its feed and the home page's count, and
	// leaves other posts' pages cached.
	fetch(t, anon, srv.URL+"/"+other.Slug+"/") // cached again since the edit
	cs, _, _ := a.Comments.List(ctx, comment.Filter{Status: comment.Pending})
	if _, err := a.Comments.SetStatus(ctx, []int64{cs[0].ID}, comment.Approved); err != nil {
		t.Fatal(err)
	}
	if _, body := fetch(t, anon, postURL); !strings.Contains(body, "A held thought") {
		t.Fatal("approved comment not shown")
	}
	if _, body := fetch(t, anon, srv.URL+"/comments/feed/"); !strings.Contains(body, "A held thought") {
		t.Fatal("comment feed stale")
	}
	if _, body := fetch(t, anon, srv.URL+"/"); !strings.Contains(body, "1 reply") {
		t.Fatal("home page count stale")
	}
	if res, _ := fetch(t, anon, srv.URL+"/"+other.Slug+"/"); res.Header.Get("X-Cache") != "hit" {
		t.Error("an unrelated post's page was dropped by a comment approval")
	}
	// Spam and deletion remove it again.
	a.Comments.SetStatus(ctx, []int64{cs[0].ID}, comment.Spam)
	if _, body := fetch(t, anon, postURL); strings.Contains(body, "A held thought") {
		t.Fatal("comment marked spam still shown")
	}

	// Settings show everywhere.
	st, _ := a.Settings.Get(ctx)
	st.Title = "Renamed Blog"
	if err := a.Settings.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{postURL, srv.URL + "/", srv.URL + "/" + other.Slug + "/"} {
		if _, body := fetch(t, anon, u); !strings.Contains(body, "Renamed Blog") {
			t.Errorf("%s stale after a settings change", u)
		}
	}
	// Deleting a post: gone from the home page and its own address.
	if err := a.Posts.Delete(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := fetch(t, anon, srv.URL+"/"+other.Slug+"/"); res.StatusCode != 404 {
		t.Fatalf("deleted post: %d", res.StatusCode)
	}
	if _, body := fetch(t, anon, srv.URL+"/"); strings.Contains(body, "Other post") {
		t.Fatal("deleted post still listed")
	}
	// Every reader gets a fresh form token, even from a cached page.
	_, p1 := fetch(t, anon, postURL)
	time.Sleep(1100 * time.Millisecond)
	_, p2 := fetch(t, anon, postURL)
	if between(p1, `name="token" value="`, `"`) == between(p2, `name="token" value="`, `"`) {
		t.Error("cached pages share one form token")
	}
}

// TestCacheAcrossProcesses: two processes on one database; a change made
// in one drops the other's cached page once it follows the change feed.
func TestCacheAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shared.db")
	a, _ := newApp(t, app.Config{DB: db}) // process A: only its stores are used
	b, srvB := newApp(t, app.Config{DB: db})
	p := &post.Post{Title: "Shared", Body: "Before.", Status: post.Published}
	a.Posts.Create(ctx, p)
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Serve(bctx, nil) // runs B's change follower (its own listener is unused)
	anon := &http.Client{}
	u := srvB.URL + "/" + p.Slug + "/"
	fetch(t, anon, u)
	if res, _ := fetch(t, anon, u); res.Header.Get("X-Cache") != "hit" {
		t.Fatal("not cached on B")
	}
	p.Body = "After."
	a.Posts.Update(ctx, p)
	st := site.Defaults()
	st.Title = "Changed on A"
	a.Settings.Save(ctx, st)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := fetch(t, anon, u)
		if strings.Contains(body, "After.") && strings.Contains(body, "Changed on A") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("B still serves A's old post or settings after 5 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
