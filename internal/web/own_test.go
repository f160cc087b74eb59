package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
)

// post submits a form to path as this reader (with its cookies).
func (rd *reader) post(path string, vals url.Values) (int, string, http.Header) {
	rd.t.Helper()
	res, err := rd.client.PostForm(rd.ts.srv.URL+path, vals)
	if err != nil {
		rd.t.Fatal(err)
	}
	return res.StatusCode, body(res), res.Header
}

func (rd *reader) cookie(name string) *http.Cookie {
	u, _ := url.Parse(rd.ts.srv.URL)
	for _, c := range rd.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (rd *reader) setCookie(c *http.Cookie) {
	u, _ := url.Parse(rd.ts.srv.URL)
	rd.client.Jar.SetCookies(u, []*http.Cookie{c})
}

func editURL(id int64) string   { return fmt.Sprintf("/comments/%d/edit", id) }
func deleteURL(id int64) string { return fmt.Sprintf("/comments/%d/delete", id) }

// usePolicy serves ts with a stored privacy policy (newSite has none, so
// it runs on the defaults).
func usePolicy(t *testing.T, ts *testSite, db *sqldb.DB, pol privacy.Policy) {
	t.Helper()
	svc := privacy.New(db, ts.comments, ts.spam)
	if err := svc.SavePolicy(context.Background(), pol); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Deps{Posts: ts.posts, Settings: ts.settings, Sessions: ts.accounts, Comments: ts.comments, Spam: ts.spam,
		Privacy: svc, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Now().Add(time.Duration(ts.offset.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	ts.handler = mux
	ts.srv = httptest.NewServer(mux)
	t.Cleanup(ts.srv.Close)
}

func TestOwnCommentEditAndDelete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice, bob := ts.reader(t), ts.reader(t)

		id := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "First version."}))
		if alice.cookie("marquee_own") == nil {
			t.Fatal("no marquee_own cookie after posting")
		}
		_, page := alice.get(path)
		for _, want := range []string{`href="` + ts.srv.URL + editURL(id) + `"`, ">Edit</a>", ">Delete</a>", "You can edit this for 10 more minutes"} {
			if !strings.Contains(page, want) {
				t.Errorf("the author's page lacks %q", want)
			}
		}
		// Another reader sees no links, even once the comment is approved.
		if _, err := ts.comments.SetStatus(ctx, []int64{id}, comment.Approved); err != nil {
			t.Fatal(err)
		}
		_, page = bob.get(path)
		if !strings.Contains(page, "First version.") || strings.Contains(page, editURL(id)) || strings.Contains(page, "more minutes") {
			t.Error("another reader sees the Edit links (or not the comment)")
		}
		if code, page := bob.get(editURL(id)); code != 403 || !strings.Contains(page, "You cannot change this comment") {
			t.Errorf("another reader's GET edit: %d", code)
		}
		if code, _, _ := bob.post(editURL(id), url.Values{"comment": {"Bob was here."}}); code != 403 {
			t.Errorf("another reader's POST edit: %d", code)
		}
		if code, _, _ := bob.post(deleteURL(id), nil); code != 403 {
			t.Errorf("another reader's POST delete: %d", code)
		}
		if c, _ := ts.comments.ByID(ctx, id); c.Content != "First version." {
			t.Fatalf("another reader changed the comment: %q", c.Content)
		}

		// The edit form shows the current text; saving changes it.
		code, page := alice.get(editURL(id))
		if code != 200 || !strings.Contains(page, ">First version.</textarea>") || !strings.Contains(page, `action="`+ts.srv.URL+deleteURL(id)+`"`) {
			t.Fatalf("edit form: %d\n%s", code, page)
		}
		code, _, hdr := alice.post(editURL(id), url.Values{"comment": {"Second *version*."}})
		if code != 303 || !strings.HasSuffix(hdr.Get("Location"), path+fmt.Sprintf("#comment-%d", id)) {
			t.Fatalf("save: %d %q", code, hdr.Get("Location"))
		}
		c, err := ts.comments.ByID(ctx, id)
		if err != nil || c.Content != "Second *version*." || c.Status != comment.Approved {
			t.Fatalf("after the edit: %+v %v", c, err)
		}
		if _, page = bob.get(path); !strings.Contains(page, "Second <em>version</em>.") {
			t.Error("the edit is not shown")
		}

		// A validation error keeps the text (422).
		long := strings.Repeat("x", site.Defaults().Comments.MaxLength+1)
		for _, text := range []string{"   ", long} {
			code, page, _ := alice.post(editURL(id), url.Values{"comment": {text}})
			if code != 422 || !strings.Contains(page, `class="form-errors"`) || (text == long && !strings.Contains(page, long)) {
				t.Errorf("invalid edit (%d chars): %d", len(text), code)
			}
		}
		if c, _ := ts.comments.ByID(ctx, id); c.Content != "Second *version*." {
			t.Errorf("an invalid edit was saved: %q", c.Content)
		}

		// Deleting it: gone, and the reply to it stays.
		rid := commentID(t, bob.reply(path, map[string]string{"author": "Bob", "email": "bob@example.org", "comment": "A reply.", "comment_parent": fmt.Sprint(id)}))
		code, _, hdr = alice.post(deleteURL(id), nil)
		if code != 303 || !strings.HasSuffix(hdr.Get("Location"), path+"#comments") {
			t.Fatalf("delete: %d %q", code, hdr.Get("Location"))
		}
		if _, err := ts.comments.ByID(ctx, id); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deleted comment still there: %v", err)
		}
		if r, err := ts.comments.ByID(ctx, rid); err != nil || r.ParentID != 0 {
			t.Errorf("the reply did not move up: %+v %v", r, err)
		}
		if code, _ := alice.get(editURL(id)); code != 403 {
			t.Errorf("edit of a deleted comment: %d", code)
		}
	})
}

func TestOwnCommentForgedCookie(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice, bob, eve := ts.reader(t), ts.reader(t), ts.reader(t)
		aid := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "Alice's."}))
		bid := commentID(t, bob.reply(path, map[string]string{"author": "Bob", "email": "bob@example.org", "comment": "Bob's."}))
		ac, _ := ts.comments.ByID(ctx, aid)
		bc, _ := ts.comments.ByID(ctx, bid)

		// Bob's valid cookie, with Alice's comment swapped in: the signature no longer matches.
		own := alice.cookie("marquee_own")
		value := strings.Replace(own.Value, fmt.Sprintf("%d:%d", aid, ac.CreatedAt.Unix()), fmt.Sprintf("%d:%d", bid, bc.CreatedAt.Unix()), 1)
		if value == own.Value {
			t.Fatalf("unexpected cookie value %q", own.Value)
		}
		for name, v := range map[string]string{"tampered": value, "forged": fmt.Sprintf("%d:%d.AAAAAAAAAAAAAAAAAAAAAA", bid, bc.CreatedAt.Unix()),
			"unsigned": fmt.Sprintf("%d:%d", bid, bc.CreatedAt.Unix())} {
			eve.setCookie(&http.Cookie{Name: "marquee_own", Value: v})
			if code, _ := eve.get(editURL(bid)); code != 403 {
				t.Errorf("%s cookie: GET edit %d", name, code)
			}
			if code, _, _ := eve.post(editURL(bid), url.Values{"comment": {"Eve's now."}}); code != 403 {
				t.Errorf("%s cookie: POST edit %d", name, code)
			}
			if code, _, _ := eve.post(deleteURL(bid), nil); code != 403 {
				t.Errorf("%s cookie: delete %d", name, code)
			}
		}
		// Alice's genuine cookie does not cover Bob's comment.
		if code, _, _ := alice.post(deleteURL(bid), nil); code != 403 {
			t.Errorf("Alice deleting Bob's comment: %d", code)
		}
		if c, err := ts.comments.ByID(ctx, bid); err != nil || c.Content != "Bob's." {
			t.Fatalf("Bob's comment changed: %+v %v", c, err)
		}
	})
}

func TestOwnCommentWindowPasses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice := ts.reader(t)
		id := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "Quick."}))
		ts.offset.Add(int64(9 * time.Minute)) // 9½ minutes after posting
		if _, page := alice.get(path); !strings.Contains(page, "You can edit this for 1 more minute:") {
			t.Error("the remaining time is not shown")
		}
		ts.offset.Add(int64(time.Minute))
		_, page := alice.get(path)
		if strings.Contains(page, editURL(id)) {
			t.Error("Edit link shown after the window")
		}
		if code, page := alice.get(editURL(id)); code != 403 || !strings.Contains(page, "The time to edit this comment has passed") {
			t.Errorf("GET edit after the window: %d", code)
		}
		if code, _, _ := alice.post(editURL(id), url.Values{"comment": {"Too late."}}); code != 403 {
			t.Errorf("POST edit after the window: %d", code)
		}
		if code, _, _ := alice.post(deleteURL(id), nil); code != 403 {
			t.Errorf("delete after the window: %d", code)
		}
		if c, err := ts.comments.ByID(ctx, id); err != nil || c.Content != "Quick." {
			t.Fatalf("changed after the window: %+v %v", c, err)
		}
	})
}

func TestOwnCommentEditHeldAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		st := site.Defaults()
		st.Comments.HoldFirstTime = false
		st.Comments.ModerationWords = "casino"
		if err := ts.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice, bob := ts.reader(t), ts.reader(t)
		id := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "Harmless."}))
		if c, _ := ts.comments.ByID(ctx, id); c.Status != comment.Approved {
			t.Fatalf("status %s, want approved", c.Status)
		}
		if code, _, _ := alice.post(editURL(id), url.Values{"comment": {"Visit my casino."}}); code != 303 {
			t.Fatalf("edit: %d", code)
		}
		if c, _ := ts.comments.ByID(ctx, id); c.Status != comment.Pending || c.Content != "Visit my casino." {
			t.Fatalf("after a moderation word: %s %q, want pending", c.Status, c.Content)
		}
		if _, page := bob.get(path); strings.Contains(page, "casino") {
			t.Error("a held edit is public")
		}
		if _, page := alice.get(path); !strings.Contains(page, "casino") || !strings.Contains(page, "awaiting moderation") {
			t.Error("the author does not see their held comment")
		}
	})
}

func TestOwnCommentWindowOff(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		pol := privacy.DefaultPolicy()
		pol.EditWindowMinutes = 0
		usePolicy(t, ts, db, pol)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice := ts.reader(t)
		id := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "Hello."}))
		if alice.cookie("marquee_own") != nil {
			t.Error("marquee_own set with the window off")
		}
		if _, page := alice.get(path); !strings.Contains(page, "Hello.") || strings.Contains(page, editURL(id)) {
			t.Error("Edit link with the window off (or no comment)")
		}
		if code, _ := alice.get(editURL(id)); code != 403 {
			t.Errorf("GET edit with the window off: %d", code)
		}
		if _, page := alice.get("/privacy/"); strings.Contains(page, "marquee_own") {
			t.Error("the privacy page mentions the edit window when it is off")
		}
	})
}

func TestOwnCookieIsPersonal(t *testing.T) {
	if !slices.Contains(web.PersonalCookies, "marquee_own") {
		t.Fatal("marquee_own is not in web.PersonalCookies: pages with Edit links could be cached")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		pol := privacy.DefaultPolicy()
		pol.EditWindowMinutes = 15
		usePolicy(t, ts, db, pol)
		_, page := ts.reader(t).get("/privacy/")
		if !strings.Contains(page, "You can edit or delete your comment for 15 minutes after posting it, from the same browser (a cookie, <code>marquee_own</code>, remembers which comments are yours).") {
			t.Error("the privacy page does not state the edit window")
		}
	})
}
