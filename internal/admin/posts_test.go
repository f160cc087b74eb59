package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestPostsCRUD(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		st := site.Defaults()
		st.TimeZone = "Europe/Paris"
		if err := e.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/posts/new"), 200, `name="title"`, `name="body"`, `type="datetime-local"`, `/admin/static/admin.js`, "Europe/Paris")

		// Create: the publish time is read in the site's zone.
		form := url.Values{
			"type": {"post"}, "title": {"Hello, admin"}, "slug": {""}, "body": {"Some **bold** text."},
			"excerpt": {"A short one"}, "tags": {"Go, Web ,, go"}, "status": {"scheduled"},
			"published_at": {"2030-07-01T09:30"}, "comments_open": {"1"}, "action": {"save"},
		}
		r := e.post(c, "/admin/posts", form)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/posts/") {
			t.Fatalf("create: %d %s", r.StatusCode, r.body)
		}
		ps, _, err := e.posts.List(ctx, post.Filter{})
		if err != nil || len(ps) != 1 {
			t.Fatalf("%v %v", ps, err)
		}
		p := ps[0]
		want := time.Date(2030, 7, 1, 7, 30, 0, 0, time.UTC) // 09:30 in Paris, summer time
		if p.Title != "Hello, admin" || p.Slug != "hello-admin" || p.Status != post.Scheduled || !p.PublishedAt.Equal(want) ||
			p.AuthorID != e.admin.ID || !p.CommentsOpen || len(p.Tags) != 2 || p.Excerpt != "A short one" ||
			!strings.Contains(p.BodyHTML, "<strong>bold</strong>") {
			t.Fatalf("created %+v", p)
		}
		editURL := r.Header.Get("Location")
		expect(t, e.get(c, editURL), 200, "Your post has been created", `value="Hello, admin"`, `value="2030-07-01T09:30"`, "Go, Web")

		// Listing with filters and search.
		expect(t, e.get(c, "/admin/posts?type=post&status=scheduled&q=hello"), 200, "Hello, admin")
		r = e.get(c, "/admin/posts?status=draft")
		expect(t, r, 200, "Nothing matches")

		// Update.
		form.Set("title", "Hello again")
		form.Set("status", "published")
		form.Set("published_at", "")
		form.Del("comments_open")
		r = e.post(c, "/admin/posts/"+itoa(p.ID), form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.StatusCode, r.body)
		}
		p, _ = e.posts.ByID(ctx, p.ID)
		if p.Title != "Hello again" || p.Status != post.Published || p.CommentsOpen || p.PublishedAt.IsZero() {
			t.Fatalf("updated %+v", p)
		}

		// Validation error: 422, the message near the field, everything kept.
		bad := url.Values{"type": {"post"}, "title": {"   "}, "body": {"My <long> draft\nwith *lines*"}, "tags": {"keep, these"},
			"excerpt": {"kept excerpt"}, "status": {"draft"}, "action": {"save"}}
		r = e.post(c, "/admin/posts", bad)
		expect(t, r, http.StatusUnprocessableEntity, "a title is required", `id="title-error"`,
			"My &lt;long&gt; draft\nwith *lines*", `value="keep, these"`, "kept excerpt")
		// Every wrong field is marked at once.
		r = e.post(c, "/admin/posts", url.Values{"title": {""}, "slug": {"Bad Slug"}, "status": {"draft"}})
		expect(t, r, http.StatusUnprocessableEntity, `id="title-error"`, `id="slug-error"`, "2 problems in all")
		r = e.post(c, "/admin/posts", url.Values{"title": {"Timed"}, "status": {"scheduled"}, "published_at": {"tomorrow"}})
		expect(t, r, http.StatusUnprocessableEntity, `id="published_at-error"`, `value="Timed"`)
		r = e.post(c, "/admin/posts", url.Values{"title": {"Slug clash"}, "slug": {"hello-again"}, "status": {"draft"}})
		expect(t, r, http.StatusConflict, "is taken", `id="slug-error"`, `value="Slug clash"`)

		// The no-JS preview shows the rendered body without saving.
		r = e.post(c, "/admin/posts", url.Values{"title": {"Unsaved"}, "body": {"# Heading\n<script>alert(1)</script>"}, "status": {"draft"}, "action": {"preview"}})
		expect(t, r, 200, "<h1", "Heading")
		if strings.Contains(r.body, "alert(1)</script>") && strings.Contains(r.body, "<script>alert(1)") {
			t.Error("preview carries a script")
		}
		if _, n, _ := e.posts.List(ctx, post.Filter{Search: "Unsaved"}); n != 0 {
			t.Error("preview saved the post")
		}

		// Delete: a confirmation page, then the post is gone.
		expect(t, e.get(c, "/admin/posts/"+itoa(p.ID)+"/delete"), 200, "Delete “Hello again”?", `action="/admin/posts/`+itoa(p.ID)+`/delete"`)
		r = e.post(c, "/admin/posts/"+itoa(p.ID)+"/delete", nil)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		if _, err := e.posts.ByID(ctx, p.ID); err == nil {
			t.Error("post survives delete")
		}
		expect(t, e.get(c, "/admin/posts/"+itoa(p.ID)), http.StatusNotFound)
		expect(t, e.get(c, "/admin/posts/abc"), http.StatusNotFound)
		expect(t, e.get(c, "/admin/"), 200, "Dashboard")
	})
}

func TestAuthorsOwnPostsOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		for _, email := range []string{"alice@example.org", "bob@example.org"} {
			if _, err := e.accounts.Create(ctx, email, "", account.Author, adminPass); err != nil {
				t.Fatal(err)
			}
		}
		alice := e.loggedIn("alice@example.org", adminPass)
		bob := e.loggedIn("bob@example.org", adminPass)
		r := e.post(alice, "/admin/posts", url.Values{"title": {"Alice's secret draft"}, "status": {"draft"}, "body": {"x"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		edit := r.Header.Get("Location")
		edit = edit[:strings.Index(edit, "?")]

		expect(t, e.get(bob, edit), http.StatusForbidden, "only your own posts")
		expect(t, e.post(bob, edit, url.Values{"title": {"Bob was here"}, "status": {"draft"}}), http.StatusForbidden)
		expect(t, e.post(bob, edit+"/delete", nil), http.StatusForbidden)
		r = e.get(bob, "/admin/posts")
		expect(t, r, 200)
		if strings.Contains(r.body, "Alice&#39;s secret draft") {
			t.Error("bob's listing shows alice's draft")
		}
		// Authors cannot reach the admins' pages.
		expect(t, e.get(bob, "/admin/settings"), http.StatusForbidden)
		expect(t, e.get(bob, "/admin/users"), http.StatusForbidden)
		expect(t, e.post(bob, "/admin/tokens", url.Values{"name": {"x"}}), http.StatusForbidden)

		// The admin may edit alice's post, which stays hers.
		c := e.loggedIn("admin@example.org", adminPass)
		r = e.post(c, edit, url.Values{"title": {"Edited by admin"}, "status": {"draft"}, "body": {"y"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		ps, _, _ := e.posts.List(ctx, post.Filter{})
		if len(ps) != 1 || ps[0].Title != "Edited by admin" || ps[0].AuthorName == "" || ps[0].AuthorName == "Ada Admin" {
			t.Errorf("%+v", ps[0])
		}
	})
}

func TestPreview(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		r := e.post(c, "/admin/preview", url.Values{"body": {"Hi *there*\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(2)>"}})
		expect(t, r, 200)
		var got struct{ HTML string }
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.HTML, "<em>there</em>") {
			t.Errorf("preview %q", got.HTML)
		}
		if strings.Contains(got.HTML, "<script") || strings.Contains(got.HTML, "onerror") {
			t.Errorf("preview not sanitised: %q", got.HTML)
		}
		expect(t, e.post(e.client(), "/admin/preview", url.Values{"body": {"x"}}), http.StatusUnauthorized)
	})
}

func TestStatic(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		r := e.get(e.client(), "/admin/static/admin.js")
		expect(t, r, 200, "dataset.preview")
		r = e.get(e.client(), "/admin/static/admin.css")
		expect(t, r, 200, "prefers-color-scheme: dark")
		expect(t, e.get(e.client(), "/admin/static/nope.css"), 404)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
