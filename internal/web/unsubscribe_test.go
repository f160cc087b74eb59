package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"marquee/internal/comment"
	"marquee/internal/notify"
	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
)

func TestUnsubscribeLink(t *testing.T) {
	ctx := context.Background()
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	p := ts.create(t, &post.Post{Title: "Subscribed", Body: "x", CommentsOpen: true})
	c := &comment.Comment{PostID: p.ID, Author: "A", Email: "a@example.org", Content: "hi", Status: comment.Approved, Notify: true}
	ts.comments.Create(ctx, c, 5)
	secret, _ := ts.settings.Secret(ctx)
	q := notify.UnsubscribeQuery(secret, "a@example.org", p.ID)
	rd := ts.reader(t)
	code, page := rd.get("/comments/unsubscribe?" + q)
	if code != 200 || !strings.Contains(page, "Stop reply notifications?") {
		t.Fatalf("GET: %d", code)
	}
	if got, _ := ts.comments.ByID(ctx, c.ID); !got.Notify {
		t.Fatal("a GET unsubscribed (mail scanners follow links)")
	}
	res, err := rd.client.PostForm(ts.srv.URL+"/comments/unsubscribe?"+q, url.Values{})
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("POST: %v %d", err, res.StatusCode)
	}
	res.Body.Close()
	if got, _ := ts.comments.ByID(ctx, c.ID); got.Notify {
		t.Fatal("still subscribed")
	}
	forged := strings.Replace(q, "a%40example.org", "b%40example.org", 1)
	if code, _ := rd.get("/comments/unsubscribe?" + forged); code != 400 {
		t.Fatalf("forged link: %d", code)
	}
	// Without a mail server the form offers no notifications.
	_, page = rd.get("/" + p.Slug + "/")
	if strings.Contains(page, `name="notify"`) {
		t.Error("notification box shown without SMTP")
	}
}
