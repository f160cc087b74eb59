package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/admin"
	"marquee/internal/akismet"
	"marquee/internal/api"
	"marquee/internal/change"
	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/media"
	"marquee/internal/middleware"
	"marquee/internal/notify"
	"marquee/internal/pagecache"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/throttle"
	"marquee/internal/web"
	"marquee/internal/wordpress"
)

// App is a running Marquee: its database, stores and HTTP handler.
type App struct {
	Config      Config
	Log         *slog.Logger
	DB          *sqldb.DB
	Markup      *markup.Renderer
	Accounts    *account.Store
	Posts       *post.Store
	Settings    *site.Store
	Comments    *comment.Store
	Web         *web.Handler
	API         *api.Handler
	Admin       *admin.Handler
	Media       *media.Store
	Spam        *spam.Store
	Outbox      *notify.Outbox
	Cache       *pagecache.Cache
	Changes     *change.Feed
	Privacy     *privacy.Service
	AkismetKeys *akismet.Store
	Akismet     *akismet.Handler
	Mailer      *notify.Mailer // nil when no SMTP server is configured
	handler     http.Handler
	now         func() time.Time
}

// Open connects to the database and builds the stores; it serves nothing.
// Commands that only touch data (token, user, import) stop here.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := sqldb.Open(ctx, cfg.DB, log)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db, now: time.Now}
	a.Markup = markup.New(markup.Options{ReservedID: web.PageID})
	a.Accounts = account.NewStore(db)
	a.Posts = post.NewStore(db, a.Markup)
	a.Settings = site.NewStore(db)
	a.Comments = comment.NewStore(db, a.Markup)
	a.Media = media.NewStore(db)
	a.Spam = spam.NewStore(db)
	a.Comments.Learner = a.Spam
	a.AkismetKeys = akismet.NewStore(db)
	a.Outbox = notify.NewOutbox(db)
	a.Privacy = privacy.New(db, a.Comments, a.Spam)
	a.Privacy.Outbox = a.Outbox
	a.Privacy.Log = log
	a.Privacy.Changed = func(ctx context.Context) { a.invalidate(ctx, web.TagSite) }
	if a.Mailer, err = notify.ParseURL(cfg.SMTPURL); err != nil {
		db.Close()
		return nil, err
	}
	a.Changes = change.New(db)
	a.Posts.Changed = a.postsChanged
	watchers := comment.Watchers{cacheWatcher{a}}
	if a.Mailer != nil {
		watchers = append(watchers, &notify.Notifier{Outbox: a.Outbox, Posts: a.Posts, Comments: a.Comments, Users: a.Accounts,
			Secret: a.Settings.Secret, Base: a.base, Title: a.title, Log: log})
	}
	a.Comments.Watcher = watchers
	a.Settings.Changed = func(ctx context.Context) { a.invalidate(ctx, web.TagSite) }
	return a, nil
}

// base is the site's absolute address for links in mail, where no request
// tells it: the setting, else -base-url, else the listening address.
func (a *App) base(ctx context.Context) string {
	st, _ := a.Settings.Get(ctx) // on error: the defaults, which have no address
	if b := st.Configured(a.Config.BaseURL); b != "" {
		return b
	}
	return "http://" + a.Config.Addr
}

func (a *App) title(ctx context.Context) string {
	st, err := a.Settings.Get(ctx)
	if err != nil {
		return site.Defaults().Title
	}
	return st.Title
}

// Comment throttling by default: a burst of 10, then 5 a minute per client —
// a person in a lively discussion is never stopped, a flood is.
const (
	DefaultCommentEvery = 12 * time.Second
	DefaultCommentBurst = 10
)

func (a *App) commentLimit() *throttle.Limiter {
	every, burst := a.Config.CommentEvery, a.Config.CommentBurst
	if every == 0 {
		every = DefaultCommentEvery
	}
	if burst == 0 {
		burst = DefaultCommentBurst
	}
	return throttle.New(every, burst)
}

// Close writes what is buffered and releases the database.
func (a *App) Close() error {
	a.AkismetKeys.Close(context.Background())
	return a.DB.Close()
}

// Handler builds (once) the whole HTTP handler: every package's routes
// behind the shared middleware.
func (a *App) Handler() (http.Handler, error) {
	if a.handler != nil {
		return a.handler, nil
	}
	proxies, err := middleware.ParseProxies(a.Config.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("-trusted-proxies: %w", err)
	}
	a.Web, err = web.New(web.Deps{Posts: a.Posts, Settings: a.Settings, Sessions: a.Accounts, Comments: a.Comments,
		Media: a.Media, Spam: a.Spam, Mail: a.Mailer != nil, BaseURL: a.Config.BaseURL, Log: a.Log, Now: a.now,
		CommentLimit: a.commentLimit(), Privacy: a.Privacy, Outbox: a.Outbox, Markup: a.Markup, Redirects: &wordpress.Redirects{DB: a.DB, Now: a.now}})
	if err != nil {
		return nil, err
	}
	a.API = api.New(api.Deps{Accounts: a.Accounts, Posts: a.Posts, Settings: a.Settings, Comments: a.Comments,
		TokenFailures: throttle.New(6*time.Second, 10), Privacy: a.Privacy,
		BaseURL: a.Config.BaseURL, Log: a.Log, Now: a.now})
	a.Admin, err = admin.New(admin.Deps{Accounts: a.Accounts, Posts: a.Posts, Settings: a.Settings, Media: a.Media, Comments: a.Comments,
		Akismet: a.AkismetKeys, Privacy: a.Privacy, Mail: a.Mailer != nil, Outbox: a.Outbox,
		Renderer: a.Markup, BaseURL: a.Config.BaseURL, Log: a.Log, Now: a.now})
	if err != nil {
		return nil, err
	}
	a.Akismet = akismet.New(akismet.Deps{Keys: a.AkismetKeys, Models: a.Spam, Log: a.Log, Now: a.now,
		Config: akismet.Config{Rate: a.Config.AkismetRate, Burst: a.Config.AkismetBurst}})
	// Each HTTP package owns its URL map; they meet here by path prefix.
	public := http.NewServeMux()
	public.HandleFunc("GET /healthz", a.healthz)
	a.Web.Routes(public)
	a.Cache = newPageCache(a.Web)
	adminMux := http.NewServeMux()
	a.Admin.Routes(adminMux)
	mux := http.NewServeMux()
	mux.Handle("/api/", a.API.Mux())
	akismetMux := a.Akismet.Mux()
	mux.Handle("/1.1/", akismetMux)
	mux.Handle("/1.2/", akismetMux)
	mux.Handle("/admin/", adminMux)
	mux.Handle("/admin", adminMux)
	mux.Handle("/", a.Cache.Handler(public))

	csrf := http.NewCrossOriginProtection()
	if a.Config.BaseURL != "" {
		// Behind a proxy that rewrites Host, the public origin is the base URL.
		if err := csrf.AddTrustedOrigin(origin(a.Config.BaseURL)); err != nil {
			return nil, fmt.Errorf("-base-url: %w", err)
		}
	}
	https := strings.HasPrefix(a.Config.BaseURL, "https://")
	var h http.Handler = csrf.Handler(mux)
	h = middleware.MaxBody(12<<20, h)
	h = middleware.Headers(https, h)
	h = middleware.Recover(a.Log, h)
	h = middleware.Log(a.Log, h)
	h = proxies.Client(h)
	a.handler = h
	return h, nil
}

func origin(base string) string {
	scheme, rest, _ := strings.Cut(base, "://")
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// GET /healthz — 200 once the server serves and the database answers.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}
