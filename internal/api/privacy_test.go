package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/privacy"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// newPrivacyEnv is newEnv serving the privacy calls, with two comments of
// alice@example.org and one of bob@example.net.
func newPrivacyEnv(t *testing.T, db *sqldb.DB) (*env, *privacy.Service) {
	t.Helper()
	e := newEnv(t, db, testBase)
	svc := privacy.New(db, e.comments, e.spam)
	h := New(Deps{Accounts: account.NewStore(db), Comments: e.comments, Settings: e.settings, Privacy: svc,
		BaseURL: testBase, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/privacy/export", h.PrivacyExport)
	mux.HandleFunc("POST /api/v1/privacy/erase", h.PrivacyErase)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)

	ctx := context.Background()
	var post int64
	now := sqldb.Now()
	if err := db.WriteQueryRow(ctx, `INSERT INTO posts (type, title, slug, status, published_at, created_at, updated_at)
		VALUES ('post', 'Hello', 'hello', 'published', $1, $1, $1) RETURNING id`, now).Scan(&post); err != nil {
		t.Fatal(err)
	}
	for _, c := range []comment.Comment{
		{Author: "Alice", Email: "alice@example.org", URL: "https://alice.example", IP: "203.0.113.77", Content: "First!", Notify: true},
		{Author: "Alice", Email: "alice@example.org", IP: "203.0.113.77", Content: "Second."},
		{Author: "Bob", Email: "bob@example.net", IP: "198.51.100.9", Content: "Hi."},
	} {
		c.PostID, c.Status = post, comment.Approved
		if err := e.comments.Create(ctx, &c, 5); err != nil {
			t.Fatal(err)
		}
	}
	return e, svc
}

func TestPrivacyExport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e, svc := newPrivacyEnv(t, db)
		path := "/api/v1/privacy/export?email=" + url.QueryEscape("Alice@Example.org")
		e.call("GET", path, "", nil).want(t, http.StatusUnauthorized)
		e.call("GET", path, "not-a-token", nil).want(t, http.StatusUnauthorized)
		for _, who := range []string{"editor", "author"} {
			a := e.call("GET", path, who, nil).want(t, http.StatusForbidden)
			if strings.Contains(string(a.Raw), "alice") {
				t.Fatalf("a refusal leaks data: %s", a.Raw)
			}
		}
		e.call("GET", "/api/v1/privacy/export", "admin", nil).wantError(t, http.StatusBadRequest, "email")
		e.call("GET", "/api/v1/privacy/export?email=nope", "admin", nil).wantError(t, http.StatusBadRequest, "email")

		a := e.call("GET", path, "admin", nil).want(t, http.StatusOK)
		cs, _ := a.JSON["comments"].([]any)
		if a.str("email") != "alice@example.org" || len(cs) != 2 || !strings.Contains(string(a.Raw), `"ip":"203.0.113.77"`) ||
			strings.Contains(string(a.Raw), "bob@example.net") || a.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %s", a.Raw)
		}
		a = e.call("GET", "/api/v1/privacy/export?email=nobody@example.org", "admin", nil).want(t, http.StatusOK)
		if cs, ok := a.JSON["comments"].([]any); !ok || len(cs) != 0 {
			t.Fatalf("export of an unknown address: %s", a.Raw)
		}
		es, err := svc.Audit(context.Background(), 10)
		if err != nil || len(es) != 2 || es[0].Actor != privacy.APIUser(e.users["admin"].ID) || es[0].Action != privacy.ActionExport {
			t.Fatalf("audit: %+v %v", es, err)
		}
	})
}

func TestPrivacyErase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e, svc := newPrivacyEnv(t, db)
		const path = "/api/v1/privacy/erase"
		body := map[string]any{"email": "alice@example.org"}
		e.call("POST", path, "", body).want(t, http.StatusUnauthorized)
		e.call("POST", path, "editor", body).want(t, http.StatusForbidden)
		e.call("POST", path, "admin", map[string]any{"email": " "}).wantError(t, http.StatusBadRequest, "email")
		e.call("POST", path, "admin", map[string]any{"email": "alice"}).wantError(t, http.StatusBadRequest, "email")
		e.call("POST", path, "admin", map[string]any{"email": "alice@example.org", "mode": "shred"}).wantError(t, http.StatusBadRequest, "mode")
		e.call("POST", path, "admin", map[string]any{"email": "alice@example.org", "mode": 1}).wantError(t, http.StatusBadRequest, "mode")
		e.call("POST", path, "admin", map[string]any{"address": "alice@example.org"}).wantError(t, http.StatusBadRequest, "address")
		e.call("POST", path, "admin", `{"email": `).want(t, http.StatusBadRequest)
		e.call("POST", path, "admin", body, "Content-Type", "text/plain").want(t, http.StatusUnsupportedMediaType)
		if es, _ := svc.Audit(context.Background(), 10); len(es) != 0 {
			t.Fatalf("refused requests were logged: %+v", es)
		}

		a := e.call("POST", path, "admin", map[string]any{"email": "ALICE@example.org"}).want(t, http.StatusOK)
		if a.str("mode") != "anonymize" || a.JSON["comments"] != 2.0 || a.JSON["unsubscribed"] != 1.0 || a.str("request_id") == "" {
			t.Fatalf("erase: %s", a.Raw)
		}
		cs, _, err := e.comments.List(context.Background(), comment.Filter{})
		if err != nil || len(cs) != 3 {
			t.Fatalf("comments: %v %v", cs, err)
		}
		for _, c := range cs {
			if c.Author == "Alice" || c.Email == "alice@example.org" || (c.Author == privacy.AnonymousAuthor && (c.IP != "" || c.URL != "")) {
				t.Fatalf("after anonymising: %+v", c)
			}
		}
		a = e.call("POST", path, "admin", map[string]any{"email": "bob@example.net", "mode": "delete"}).want(t, http.StatusOK)
		if a.str("mode") != "delete" || a.JSON["comments"] != 1.0 {
			t.Fatalf("erase delete: %s", a.Raw)
		}
		if _, n, _ := e.comments.List(context.Background(), comment.Filter{}); n != 2 {
			t.Fatalf("%d comments left, want 2", n)
		}
		es, err := svc.Audit(context.Background(), 10)
		if err != nil || len(es) != 2 || es[0].Action != privacy.ActionEraseDelete || es[1].Action != privacy.ActionEraseAnonymize ||
			es[0].Actor != privacy.APIUser(e.users["admin"].ID) {
			t.Fatalf("audit: %+v %v", es, err)
		}
	})
}
