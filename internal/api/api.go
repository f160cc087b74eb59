// Package api serves the JSON API under /api/v1/: posts, pages and their
// comments. Every answer is JSON, errors included, and every call
// needs an API token (Authorization: Bearer TOKEN) whose user's role decides
// what it may do.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

// tokenStore recognises API tokens and the users posts may be credited to.
type tokenStore interface {
	TokenUser(ctx context.Context, secret string) (*account.User, error)
	ByID(ctx context.Context, id int64) (*account.User, error)
}

// postStore is what the API reads and writes of posts.
type postStore interface {
	Create(ctx context.Context, p *post.Post) error
	Update(ctx context.Context, p *post.Post) error
	ByID(ctx context.Context, id int64) (*post.Post, error)
	List(ctx context.Context, f post.Filter) ([]*post.Post, int, error)
	Delete(ctx context.Context, id int64) error
}

// commentStore is what the API reads and writes of comments. Update
// teaches the spam filter attached to the store when a status change is a
// moderator's verdict.
type commentStore interface {
	List(ctx context.Context, f comment.Filter) ([]*comment.Comment, int, error)
	ByID(ctx context.Context, id int64) (*comment.Comment, error)
	Create(ctx context.Context, c *comment.Comment, maxDepth int) error
	Update(ctx context.Context, id int64, ch comment.Change) (*comment.Comment, error)
	Delete(ctx context.Context, ids []int64) (int, error)
}

// settingsStore gives the current site settings, for absolute URLs and the
// discussion rules.
type settingsStore interface {
	Get(ctx context.Context) (site.Settings, error)
}

// Deps are what the API needs.
type Deps struct {
	Accounts tokenStore
	Posts    postStore
	Comments commentStore
	Settings settingsStore
	BaseURL  string // from -base-url; the settings' value wins when set
	Log      *slog.Logger
	Privacy  privacyService // exports and erasures of commenters' data
	// TokenFailures throttles clients presenting bad tokens; nil: no limit.
	TokenFailures *throttle.Limiter
	Now           func() time.Time
}

// Handler serves the JSON API.
type Handler struct {
	Deps
}

// New returns a Handler, filling in a default logger and clock.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Handler{Deps: d}
}

// errorJSON is the body of every error answer.
type errorJSON struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// reply writes v as JSON with status. It encodes into a buffer first, so
// that an encoding failure becomes a clean 500 rather than half a body.
func (h *Handler) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // body_html reads better unescaped; the type is JSON, not HTML
	if err := enc.Encode(v); err != nil {
		h.Log.Error("api: encode", "method", r.Method, "path", r.URL.Path, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"Something went wrong on our side. Please try again."}` + "\n")
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errUnsupportedMedia is the one failure errs has no kind for: a body sent
// as something other than JSON.
var errUnsupportedMedia = errors.New("unsupported media type")

// fail is the API's one place where errors become answers; the status comes
// from errs.Status, the message from errs.Message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errUnsupportedMedia) {
		h.reply(w, r, http.StatusUnsupportedMediaType, errorJSON{Error: "the request body must be JSON: send it with Content-Type: application/json"})
		return
	}
	status := errs.Status(err)
	if status >= 500 {
		h.Log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	errs.SetHeaders(w.Header(), err)
	body := errorJSON{Error: errs.Message(err)}
	var e *errs.Error
	if errors.As(err, &e) && e.Kind != errs.Internal {
		body.Field = e.Field
	}
	h.reply(w, r, status, body)
}

// user returns the user the request's API token acts as.
// A client that keeps presenting bad tokens is answered 429; a valid token
// is never throttled. (Tokens carry 256 bits, so this guards the server's
// time and logs, not the tokens: guessing one is hopeless either way.)
func (h *Handler) user(r *http.Request) (*account.User, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	var u *account.User
	err := errs.E(errs.Unauthorized, "an API token is required: send the header Authorization: Bearer TOKEN")
	if ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) != "" {
		u, err = h.Accounts.TokenUser(r.Context(), strings.TrimSpace(token))
	}
	if errs.Is(err, errs.Unauthorized) {
		client := throttle.ClientKey(middleware.ClientIP(r))
		if blocked, wait := h.TokenFailures.Blocked(client); blocked {
			return nil, errs.Throttled(wait, "too many requests with a bad API token: try again in %s", wait.Round(time.Second))
		}
		h.TokenFailures.Allow(client)
	}
	return u, err
}

// authenticate is user for handlers: on failure it has answered, and
// returns nil.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) *account.User {
	u, err := h.user(r)
	if err != nil {
		h.fail(w, r, err)
		return nil
	}
	return u
}

// base is the site's absolute address without a trailing slash.
func (h *Handler) base(r *http.Request) (string, error) {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		return "", err
	}
	return st.Base(r, h.BaseURL), nil
}
