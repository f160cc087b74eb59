package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
)

// TestPasswordProtectedPost: the body, the discussion and the feeds keep a
// protected post's text from readers until they enter its password.
func TestPasswordProtectedPost(t *testing.T) {
	ctx := context.Background()
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	p := ts.create(t, &post.Post{Title: "Members only", Body: "The secret ingredient is cardamom.", Password: "open sesame", CommentsOpen: true})
	c := &comment.Comment{PostID: p.ID, Author: "Insider", Email: "i@example.org", Content: "Cardamom, really?", Status: comment.Approved}
	ts.comments.Create(ctx, c, 5)
	rd := ts.reader(t)
	path := "/" + p.Slug + "/"
	code, page := rd.get(path)
	if code != 200 || strings.Contains(page, "cardamom") || strings.Contains(page, "Cardamom") || !strings.Contains(page, `name="post_password"`) {
		t.Fatalf("locked page: %d, leaks or lacks the form", code)
	}
	for _, feed := range []string{"/feed/", "/feed/atom/", "/comments/feed/", "/", "/search?q=members"} {
		if _, b := rd.get(feed); strings.Contains(strings.ToLower(b), "cardamom") {
			t.Errorf("%s leaks the protected text", feed)
		}
	}
	// A reply cannot be posted without the password.
	res, _ := rd.client.PostForm(ts.srv.URL+"/comments", url.Values{"post_id": {itoa(p.ID)}, "author": {"A"}, "email": {"a@example.org"}, "comment": {"x"}})
	if res.StatusCode != 403 {
		t.Errorf("reply to a locked post: %d", res.StatusCode)
	}
	res.Body.Close()
	// A wrong password, then the right one.
	res, _ = rd.client.PostForm(ts.srv.URL+"/unlock", url.Values{"post_id": {itoa(p.ID)}, "post_password": {"guess"}})
	if b := body(res); res.StatusCode != 403 || !strings.Contains(b, "not the password") || strings.Contains(b, "cardamom") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ = rd.client.PostForm(ts.srv.URL+"/unlock", url.Values{"post_id": {itoa(p.ID)}, "post_password": {"open sesame"}})
	if res.StatusCode != 303 {
		t.Fatalf("right password: %d", res.StatusCode)
	}
	res.Body.Close()
	if _, page = rd.get(path); !strings.Contains(page, "cardamom") || !strings.Contains(page, "Cardamom, really?") {
		t.Fatal("unlocked page does not show the body and the discussion")
	}
	// A new password locks it again.
	p.Password = "new password"
	if err := ts.posts.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, page = rd.get(path); strings.Contains(page, "cardamom") {
		t.Fatal("a changed password did not lock the post")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
