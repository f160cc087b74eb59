package akismet

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"marquee/internal/spam"
	"marquee/internal/sqldb"
)

// env is a running API on a real database with one key.
type env struct {
	t    testing.TB
	db   *sqldb.DB
	keys *Store
	h    *Handler
	srv  *httptest.Server
	key  string
	k    *Key
}

func newEnv(t testing.TB, db *sqldb.DB, cfg Config) *env {
	t.Helper()
	keys := NewStore(db)
	t.Cleanup(func() { keys.Close(context.Background()) }) // runs before the database closes
	h := New(Deps{Keys: keys, Models: spam.NewStore(db), Config: cfg})
	srv := httptest.NewServer(h.Standalone())
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, keys: keys, h: h, srv: srv}
	e.key, e.k = e.addKey("https://blog.example.org/")
	return e
}

func (e *env) addKey(blog string) (string, *Key) {
	e.t.Helper()
	key, k, err := e.keys.AddKey(context.Background(), blog)
	if err != nil {
		e.t.Fatal(err)
	}
	return key, k
}

// answer is a response with its body read.
type answer struct {
	status int
	body   string
	hdr    http.Header
}

func (a answer) help() string { return a.hdr.Get("X-akismet-debug-help") }

// do sends a request; host, when set, replaces the Host header.
func (e *env) do(method, path, host, contentType string, body io.Reader) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{resp.StatusCode, string(b), resp.Header}
}

// post sends form as application/x-www-form-urlencoded.
func (e *env) post(path string, form url.Values) answer {
	e.t.Helper()
	return e.do("POST", path, "", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// comment is a form for comment-check and the submits, with e's key.
func (e *env) comment(kv ...string) url.Values {
	f := url.Values{
		"api_key":    {e.key},
		"blog":       {"https://blog.example.org/"},
		"user_ip":    {"203.0.113.7"},
		"user_agent": {"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
		"permalink":  {"https://blog.example.org/2024/05/sourdough/"},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// hamText is an ordinary on-topic comment.
const hamText = "Thanks for the detailed write-up on sourdough starters. I tried feeding mine twice a day " +
	"as you suggested and the loaf rose much better this weekend. Did you ever try rye flour?"

func expect(t testing.TB, a answer, status int, body string) {
	t.Helper()
	if a.status != status || a.body != body {
		t.Fatalf("got %d %q (debug help %q), want %d %q", a.status, a.body, a.help(), status, body)
	}
}

func expectText(t testing.TB, a answer) {
	t.Helper()
	if ct := a.hdr.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Fatalf("Content-Type %q, want text/plain; charset=utf-8", ct)
	}
}

func expectInvalid(t testing.TB, a answer, status int, helpHas string) {
	t.Helper()
	expect(t, a, status, "invalid")
	expectText(t, a)
	if !strings.Contains(a.help(), helpHas) {
		t.Fatalf("X-akismet-debug-help %q, want it to contain %q", a.help(), helpHas)
	}
}

var month = Month(time.Now())
