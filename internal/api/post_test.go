package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestCreatePost(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		a := e.create("author", map[string]any{
			"title":        "Hello, World",
			"body":         "Some **bold** words.",
			"type":         "post",
			"status":       "published",
			"published_at": "2024-03-01T10:30:00+01:00",
			"tags":         []string{"Go", "Blogging"},
			"excerpt":      "A greeting.",
		})
		if got, want := a.Header.Get("Location"), testBase+idPath(a); got != want {
			t.Errorf("Location %q, want %q", got, want)
		}
		checks := map[string]any{
			"type": "post", "title": "Hello, World", "slug": "hello-world", "url": testBase + "/hello-world/",
			"status": "published", "published_at": "2024-03-01T09:30:00Z", "excerpt": "A greeting.",
			"body": "Some **bold** words.", "comments_open": true, "comment_count": float64(0), "format": "markdown",
		}
		for k, want := range checks {
			if got := a.JSON[k]; got != want {
				t.Errorf("%s = %#v, want %#v", k, got, want)
			}
		}
		if !strings.Contains(a.str("body_html"), "<strong>bold</strong>") {
			t.Errorf("body_html = %q", a.str("body_html"))
		}
		if got, want := sortedTags(a), []string{"Blogging", "Go"}; !reflect.DeepEqual(got, want) {
			t.Errorf("tags = %v, want %v", got, want)
		}
		author, _ := a.JSON["author"].(map[string]any)
		if author["id"] != float64(e.users["author"].ID) || author["name"] != "Ann Author" {
			t.Errorf("author = %v", a.JSON["author"])
		}
		created := parseTime(t, a.str("created_at"))
		if d := time.Since(created); d < -time.Minute || d > time.Minute {
			t.Errorf("created_at = %v", created)
		}
		parseTime(t, a.str("updated_at"))
		if a.id() <= 0 {
			t.Fatalf("id = %v", a.JSON["id"])
		}

		// GET shows the same post.
		g := e.call("GET", idPath(a), "author", nil).want(t, http.StatusOK)
		if string(g.Raw) != string(a.Raw) {
			t.Errorf("GET differs from POST:\n%s\n%s", g.Raw, a.Raw)
		}
	})
}

func TestCreateDefaults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		a := e.create("editor", map[string]any{"title": "Just a title"})
		for k, want := range map[string]any{"type": "post", "status": "draft", "published_at": nil, "comments_open": true, "slug": "just-a-title"} {
			if got := a.JSON[k]; got != want {
				t.Errorf("%s = %#v, want %#v", k, got, want)
			}
		}
		if got := tags(a); got == nil || len(got) != 0 {
			t.Errorf("tags = %s, want []", a.Raw)
		}
		// A page, with comments closed.
		p := e.create("editor", map[string]any{"title": "About", "type": "page", "status": "published", "comments_open": false, "body": "Me."})
		if p.JSON["type"] != "page" || p.JSON["comments_open"] != false || p.str("url") != testBase+"/about/" {
			t.Errorf("page = %s", p.Raw)
		}
		if p.JSON["published_at"] == nil {
			t.Errorf("a published page without a date got none: %s", p.Raw)
		}
	})
}

func TestURLIsAbsolute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, "") // no -base-url: the request's host
		a := e.create("admin", map[string]any{"title": "Ünïcode and spaces", "slug": "crème-brûlée"})
		u, err := url.Parse(a.str("url"))
		if err != nil || !u.IsAbs() || u.Host == "" {
			t.Fatalf("url %q is not absolute", a.str("url"))
		}
		if want := e.srv.URL + "/" + url.PathEscape("crème-brûlée") + "/"; a.str("url") != want {
			t.Errorf("url = %q, want %q", a.str("url"), want)
		}
		if loc := a.Header.Get("Location"); !strings.HasPrefix(loc, e.srv.URL+"/api/v1/posts/") {
			t.Errorf("Location = %q", loc)
		}
		// The administrator's setting wins over the request.
		st, err := e.settings.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st.BaseURL = "https://settings.example/"
		if err := e.settings.Save(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		g := e.call("GET", idPath(a), "admin", nil).want(t, http.StatusOK)
		if got := g.str("url"); !strings.HasPrefix(got, "https://settings.example/cr") {
			t.Errorf("url = %q, want the settings' base", got)
		}
	})
}

func TestAuth(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.create("author", map[string]any{"title": "Mine"})
		calls := []struct{ method, path string }{
			{"POST", "/api/v1/posts"}, {"GET", "/api/v1/posts"}, {"GET", idPath(p)}, {"PATCH", idPath(p)}, {"DELETE", idPath(p)},
		}
		for _, c := range calls {
			for _, tok := range []string{"", "mq_not-a-real-token", "not-even-prefixed"} {
				a := e.call(c.method, c.path, tok, `{"title": "x"}`).wantError(t, http.StatusUnauthorized, "")
				if got := a.Header.Get("WWW-Authenticate"); got != "Bearer" {
					t.Errorf("%s %s with %q: WWW-Authenticate %q", c.method, c.path, tok, got)
				}
			}
			// Another scheme is no token.
			e.call(c.method, c.path, "", `{}`, "Authorization", "Basic YWRtaW46YWRtaW4=").wantError(t, http.StatusUnauthorized, "")
		}
		// The scheme is case-insensitive.
		e.call("GET", idPath(p), "", nil, "Authorization", "bearer "+e.tokens["author"]).want(t, http.StatusOK)
		// Nothing changed.
		e.call("GET", idPath(p), "author", nil).want(t, http.StatusOK)
	})
}

func TestPermissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		draft := e.create("author", map[string]any{"title": "Ann's draft"})
		pub := e.create("author", map[string]any{"title": "Ann's post", "status": "published"})

		// Another author may neither change nor delete them, nor see the draft.
		e.call("PATCH", idPath(draft), "author2", map[string]any{"title": "Mine now"}).wantError(t, http.StatusForbidden, "")
		e.call("PATCH", idPath(pub), "author2", map[string]any{"title": "Mine now"}).wantError(t, http.StatusForbidden, "")
		e.call("DELETE", idPath(pub), "author2", nil).wantError(t, http.StatusForbidden, "")
		e.call("GET", idPath(draft), "author2", nil).wantError(t, http.StatusForbidden, "")
		e.call("GET", idPath(pub), "author2", nil).want(t, http.StatusOK)

		// Authors may not publish as someone else, nor hand their posts over.
		e.call("POST", "/api/v1/posts", "author2", map[string]any{"title": "As Ann", "author_id": e.users["author"].ID}).
			wantError(t, http.StatusForbidden, "author_id")
		e.call("PATCH", idPath(draft), "author", map[string]any{"author_id": e.users["author2"].ID}).
			wantError(t, http.StatusForbidden, "author_id")
		own := e.create("author2", map[string]any{"title": "As myself", "author_id": e.users["author2"].ID})
		if a, _ := own.JSON["author"].(map[string]any); a["id"] != float64(e.users["author2"].ID) {
			t.Errorf("author = %v", own.JSON["author"])
		}

		// Editors and admins may do everything, including crediting others.
		ed := e.create("editor", map[string]any{"title": "For Bob", "author_id": e.users["author2"].ID})
		if a, _ := ed.JSON["author"].(map[string]any); a["name"] != "Bob Author" {
			t.Errorf("author = %v", ed.JSON["author"])
		}
		e.call("POST", "/api/v1/posts", "editor", map[string]any{"title": "Ghost", "author_id": 999999}).
			wantError(t, http.StatusBadRequest, "author_id")
		up := e.call("PATCH", idPath(draft), "editor", map[string]any{"title": "Edited by the editor"}).want(t, http.StatusOK)
		if up.str("title") != "Edited by the editor" {
			t.Errorf("title = %q", up.str("title"))
		}
		e.call("GET", idPath(draft), "editor", nil).want(t, http.StatusOK)
		e.call("DELETE", idPath(pub), "admin", nil).want(t, http.StatusNoContent)
		e.call("DELETE", idPath(draft), "author", nil).want(t, http.StatusNoContent)
	})
}

func TestBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.create("author", map[string]any{"title": "Target"})
		cases := []struct {
			name, body, field, contains string
		}{
			{"invalid JSON", `{"title": "x",}`, "", "line 1, column 16"},
			{"invalid JSON on line 2", "{\"title\": \"x\"\n  \"body\": 1}", "", "line 2, column"},
			{"truncated JSON", `{"title": "x"`, "", "ends before"},
			{"unknown field", `{"title": "x", "colour": "red"}`, "colour", "colour"},
			{"wrong type title", `{"title": 42}`, "title", "title must be a string, not a number"},
			{"wrong type tags", `{"title": "x", "tags": "go"}`, "tags", "tags must be a list of strings"},
			{"wrong type tag", `{"title": "x", "tags": [1]}`, "tags", "tags"},
			{"wrong type comments_open", `{"title": "x", "comments_open": "yes"}`, "comments_open", "true or false"},
			{"wrong type author_id", `{"title": "x", "author_id": 1.5}`, "author_id", "whole number"},
			{"bad status", `{"title": "x", "status": "live"}`, "status", "status"},
			{"bad type", `{"title": "x", "type": "note"}`, "type", "type"},
			{"empty title", `{"title": "   "}`, "title", "title"},
			{"bad published_at", `{"title": "x", "published_at": "yesterday"}`, "published_at", "RFC 3339"},
			{"published_at a number", `{"title": "x", "published_at": 1700000000}`, "published_at", "RFC 3339"},
			{"scheduled without date", `{"title": "x", "status": "scheduled"}`, "published_at", "published_at"},
			{"bad slug", `{"title": "x", "slug": "Not A Slug"}`, "slug", "slug"},
			{"reserved slug", `{"title": "x", "slug": "admin"}`, "slug", "admin"},
			{"empty tag", `{"title": "x", "tags": [""]}`, "tags", "tag"},
			{"NUL in title", `{"title": "a\u0000b"}`, "title", "NUL"},
			{"NUL in body", `{"title": "x", "body": "a\u0000b"}`, "body", "NUL"},
			{"NUL in a tag", `{"title": "x", "tags": ["a\u0000b"]}`, "tags", "NUL"},
			{"year 0", `{"title": "x", "published_at": "0000-01-01T00:00:00Z"}`, "published_at", "year"},
			{"an array", `[{"title": "x"}]`, "", "JSON object"},
			{"a string", `"title"`, "", "JSON object"},
			{"empty body", ``, "", "empty"},
			{"two objects", `{"title": "x"} {"title": "y"}`, "", "single JSON object"},
		}
		for _, c := range cases {
			for _, m := range []string{"POST", "PATCH"} {
				path := "/api/v1/posts"
				if m == "PATCH" {
					path = idPath(p)
				}
				a := e.call(m, path, "author", c.body)
				if a.Status != http.StatusBadRequest {
					t.Errorf("%s %s: status %d, want 400: %s", m, c.name, a.Status, a.Raw)
					continue
				}
				if got := a.str("field"); got != c.field {
					t.Errorf("%s %s: field %q, want %q: %s", m, c.name, got, c.field, a.Raw)
				}
				if msg := a.str("error"); !strings.Contains(msg, c.contains) {
					t.Errorf("%s %s: error %q does not mention %q", m, c.name, msg, c.contains)
				}
			}
		}
		// Nothing was created or changed.
		l := e.call("GET", "/api/v1/posts", "admin", nil).want(t, http.StatusOK)
		if l.JSON["total"] != float64(1) {
			t.Errorf("total = %v after bad input", l.JSON["total"])
		}
		if g := e.call("GET", idPath(p), "author", nil).want(t, http.StatusOK); string(g.Raw) != string(p.Raw) {
			t.Errorf("post changed by bad input:\n%s\n%s", g.Raw, p.Raw)
		}
	})
}

func TestContentType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		e.call("POST", "/api/v1/posts", "author", `title=x`, "Content-Type", "application/x-www-form-urlencoded").
			wantError(t, http.StatusUnsupportedMediaType, "")
		e.call("POST", "/api/v1/posts", "author", `{"title": "x"}`, "Content-Type", "text/plain").
			wantError(t, http.StatusUnsupportedMediaType, "")
		e.call("POST", "/api/v1/posts", "author", `{"title": "With charset"}`, "Content-Type", "application/json; charset=utf-8").
			want(t, http.StatusCreated)
		e.call("POST", "/api/v1/posts", "author", `{"title": "Without a type"}`, "Content-Type", "").
			want(t, http.StatusCreated)
		e.call("POST", "/api/v1/posts", "author", `{"title": "Vendor type"}`, "Content-Type", "application/vnd.marquee+json").
			want(t, http.StatusCreated)
	})
}

func TestTooLarge(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		big := `{"title": "Big", "body": "` + strings.Repeat("a", MaxBody) + `"}`
		e.call("POST", "/api/v1/posts", "author", big).wantError(t, http.StatusRequestEntityTooLarge, "")
		p := e.create("author", map[string]any{"title": "Small"})
		e.call("PATCH", idPath(p), "author", big).wantError(t, http.StatusRequestEntityTooLarge, "")
		// Just under the limit is fine.
		ok := `{"title": "Nearly big", "body": "` + strings.Repeat("a", MaxBody-100) + `"}`
		e.call("POST", "/api/v1/posts", "author", ok).want(t, http.StatusCreated)
	})
}

func TestNotFound(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		for _, path := range []string{"/api/v1/posts/999999", "/api/v1/posts/abc", "/api/v1/posts/0", "/api/v1/posts/-1"} {
			e.call("GET", path, "admin", nil).wantError(t, http.StatusNotFound, "")
			e.call("PATCH", path, "admin", `{"title": "x"}`).wantError(t, http.StatusNotFound, "")
			e.call("DELETE", path, "admin", nil).wantError(t, http.StatusNotFound, "")
		}
		for _, path := range []string{"/api/", "/api/v1/", "/api/v2/posts", "/api/v1/users", "/api/v1/posts/1/nope"} {
			e.call("GET", path, "", nil).wantError(t, http.StatusNotFound, "")
		}
		a := e.call("PUT", "/api/v1/posts", "admin", `{}`).want(t, http.StatusMethodNotAllowed)
		if a.Header.Get("Allow") == "" || a.str("error") == "" {
			t.Errorf("405 without Allow or message: %v %s", a.Header, a.Raw)
		}
		e.call("POST", "/api/v1/posts/1", "admin", `{}`).want(t, http.StatusMethodNotAllowed)
	})
}

func TestSlugs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		first := e.create("author", map[string]any{"title": "Same title", "slug": "chosen"})
		e.call("POST", "/api/v1/posts", "author", map[string]any{"title": "Other", "slug": "chosen"}).
			wantError(t, http.StatusConflict, "slug")
		// A page may not take a post's slug either: they share the root.
		e.call("POST", "/api/v1/posts", "author", map[string]any{"title": "Other", "slug": "chosen", "type": "page"}).
			wantError(t, http.StatusConflict, "slug")

		a := e.create("author", map[string]any{"title": "Derived Slug"})
		b := e.create("author", map[string]any{"title": "Derived slug!"})
		c := e.create("author", map[string]any{"title": "derived slug", "slug": ""})
		if a.str("slug") != "derived-slug" || b.str("slug") != "derived-slug-2" || c.str("slug") != "derived-slug-3" {
			t.Errorf("slugs %q %q %q", a.str("slug"), b.str("slug"), c.str("slug"))
		}
		if b.str("url") != testBase+"/derived-slug-2/" {
			t.Errorf("url = %q", b.str("url"))
		}
		// Renaming onto a taken slug conflicts; onto one's own is fine.
		e.call("PATCH", idPath(b), "author", map[string]any{"slug": "chosen"}).wantError(t, http.StatusConflict, "slug")
		e.call("PATCH", idPath(first), "author", map[string]any{"slug": "chosen", "title": "Renamed"}).want(t, http.StatusOK)
		// A title change keeps the slug, so links stay.
		r := e.call("PATCH", idPath(a), "author", map[string]any{"title": "A new title"}).want(t, http.StatusOK)
		if r.str("slug") != "derived-slug" {
			t.Errorf("slug changed with the title: %q", r.str("slug"))
		}
	})
}

func TestStatuses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		future := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
		past := time.Date(2020, 2, 29, 23, 59, 58, 0, time.UTC)
		cases := []struct {
			name   string
			in     map[string]any
			status string
			pub    any // nil, "now", or an RFC 3339 string
		}{
			{"draft", map[string]any{"status": "draft"}, "draft", nil},
			{"draft with a date", map[string]any{"status": "draft", "published_at": past.Format(time.RFC3339)}, "draft", past.Format(time.RFC3339)},
			{"scheduled", map[string]any{"status": "scheduled", "published_at": future.Format(time.RFC3339)}, "scheduled", future.Format(time.RFC3339)},
			{"scheduled, time come", map[string]any{"status": "scheduled", "published_at": past.Format(time.RFC3339)}, "published", past.Format(time.RFC3339)},
			{"private", map[string]any{"status": "private"}, "private", nil},
			{"published", map[string]any{"status": "published"}, "published", "now"},
			{"published back-dated", map[string]any{"status": "published", "published_at": "2020-02-29T23:59:58Z"}, "published", "2020-02-29T23:59:58Z"},
			{"offset and fraction", map[string]any{"status": "published", "published_at": "2021-06-01T12:00:00.75-04:30"}, "published", "2021-06-01T16:30:00Z"},
			{"null date", map[string]any{"status": "draft", "published_at": nil}, "draft", nil},
		}
		for i, c := range cases {
			c.in["title"] = fmt.Sprintf("Status %d", i)
			a := e.create("author", c.in)
			for _, got := range []answer{a, e.call("GET", idPath(a), "author", nil).want(t, http.StatusOK)} {
				if got.str("status") != c.status {
					t.Errorf("%s: status %q, want %q", c.name, got.str("status"), c.status)
				}
				switch c.pub {
				case nil:
					if got.JSON["published_at"] != nil {
						t.Errorf("%s: published_at %v, want null", c.name, got.JSON["published_at"])
					}
				case "now":
					if d := time.Since(parseTime(t, got.str("published_at"))); d < -time.Minute || d > time.Minute {
						t.Errorf("%s: published_at %v, want about now", c.name, got.JSON["published_at"])
					}
				default:
					if got.str("published_at") != c.pub {
						t.Errorf("%s: published_at %v, want %v", c.name, got.JSON["published_at"], c.pub)
					}
				}
			}
		}
	})
}

func TestUpdate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.create("author", map[string]any{"title": "Before", "body": "Old *body*", "tags": []string{"one", "two"}, "excerpt": "Short."})
		path := idPath(p)

		// Title only: the rest stays.
		a := e.call("PATCH", path, "author", map[string]any{"title": "After"}).want(t, http.StatusOK)
		for k, want := range map[string]any{"title": "After", "body": "Old *body*", "slug": "before", "status": "draft", "excerpt": "Short.", "comments_open": true} {
			if a.JSON[k] != want {
				t.Errorf("%s = %#v, want %#v", k, a.JSON[k], want)
			}
		}
		if got := sortedTags(a); !reflect.DeepEqual(got, []string{"one", "two"}) {
			t.Errorf("tags = %v", got)
		}

		// Body: re-rendered.
		a = e.call("PATCH", path, "author", map[string]any{"body": "New **body**"}).want(t, http.StatusOK)
		if !strings.Contains(a.str("body_html"), "<strong>body</strong>") || a.str("body") != "New **body**" {
			t.Errorf("body %q, body_html %q", a.str("body"), a.str("body_html"))
		}

		// Tags: set, unchanged when absent or null, cleared by [].
		a = e.call("PATCH", path, "author", map[string]any{"tags": []string{"Zeta", "alpha", "Zeta"}}).want(t, http.StatusOK)
		if got := sortedTags(a); !reflect.DeepEqual(got, []string{"Zeta", "alpha"}) {
			t.Errorf("tags = %v", got)
		}
		a = e.call("PATCH", path, "author", `{"tags": null, "comments_open": false}`).want(t, http.StatusOK)
		if got := tags(a); len(got) != 2 || a.JSON["comments_open"] != false {
			t.Errorf("tags = %v, comments_open = %v", got, a.JSON["comments_open"])
		}
		a = e.call("PATCH", path, "author", `{"tags": []}`).want(t, http.StatusOK)
		if got := tags(a); got == nil || len(got) != 0 {
			t.Errorf("tags = %s, want []", a.Raw)
		}

		// Publishing sets a date; a date can be changed and cleared.
		a = e.call("PATCH", path, "author", map[string]any{"status": "published"}).want(t, http.StatusOK)
		if a.str("status") != "published" || a.JSON["published_at"] == nil {
			t.Errorf("published: %s", a.Raw)
		}
		a = e.call("PATCH", path, "author", map[string]any{"published_at": "2022-01-02T03:04:05Z"}).want(t, http.StatusOK)
		if a.str("published_at") != "2022-01-02T03:04:05Z" {
			t.Errorf("published_at = %v", a.JSON["published_at"])
		}
		a = e.call("PATCH", path, "author", `{"status": "draft", "published_at": null}`).want(t, http.StatusOK)
		if a.str("status") != "draft" || a.JSON["published_at"] != nil {
			t.Errorf("back to draft: %s", a.Raw)
		}
		// Type and slug.
		a = e.call("PATCH", path, "author", map[string]any{"type": "page", "slug": "a-page"}).want(t, http.StatusOK)
		if a.str("type") != "page" || a.str("url") != testBase+"/a-page/" {
			t.Errorf("page: %s", a.Raw)
		}

		// The merged post is validated: scheduling needs a date.
		e.call("PATCH", path, "author", map[string]any{"status": "scheduled"}).wantError(t, http.StatusBadRequest, "published_at")
		e.call("PATCH", path, "author", map[string]any{"title": ""}).wantError(t, http.StatusBadRequest, "title")

		// An empty patch changes nothing, not even updated_at.
		before := e.call("GET", path, "author", nil).want(t, http.StatusOK)
		time.Sleep(1100 * time.Millisecond)
		after := e.call("PATCH", path, "author", `{}`).want(t, http.StatusOK)
		if string(after.Raw) != string(before.Raw) {
			t.Errorf("empty patch changed the post:\n%s\n%s", before.Raw, after.Raw)
		}
		// A real one moves updated_at on.
		moved := e.call("PATCH", path, "author", map[string]any{"excerpt": "Longer."}).want(t, http.StatusOK)
		if !parseTime(t, moved.str("updated_at")).After(parseTime(t, before.str("updated_at"))) {
			t.Errorf("updated_at %s did not move past %s", moved.str("updated_at"), before.str("updated_at"))
		}
	})
}

func TestDelete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.create("author", map[string]any{"title": "Doomed", "tags": []string{"x"}})
		a := e.call("DELETE", idPath(p), "author", nil).want(t, http.StatusNoContent)
		if len(a.Raw) != 0 {
			t.Errorf("204 with a body: %s", a.Raw)
		}
		e.call("GET", idPath(p), "author", nil).wantError(t, http.StatusNotFound, "")
		e.call("DELETE", idPath(p), "author", nil).wantError(t, http.StatusNotFound, "")
		// Its slug is free again.
		if q := e.create("author", map[string]any{"title": "Doomed"}); q.str("slug") != "doomed" {
			t.Errorf("slug = %q", q.str("slug"))
		}
	})
}

func TestList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		made := []struct {
			who, typ, status string
		}{
			{"author", "post", "published"}, {"author", "post", "draft"}, {"author", "page", "published"},
			{"author2", "post", "published"}, {"author2", "post", "private"}, {"author2", "post", "scheduled"},
			{"editor", "page", "draft"}, {"editor", "post", "published"},
		}
		for i, m := range made {
			in := map[string]any{"title": fmt.Sprintf("Item %d", i), "type": m.typ, "status": m.status}
			if m.status == "scheduled" {
				in["published_at"] = future
			}
			e.create(m.who, in)
		}
		list := func(who, query string) answer {
			t.Helper()
			return e.call("GET", "/api/v1/posts"+query, who, nil).want(t, http.StatusOK)
		}
		count := func(a answer) (n int, total int) {
			ps, ok := a.JSON["posts"].([]any)
			if !ok {
				t.Fatalf("posts is not a list: %s", a.Raw)
			}
			tot, _ := a.JSON["total"].(float64)
			return len(ps), int(tot)
		}
		for _, c := range []struct {
			who, query  string
			n, total    int
			wantEachKey string // every post's key=value
		}{
			{"admin", "", 8, 8, ""},
			{"editor", "?status=all", 8, 8, ""},
			{"admin", "?type=post", 6, 6, "type=post"},
			{"admin", "?type=page", 2, 2, "type=page"},
			{"admin", "?status=published", 4, 4, "status=published"},
			{"admin", "?status=draft", 2, 2, "status=draft"},
			{"admin", "?status=private", 1, 1, "status=private"},
			{"admin", "?status=scheduled", 1, 1, "status=scheduled"},
			{"admin", "?type=post&status=published", 3, 3, ""},
			{"admin", "?limit=3", 3, 8, ""},
			{"admin", "?limit=3&offset=6", 2, 8, ""},
			{"admin", "?offset=100", 0, 8, ""},
			{"admin", "?search=item%205", 1, 1, ""},
			{"author", "", 3, 3, ""},
			{"author", "?type=post", 2, 2, ""},
			{"author2", "?status=private", 1, 1, ""},
			{"author2", "?type=page", 0, 0, ""},
		} {
			a := list(c.who, c.query)
			n, total := count(a)
			if n != c.n || total != c.total {
				t.Errorf("%s %q: %d posts of %d, want %d of %d", c.who, c.query, n, total, c.n, c.total)
			}
			for _, p := range a.JSON["posts"].([]any) {
				pm := p.(map[string]any)
				if c.wantEachKey != "" {
					k, v, _ := strings.Cut(c.wantEachKey, "=")
					if pm[k] != v {
						t.Errorf("%s %q: a post with %s=%v", c.who, c.query, k, pm[k])
					}
				}
				if strings.HasPrefix(c.who, "author") {
					if au, _ := pm["author"].(map[string]any); au["id"] != float64(e.users[c.who].ID) {
						t.Errorf("%s sees someone else's post: %v", c.who, pm)
					}
				}
				if !strings.HasPrefix(pm["url"].(string), testBase+"/") {
					t.Errorf("url = %v", pm["url"])
				}
			}
		}
		// Pages do not overlap.
		seen := map[float64]bool{}
		for off := 0; off < 8; off += 3 {
			for _, p := range list("admin", fmt.Sprintf("?limit=3&offset=%d", off)).JSON["posts"].([]any) {
				id := p.(map[string]any)["id"].(float64)
				if seen[id] {
					t.Errorf("post %v on two pages", id)
				}
				seen[id] = true
			}
		}
		if len(seen) != 8 {
			t.Errorf("paging saw %d posts, want 8", len(seen))
		}
		// An empty listing is [], not null.
		if a := list("author2", "?type=page"); !strings.Contains(string(a.Raw), `"posts":[]`) {
			t.Errorf("empty listing: %s", a.Raw)
		}
		// Bad parameters name themselves.
		for q, field := range map[string]string{
			"?limit=0": "limit", "?limit=101": "limit", "?limit=ten": "limit", "?offset=-1": "offset", "?offset=x": "offset",
			"?status=live": "status", "?type=note": "type", "?type=POST": "type", "?search=a%00b": "search",
		} {
			e.call("GET", "/api/v1/posts"+q, "admin", nil).wantError(t, http.StatusBadRequest, field)
		}
	})
}

// TestMount checks the recommended way to serve the API beside a public
// site whose patterns use wildcards at the root, which Routes cannot share
// a mux with.
func TestMount(t *testing.T) {
	h := New(Deps{})
	siteMux := http.NewServeMux()
	for _, p := range []string{"GET /{$}", "GET /{slug}/{$}", "GET /{slug}", "GET /{year}/{month}/{$}", "/"} {
		siteMux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("site")) })
	}
	top := http.NewServeMux()
	top.Handle("/api/", h.Mux())
	top.Handle("/", siteMux)
	for path, want := range map[string]int{"/api/v1/nothing": 404, "/api/": 404, "/api/v1/posts": 401, "/hello/": 200, "/": 200} {
		rec := httptest.NewRecorder()
		top.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
		if want != 200 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: Content-Type %q", path, rec.Header().Get("Content-Type"))
		}
	}
}
