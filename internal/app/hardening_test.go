package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
)

// dsns are the databases the hardening tests run on: SQLite, and
// PostgreSQL when MARQUEE_TEST_POSTGRES is set.
func dsns(t *testing.T) map[string]string {
	m := map[string]string{"sqlite": ""}
	if base := os.Getenv(sqldbtest.EnvPostgres); base != "" {
		m["postgres"] = sqldbtest.PostgresSchema(t, base)
	}
	return m
}

// forge posts a form as the logged-in admin, with the headers a browser
// sends for the given origin.
func forge(t *testing.T, s *xsite, host, path, origin, fetchSite string, form url.Values) int {
	t.Helper()
	req, err := http.NewRequest("POST", s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if host != "" {
		req.Host = host
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	res, err := s.admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// writes are the state-changing requests a forged page would aim at.
func writes(t *testing.T, s *xsite) []struct {
	path string
	form url.Values
} {
	ctx := context.Background()
	p := &post.Post{Title: "Target", Body: "x", Status: post.Published, CommentsOpen: true, AuthorID: s.userID}
	if err := s.a.Posts.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &comment.Comment{PostID: p.ID, Author: "Ann", Email: "ann@example.org", Content: "Hello", ContentHTML: "<p>Hello</p>",
		Status: comment.Pending, IP: "192.0.2.1"}
	if err := s.a.Comments.Create(ctx, c, 5); err != nil {
		t.Fatal(err)
	}
	return []struct {
		path string
		form url.Values
	}{
		{"/admin/posts", url.Values{"type": {"post"}, "title": {"Forged"}, "body": {"pwned"}, "status": {"published"}}},
		{"/admin/settings", url.Values{"title": {"Forged title"}}},
		{"/admin/comments/bulk", url.Values{"action": {"approve"}, "ids": {strconv.FormatInt(c.ID, 10)}}},
		{"/comments", url.Values{"post_id": {strconv.FormatInt(p.ID, 10)}, "author": {"Eve"}, "email": {"eve@example.org"},
			"comment": {"Forged reply"}}},
	}
}

// TestCrossSiteWritesRefused: a page on another site cannot make a
// logged-in admin's browser change anything; the same origin can.
func TestCrossSiteWritesRefused(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			s := newXSite(t, dsn, app.Config{})
			s.login()
			ws := writes(t, s)
			for _, w := range ws {
				for _, h := range []struct{ origin, site string }{
					{"https://evil.example", "cross-site"},
					{"https://evil.example", ""}, // an older browser: Origin only
					{"", "cross-site"},
					{"null", "cross-site"},
					{"http://" + strings.TrimPrefix(s.base, "http://") + ".evil.example", "same-site"},
				} {
					if got := forge(t, s, "", w.path, h.origin, h.site, w.form); got != http.StatusForbidden {
						t.Errorf("POST %s with Origin %q, Sec-Fetch-Site %q: %d, want 403", w.path, h.origin, h.site, got)
					}
				}
			}
			// Nothing changed.
			ctx := context.Background()
			if st, _ := s.a.Settings.Get(ctx); st.Title == "Forged title" {
				t.Error("a forged request changed the settings")
			}
			if ps, _, _ := s.a.Posts.List(ctx, post.Filter{Type: post.TypePost, Limit: 100}); len(ps) != 1 {
				t.Errorf("after forged requests the site has %d posts, want 1", len(ps))
			}
			// The same origin works.
			for _, w := range ws {
				got := forge(t, s, "", w.path, s.base, "same-origin", w.form)
				if got == http.StatusForbidden || got >= 500 {
					t.Errorf("same-origin POST %s: %d", w.path, got)
				}
				if w.path == "/admin/posts" && got != http.StatusSeeOther {
					t.Errorf("same-origin POST /admin/posts: %d, want 303 (created)", got)
				}
			}
		})
	}
}

// TestCrossSiteBehindProxy: behind a reverse proxy that rewrites Host, the
// browser's Origin is the public base URL; it is accepted, another is not.
func TestCrossSiteBehindProxy(t *testing.T) {
	s := newXSite(t, "", app.Config{BaseURL: "https://blog.example"})
	s.login()
	for _, w := range writes(t, s) {
		if got := forge(t, s, "internal:8080", w.path, "https://blog.example", "same-origin", w.form); got == http.StatusForbidden || got >= 500 {
			t.Errorf("proxied same-origin POST %s: %d", w.path, got)
		}
		if got := forge(t, s, "internal:8080", w.path, "https://evil.example", "cross-site", w.form); got != http.StatusForbidden {
			t.Errorf("proxied cross-site POST %s: %d, want 403", w.path, got)
		}
		if got := forge(t, s, "internal:8080", w.path, "http://blog.example", "", w.form); got != http.StatusForbidden {
			t.Errorf("proxied POST %s from http://blog.example (not the base URL's scheme): %d, want 403", w.path, got)
		}
	}
}

// TestSecurityHeaders: every kind of response carries the headers.
func TestSecurityHeaders(t *testing.T) {
	for _, base := range []string{"", "http://blog.example", "https://blog.example"} {
		t.Run(fmt.Sprintf("base=%q", base), func(t *testing.T) {
			s := newXSite(t, "", app.Config{BaseURL: base})
			s.login()
			ctx := context.Background()
			p := &post.Post{Title: "Hello", Body: "x", Status: post.Published, AuthorID: s.userID}
			if err := s.a.Posts.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			type probe struct {
				what   string
				method string
				path   string
				admin  bool
				api    bool
			}
			probes := []probe{
				{"page", "GET", "/" + p.Slug + "/", false, false},
				{"home", "GET", "/", false, false},
				{"404", "GET", "/no-such-thing/", false, false},
				{"redirect", "GET", "/" + p.Slug, false, false},
				{"feed", "GET", "/feed/", false, false},
				{"atom", "GET", "/feed/atom/", false, false},
				{"sitemap", "GET", "/sitemap.xml", false, false},
				{"robots", "GET", "/robots.txt", false, false},
				{"static", "GET", "/static/style.css", false, false},
				{"healthz", "GET", "/healthz", false, false},
				{"API JSON", "GET", "/api/v1/posts", false, true},
				{"API 401", "GET", "/api/v1/posts", false, false},
				{"API 404", "GET", "/api/v1/nothing", false, true},
				{"admin login", "GET", "/admin/login", false, false},
				{"admin redirect", "GET", "/admin/posts", false, false},
				{"admin", "GET", "/admin/posts", true, false},
				{"admin static", "GET", "/admin/static/admin.css", true, false},
				{"admin 404", "GET", "/admin/nothing", true, false},
				{"method not allowed", "DELETE", "/feed/", false, false},
				{"forbidden POST", "POST", "/admin/settings", true, false},
				{"akismet", "POST", "/1.1/verify-key", false, false},
			}
			for _, pr := range probes {
				req, _ := http.NewRequest(pr.method, s.base+pr.path, nil)
				if pr.api {
					req.Header.Set("Authorization", "Bearer "+s.token)
				}
				if pr.what == "forbidden POST" {
					req.Header.Set("Sec-Fetch-Site", "cross-site")
				}
				c := s.anon
				if pr.admin {
					c = s.admin
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				h := res.Header
				where := fmt.Sprintf("%s (%s %s → %d)", pr.what, pr.method, pr.path, res.StatusCode)
				csp := h.Get("Content-Security-Policy")
				if csp == "" {
					t.Errorf("%s: no Content-Security-Policy", where)
				} else {
					dirs := map[string]string{}
					for _, d := range strings.Split(csp, ";") {
						name, val, _ := strings.Cut(strings.TrimSpace(d), " ")
						dirs[name] = val
					}
					if dirs["frame-ancestors"] != "'none'" {
						t.Errorf("%s: CSP frame-ancestors %q, want 'none'", where, dirs["frame-ancestors"])
					}
					script, ok := dirs["script-src"]
					if !ok {
						script = dirs["default-src"]
					}
					if script == "" || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") ||
						strings.Contains(script, "*") || strings.Contains(script, "data:") {
						t.Errorf("%s: CSP script-src %q lets inline or foreign script run", where, script)
					}
					if obj := dirs["object-src"]; obj != "'none'" {
						t.Errorf("%s: CSP object-src %q, want 'none'", where, obj)
					}
				}
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s: X-Content-Type-Options %q", where, got)
				}
				if got := h.Get("Referrer-Policy"); got == "" || got == "unsafe-url" || got == "no-referrer-when-downgrade" {
					t.Errorf("%s: Referrer-Policy %q", where, got)
				}
				hsts := h.Get("Strict-Transport-Security")
				if https := strings.HasPrefix(base, "https://"); https && !strings.Contains(hsts, "max-age=") {
					t.Errorf("%s: no HSTS with an https base URL", where)
				} else if !https && hsts != "" {
					t.Errorf("%s: HSTS %q without an https base URL", where, hsts)
				}
			}
		})
	}
}
