package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/app"
)

// newApp is a full site on a fresh SQLite file behind a test server.
func newApp(t *testing.T, cfg app.Config) (*app.App, *httptest.Server) {
	t.Helper()
	if cfg.DB == "" {
		cfg.DB = filepath.Join(t.TempDir(), "site.db")
	}
	a, err := app.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return a, srv
}

// TestLoginBackoffOverHTTP: guessing an admin's password gets a 429 with
// Retry-After and a page that says to wait.
func TestLoginBackoffOverHTTP(t *testing.T) {
	a, srv := newApp(t, app.Config{AdminEmail: "boss@example.org", AdminPassword: "the-real-password"})
	if err := a.FirstRun(context.Background(), &strings.Builder{}, srv.URL); err != nil {
		t.Fatal(err)
	}
	login := func(pw string) *http.Response {
		res, err := http.PostForm(srv.URL+"/admin/login", url.Values{"email": {"boss@example.org"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := range 6 {
		if res := login("guess"); res.StatusCode != 401 {
			t.Fatalf("guess %d: %d", i+1, res.StatusCode)
		}
	}
	res := login("the-real-password")
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after six wrong passwords: %d Retry-After=%q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
