// Package web serves the public site: the home page, posts and pages, tag
// and monthly archives, search, feeds and the sitemap.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// postStore is what the public site reads of posts.
type postStore interface {
	Published(ctx context.Context, q post.Query) ([]*post.Post, int, error)
	BySlug(ctx context.Context, slug string) (*post.Post, error)
	ByID(ctx context.Context, id int64) (*post.Post, error)
	Head(ctx context.Context, id int64) (*post.Post, error)
	Adjacent(ctx context.Context, p *post.Post, now time.Time) (prev, next *post.Post, err error)
	TagBySlug(ctx context.Context, slug string) (*post.Tag, error)
	Tags(ctx context.Context, now time.Time) ([]post.Tag, error)
	Months(ctx context.Context, now time.Time) ([]post.Month, error)
	Sitemap(ctx context.Context, now time.Time) ([]post.SitemapEntry, error)
}

// settingsStore gives the current site settings.
type settingsStore interface {
	Get(ctx context.Context) (site.Settings, error)
	Secret(ctx context.Context) ([]byte, error)
}

// policySource gives the site's privacy policy.
type policySource interface {
	LoadPolicy(ctx context.Context) (privacy.Policy, error)
}

// policy is the current privacy policy, or the defaults.
func (h *Handler) policy(ctx context.Context) (privacy.Policy, error) {
	if h.Privacy == nil {
		return privacy.DefaultPolicy(), nil
	}
	return h.Privacy.LoadPolicy(ctx)
}

// sessionStore recognises logged-in writers, who may see their drafts.
type sessionStore interface {
	SessionUser(ctx context.Context, secret string) (*account.User, error)
}

// Deps are what the public site needs.
type Deps struct {
	Posts    postStore
	Settings settingsStore
	Sessions sessionStore
	Comments commentStore
	Media    mediaStore  // nil: no uploads served
	Spam     spamChecker // nil: no spam filter
	Mail     bool        // notifications can be sent (SMTP configured)
	// Markup renders the administrator's Markdown (the privacy page's own
	// text); nil: that text is not shown.
	Markup interface {
		Markdown(src string) (string, error)
	}
	// Privacy gives the retention policy (privacy page, IP truncation);
	// nil: the defaults.
	Privacy policySource
	// CommentLimit throttles comment posting per client; nil: no limit.
	CommentLimit *throttle.Limiter
	// Outbox queues the confirmation links of commenters' own privacy
	// requests (privacy_request.go), which Privacy then runs when it can
	// export and erase (a *privacy.Service); nil, or Mail false: those
	// requests go to the site's owner by hand.
	Outbox mailQueue
	// Redirects answers old addresses (a WordPress import's) with their
	// new home; nil: none.
	Redirects redirector
	BaseURL   string // from -base-url; the settings' value wins when set
	Log       *slog.Logger
	Now       func() time.Time
}

// Handler serves the public pages.
type Handler struct {
	Deps
	pages        map[string]*template.Template
	assetVersion string
	static       http.Handler
	lastToken    atomic.Pointer[signedToken] // Fill's
}

// New parses the templates once, at start-up.
func New(d Deps) (*Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	h := &Handler{Deps: d, pages: map[string]*template.Template{}}
	for name, files := range map[string][]string{"home": {"home.html"}, "list": {"list.html"}, "error": {"error.html"},
		"post": {"post.html", "comments.html"}, "privacy": {"privacy.html"}, "message": {"message.html"}, "archive": {"archive.html"},
		"privacy_request": {"privacy_request.html"}} {
		patterns := []string{"templates/layout.html"}
		for _, f := range files {
			patterns = append(patterns, "templates/"+f)
		}
		t, err := template.New(name).ParseFS(templateFS, patterns...)
		if err != nil {
			return nil, err
		}
		h.pages[name] = t
	}
	sub, _ := fs.Sub(staticFS, "static")
	sum := sha256.New()
	fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, path)
			sum.Write(b)
		}
		return nil
	})
	h.assetVersion = hex.EncodeToString(sum.Sum(nil))[:12]
	h.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	return h, nil
}

// page is what every public template receives.
type page struct {
	Site         site.Settings
	Base         string
	Title        string
	OGTitle      string
	OGType       string
	Description  string
	Canonical    string
	Robots       string
	JSONLD       any
	Alternates   []alternate
	Nav          []navLink
	Query        string
	AssetVersion string
	Data         any
	// CacheTags name what the page shows; a page without tags is never
	// cached. See Cache tags in cache.go.
	CacheTags []string
}

type alternate struct{ Type, Title, Href string }

type navLink struct{ Title, URL string }

// base is the absolute URL of the site without a trailing slash.
func (h *Handler) base(r *http.Request, st site.Settings) string { return st.Base(r, h.BaseURL) }

// newPage fills what every page shows.
func (h *Handler) newPage(r *http.Request, st site.Settings, title string) *page {
	b := h.base(r, st)
	p := &page{Site: st, Base: b, Title: title, OGTitle: title, OGType: "website", Description: st.Tagline,
		Canonical: b + r.URL.EscapedPath(), AssetVersion: h.assetVersion}
	if title == "" {
		p.Title, p.OGTitle = st.Title, st.Title
	} else {
		p.Title = title + " – " + st.Title
	}
	if pages, _, err := h.Posts.Published(r.Context(), post.Query{Type: post.TypePage, Limit: 8, Now: h.Now(), NoTotal: true}); err == nil {
		for _, pg := range pages {
			p.Nav = append(p.Nav, navLink{Title: pg.Title, URL: b + postPath(pg)})
		}
	}
	return p
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.Log.Error("render", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	h.emit(w, r, status, "text/html; charset=utf-8", buf.Bytes(), p.CacheTags)
}

type errorData struct {
	Status  int
	Heading string
	Message string
}

// fail is the public site's one place where errors become pages.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := errs.Status(err)
	if status == http.StatusNotFound && h.redirect(w, r) {
		return
	}
	if status >= 500 {
		h.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	d := errorData{Status: status, Heading: http.StatusText(status), Message: errs.Message(err)}
	switch status {
	case http.StatusNotFound:
		d.Heading, d.Message = "Page not found", "There is nothing at this address. It may have moved, or the link may be mistyped."
	case http.StatusTooManyRequests:
		d.Heading = "Please slow down"
	}
	errs.SetHeaders(w.Header(), err)
	st, serr := h.Settings.Get(r.Context())
	if serr != nil {
		st = site.Defaults()
	}
	p := h.newPage(r, st, d.Heading)
	p.Robots = "noindex"
	p.Data = d
	h.render(w, r, status, "error", p)
}

// redirector knows where old addresses went.
type redirector interface {
	// Redirect returns the path or URL that replaces r's address, if any.
	Redirect(ctx context.Context, r *http.Request) (string, bool, error)
}

// NotFound answers every unknown address: with a 301 when it is an old
// address we know the new home of, else with the themed 404 page.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, errs.E(errs.NotFound, "page not found"))
}

// redirect answers with a 301 when r's address is an old one whose new
// home is known, and reports whether it did.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request) bool {
	if h.Redirects == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	to, ok, err := h.Redirects.Redirect(r.Context(), r)
	if err != nil {
		h.Log.Error("redirect lookup", "path", r.URL.Path, "err", err)
		return false
	}
	if ok {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	}
	return ok
}

// viewer returns the logged-in writer, or nil for anonymous readers; the
// database is consulted only when a session cookie is present.
func (h *Handler) viewer(r *http.Request) *account.User {
	c, err := r.Cookie(account.SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	u, err := h.Sessions.SessionUser(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return u
}
