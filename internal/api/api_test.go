package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
)

// testBase is the -base-url of the test servers, unless a test clears it.
const testBase = "https://blog.example"

// env is an API server on a real database with one user of each role.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	db       *sqldb.DB
	settings *site.Store
	comments *comment.Store // its Learner is spam
	spam     *spam.Store
	users    map[string]*account.User // admin, editor, author, author2
	tokens   map[string]string
	h        *Handler
}

func newEnv(t *testing.T, db *sqldb.DB, baseURL string) *env {
	t.Helper()
	ctx := context.Background()
	accounts := account.NewStore(db)
	e := &env{t: t, db: db, settings: site.NewStore(db), users: map[string]*account.User{}, tokens: map[string]string{}}
	render := markup.New(markup.Options{})
	e.comments, e.spam = comment.NewStore(db, render), spam.NewStore(db)
	e.comments.Learner = e.spam
	for _, who := range []struct {
		key  string
		role account.Role
		name string
	}{{"admin", account.Admin, "Ada Admin"}, {"editor", account.Editor, "Eddie Editor"}, {"author", account.Author, "Ann Author"}, {"author2", account.Author, "Bob Author"}} {
		u, err := accounts.Create(ctx, who.key+"@example.org", who.name, who.role, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := accounts.CreateToken(ctx, u.ID, "test "+who.key)
		if err != nil {
			t.Fatal(err)
		}
		e.users[who.key], e.tokens[who.key] = u, tok
	}
	h := New(Deps{
		Accounts: accounts,
		Posts:    post.NewStore(db, render),
		Comments: e.comments,
		Settings: e.settings,
		BaseURL:  baseURL,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	e.h = h
	mux := http.NewServeMux()
	h.Routes(mux)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// answer is a response, its body read and, when JSON, decoded.
type answer struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

func (a answer) str(key string) string { s, _ := a.JSON[key].(string); return s }

// call sends body (a string, sent as is, or anything else, as JSON) as the
// user named by who ("" for no token; anything not a user is sent as the
// token itself).
func (e *env) call(method, path, who string, body any, hdr ...string) answer {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = strings.NewReader(string(j))
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		tok, ok := e.tokens[who]
		if !ok {
			tok = who
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	a := answer{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			e.t.Fatalf("%s %s: Content-Type %q, body %s", method, path, ct, raw)
		}
		if err := json.Unmarshal(raw, &a.JSON); err != nil {
			e.t.Fatalf("%s %s: answer is not a JSON object: %v: %s", method, path, err, raw)
		}
	}
	return a
}

// want fails the test unless a has status.
func (a answer) want(t *testing.T, status int) answer {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Raw)
	}
	return a
}

// wantError checks an error answer: status, a message, and the field.
func (a answer) wantError(t *testing.T, status int, field string) answer {
	t.Helper()
	a.want(t, status)
	if a.str("error") == "" {
		t.Fatalf("no error message: %s", a.Raw)
	}
	if got := a.str("field"); got != field {
		t.Fatalf("field %q, want %q: %s", got, field, a.Raw)
	}
	return a
}

// create posts p as who and returns the created post.
func (e *env) create(who string, p map[string]any) answer {
	e.t.Helper()
	return e.call("POST", "/api/v1/posts", who, p).want(e.t, http.StatusCreated)
}

// idPath is the API address of the post in a.
func idPath(a answer) string { return fmt.Sprintf("/api/v1/posts/%d", a.id()) }

func (a answer) id() int64 { f, _ := a.JSON["id"].(float64); return int64(f) }

func tags(a answer) []string {
	var out []string
	raw, ok := a.JSON["tags"].([]any)
	if !ok {
		return nil // null or absent: callers compare with a non-nil slice
	}
	out = []string{}
	for _, t := range raw {
		out = append(out, t.(string))
	}
	return out
}

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("not RFC 3339: %q", s)
	}
	return tm
}

// sortedTags is tags in byte order: the store sorts by name in the
// database's collation, which differs between SQLite and PostgreSQL.
func sortedTags(a answer) []string {
	ts := tags(a)
	slices.Sort(ts)
	return ts
}
