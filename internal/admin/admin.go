// Package admin serves the writers' and administrators' pages under
// /admin/: login, the dashboard, posts and pages with a live preview, image
// uploads, comment moderation, site and discussion settings, users, API
// tokens, Akismet API keys, commenters' data (privacy policy, export,
// erasure, audit), one's own account, and "Lost your password?" by e-mail.
//
// Cross-site form posts are refused by the http.CrossOriginProtection the
// whole server sits behind; every page here needs a login session, except
// the login form and the lost-password pages.
package admin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"marquee/internal/account"
	"marquee/internal/akismet"
	"marquee/internal/comment"
	"marquee/internal/media"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// accountStore is what the admin needs of users, sessions and tokens.
type accountStore interface {
	Authenticate(ctx context.Context, email, pw string) (*account.User, error)
	Login(ctx context.Context, email, pw, ip string) (*account.User, error)
	ByEmail(ctx context.Context, email string) (*account.User, error)
	CreateReset(ctx context.Context, userID int64, now time.Time) (string, error)
	ResetUser(ctx context.Context, secret string, now time.Time) (*account.User, error)
	ResetPassword(ctx context.Context, secret, pw string, now time.Time) (*account.User, error)
	CreateSession(ctx context.Context, userID int64) (string, error)
	SessionUser(ctx context.Context, secret string) (*account.User, error)
	DeleteSession(ctx context.Context, secret string) error
	SetPassword(ctx context.Context, id int64, pw string) error
	Create(ctx context.Context, email, name string, role account.Role, password string) (*account.User, error)
	ByID(ctx context.Context, id int64) (*account.User, error)
	List(ctx context.Context) ([]*account.User, error)
	Update(ctx context.Context, id int64, name string, role account.Role) error
	Delete(ctx context.Context, id int64) error
	Tokens(ctx context.Context) ([]account.Token, error)
	CreateToken(ctx context.Context, userID int64, name string) (string, error)
	RevokeToken(ctx context.Context, id int64) error
}

// postStore is what the admin needs of posts and pages.
type postStore interface {
	Create(ctx context.Context, p *post.Post) error
	Update(ctx context.Context, p *post.Post) error
	ByID(ctx context.Context, id int64) (*post.Post, error)
	List(ctx context.Context, f post.Filter) ([]*post.Post, int, error)
	Delete(ctx context.Context, id int64) error
	Count(ctx context.Context, typ post.Type) (map[post.Status]int, error)
}

// settingsStore reads and writes the site settings.
type settingsStore interface {
	Get(ctx context.Context) (site.Settings, error)
	Save(ctx context.Context, st site.Settings) error
}

// mediaStore keeps uploaded images.
type mediaStore interface {
	Upload(ctx context.Context, uploaderID int64, filename string, r io.Reader) (*media.Media, error)
	ByID(ctx context.Context, id int64) (*media.Media, error)
	List(ctx context.Context, limit, offset int) ([]*media.Media, int, error)
	Delete(ctx context.Context, id int64) error
}

// commentStore is what the admin needs of comments: the moderation queue,
// editing, bulk moderation and replies. The store teaches the spam filter
// on every status change itself.
type commentStore interface {
	List(ctx context.Context, f comment.Filter) ([]*comment.Comment, int, error)
	Counts(ctx context.Context) (map[comment.Status]int, error)
	ByID(ctx context.Context, id int64) (*comment.Comment, error)
	Update(ctx context.Context, id int64, ch comment.Change) (*comment.Comment, error)
	SetStatus(ctx context.Context, ids []int64, status comment.Status) ([]*comment.Comment, error)
	Delete(ctx context.Context, ids []int64) (int, error)
	Purge(ctx context.Context, status comment.Status, cutoff time.Time) (int, error)
	Create(ctx context.Context, c *comment.Comment, maxDepth int) error
}

// akismetKeys manages the keys of the Akismet API and reads their usage.
type akismetKeys interface {
	AddKey(ctx context.Context, blog string) (string, *akismet.Key, error)
	Keys(ctx context.Context, month string) ([]*akismet.Key, error)
	RevokeID(ctx context.Context, id int64) (*akismet.Key, error)
	Sites(ctx context.Context, keyID int64, q akismet.SitesQuery) ([]akismet.SiteUsage, int, error)
}

// privacyService is what the admin needs of commenters' data: the policy,
// export, erasure and the audit trail.
type privacyService interface {
	LoadPolicy(ctx context.Context) (privacy.Policy, error)
	SavePolicy(ctx context.Context, p privacy.Policy) error
	Export(ctx context.Context, email string, actor privacy.Actor) (*privacy.Document, error)
	Count(ctx context.Context, email string) (string, privacy.Counts, error)
	Erase(ctx context.Context, email string, mode privacy.Mode, actor privacy.Actor) (privacy.Result, error)
	Audit(ctx context.Context, limit int) ([]privacy.AuditEntry, error)
}

// renderer turns a body into sanitised HTML for the preview, as saving does.
type renderer interface {
	Markdown(src string) (string, error)
	HTML(src string) string
}

// Deps are what the admin needs.
type Deps struct {
	Accounts accountStore
	Posts    postStore
	Settings settingsStore
	Media    mediaStore
	Comments commentStore
	Renderer renderer
	Akismet  akismetKeys    // nil: no Akismet keys screen
	Privacy  privacyService // nil: no privacy screen
	// Mail says that mail can be sent (SMTP configured); with Outbox, which
	// queues it, and the site's address configured, writers who lost their
	// password may ask for a link (password_forgot.go).
	Mail   bool
	Outbox mailQueue
	// ForgotLimit throttles lost-password requests per client and per
	// address; nil: forgotBurst, then one per forgotEvery.
	ForgotLimit *throttle.Limiter
	BaseURL     string // from -base-url; the settings' value wins when set
	Log         *slog.Logger
	Now         func() time.Time
}

// Handler serves the admin pages.
type Handler struct {
	Deps
	pages        map[string]*template.Template
	assetVersion string
	static       http.Handler
}

// pageNames are the templates, each parsed with the layout.
var pageNames = []string{
	"login", "dashboard", "posts", "post_form", "confirm", "media", "settings",
	"users", "account", "tokens", "secret", "error", "comments", "comment_form",
	"akismet", "privacy", "password_forgot", "password_reset",
}

// New parses the templates once, at start-up.
func New(d Deps) (*Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.ForgotLimit == nil {
		d.ForgotLimit = throttle.New(forgotEvery, forgotBurst).WithClock(d.Now)
	}
	h := &Handler{Deps: d, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		h.pages[name] = t
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, path)
			sum.Write(b)
		}
		return nil
	})
	h.assetVersion = hex.EncodeToString(sum.Sum(nil))[:12]
	h.static = http.StripPrefix("/admin/static/", http.FileServerFS(sub))
	return h, nil
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// label shows a stored value (a status, a role) as a word in a sentence
	// starts: "published" → "Published".
	"label": func(v any) string {
		s := fmt.Sprint(v)
		r, n := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[n:]
	},
}

// page is what every admin template receives.
type page struct {
	Title        string
	User         *account.User
	Site         site.Settings
	SiteURL      string
	Section      string // highlights the navigation entry
	Pending      int    // comments awaiting moderation, for moderators
	AkismetOn    bool   // the Akismet keys screen exists
	PrivacyOn    bool   // the privacy screen exists
	ForgotOn     bool   // "Lost your password?" is offered
	Flash        string
	Error        string
	AssetVersion string
	Data         any
}

// newPage fills what every page shows. u is nil on the login page.
func (h *Handler) newPage(r *http.Request, u *account.User, title, section string) *page {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		st = site.Defaults()
	}
	p := &page{Title: title, User: u, Site: st, SiteURL: st.Base(r, h.BaseURL) + "/", Section: section,
		Flash: flashes[r.URL.Query().Get("flash")], AssetVersion: h.assetVersion,
		AkismetOn: h.Akismet != nil, PrivacyOn: h.Privacy != nil}
	_, p.ForgotOn = h.resetBase(st)
	if p.Flash == "" {
		p.Flash = countFlash(r.URL.Query())
	}
	if p.Flash == "" {
		p.Flash = eraseFlash(r.URL.Query())
	}
	if u.CanModerate() && h.Comments != nil {
		if m, err := h.Comments.Counts(r.Context()); err == nil {
			p.Pending = m[comment.Pending]
		}
	}
	return p
}

// flashes are the messages shown after a redirect, chosen by key so that no
// one can make the page say what they want.
var flashes = map[string]string{
	"created":       "Saved. Your post has been created.",
	"saved":         "Your changes have been saved.",
	"deleted":       "Deleted.",
	"settings":      "Settings saved.",
	"user-added":    "The user has been added.",
	"role":          "The role has been changed.",
	"user-deleted":  "The user has been deleted.",
	"password":      "Your password has been changed. Every other session has been logged out.",
	"profile":       "Your name has been saved.",
	"revoked":       "The token has been revoked; programs using it can no longer connect.",
	"uploaded":      "The image has been uploaded.",
	"logged-out":    "You have been logged out.",
	"reset":         "Your password has been changed, and every session of your account logged out. Log in with the new password.",
	"comment-saved": "The comment has been saved.",
	"replied":       "Your reply has been published.",
	"no-selection":  "Select at least one comment first.",
	"no-action":     "Choose what to do with the selected comments first.",
	"key-revoked":   "The key has been revoked; calls with it are answered “invalid” from now on.",
	"privacy":       "The privacy policy has been saved.",
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
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
