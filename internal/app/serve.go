package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"marquee/internal/errs"
	"marquee/internal/spam"
	"marquee/internal/web"
)

// Serve listens on the configured address and serves until ctx ends, then
// shuts down gracefully: in-flight requests finish (up to 15 s) and the
// background jobs stop. ready, if set, is called with the bound address
// before any request is served.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	h, err := a.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	if st, err := a.Settings.Get(ctx); err == nil && a.Mailer != nil && st.Configured(a.Config.BaseURL) == "" {
		// Mail must not carry links built from a request's Host header.
		a.Log.Warn("mail is configured but the site's address is not: lost-password links are not offered; set -base-url or the address in the settings")
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if err := a.Changes.Start(ctx); err != nil {
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.runJobs(jobsCtx)
	}()
	// ready runs before the first request is answered (connections wait in
	// the listen queue), so a first run's content is there for it.
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	akCtx, stopAkismet := context.WithCancel(context.Background())
	akDone := make(chan error, 1)
	if a.Config.AkismetAddr != "" {
		go func() {
			err := a.Akismet.ListenAndServe(akCtx, a.Config.AkismetAddr, nil)
			if err != nil && akCtx.Err() == nil {
				errc <- fmt.Errorf("-akismet-addr: %w", err) // fail fast: a bind error stops the server
			}
			akDone <- err
		}()
	} else {
		akDone <- nil
	}
	a.Log.Info("serving", "addr", ln.Addr().String(), "db", a.DB.Dialect.Name())
	select {
	case err = <-errc:
	case <-ctx.Done():
		a.Log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stopAkismet()
	if aerr := <-akDone; err == nil && aerr != nil && !errors.Is(aerr, http.ErrServerClosed) && !errors.Is(aerr, context.Canceled) {
		err = aerr
	}
	stopJobs()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// runJobs runs the periodic background work until ctx ends.
//
// Several processes may share one PostgreSQL database. What every process
// must do for itself runs here unguarded: following the change feed (its
// own page cache), syncing the spam model (its own copy), delivering mail
// (the outbox is claimed row by row). The site-wide chores (publishing
// scheduled posts, retention, purges) run under DB.Exclusive, so that one
// process at a time does each; the others skip that round.
func (a *App) runJobs(ctx context.Context) {
	sync := time.NewTicker(2 * time.Second)
	defer sync.Stop()
	follow := time.NewTicker(time.Second)
	defer follow.Stop()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	a.job(ctx, "publish-due", a.publishDue)
	a.job(ctx, "retention", a.retention)
	h := outage{log: a.Log}
	warn := func(what string, err error) {
		if err != nil && ctx.Err() == nil && !h.unavailable(err) {
			a.Log.Warn(what, "err", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			// Store what the filter learned, so the next start replays little.
			warn("snapshot spam model", a.Spam.Snapshot(context.Background(), spam.SiteModel))
			return
		case <-follow.C:
			// What other processes (or a command-line import) changed.
			err := a.Changes.Follow(ctx, a.dropCached)
			warn("follow changes", err)
			if err == nil && h.back() > staleAfter {
				// Cut off long enough for the feed to have been pruned
				// meanwhile: changes may be lost, so nothing cached is trusted.
				a.dropCached([]string{web.TagSite, web.TagPosts, web.TagComments, web.TagCounts})
			}
		case <-sync.C:
			// Pick up what other processes taught the spam filter.
			warn("sync spam model", a.Spam.Sync(ctx))
			if a.Mailer != nil {
				_, err := a.Outbox.Deliver(ctx, a.Mailer, a.now)
				warn("send mail", err)
			}
		case <-tick.C:
			a.job(ctx, "publish-due", a.publishDue)
		case <-hourly.C:
			a.job(ctx, "purge-sessions", func(ctx context.Context) error {
				if _, err := a.Accounts.PurgeSessions(ctx, a.now()); err != nil {
					return err
				}
				_, err := a.Accounts.PurgeResets(ctx, a.now())
				return err
			})
			a.job(ctx, "purge-sent-mail", func(ctx context.Context) error {
				return a.Outbox.Purge(ctx, a.now().Add(-7*24*time.Hour))
			})
			a.job(ctx, "retention", a.retention)
			a.job(ctx, "prune-changes", func(ctx context.Context) error {
				return a.Changes.Prune(ctx, changeKeep)
			})
		}
	}
}

// changeKeep is how long the change feed keeps a change; staleAfter, how
// long a process may fail to follow it before it drops its whole page cache
// (it may have missed pruned changes).
const (
	changeKeep = time.Hour
	staleAfter = changeKeep / 2
)

// job runs a site-wide chore in this process unless another process of the
// site is running it right now, and logs its failure.
func (a *App) job(ctx context.Context, name string, fn func(context.Context) error) {
	ran, err := a.DB.Exclusive(ctx, name, fn)
	if err != nil && ctx.Err() == nil {
		a.Log.Warn(name, "err", err)
	}
	if !ran && err == nil {
		a.Log.Debug(name+": another process is at it", "job", name)
	}
}

// outage keeps the log readable while the database is down: one warning
// when it becomes unreachable, one note when it answers again, instead of
// a warning a second from every job.
type outage struct {
	log   *slog.Logger
	since time.Time // zero while the database answers
}

// unavailable reports (and logs once) whether err says the database is
// unreachable.
func (o *outage) unavailable(err error) bool {
	if !errs.Is(err, errs.Unavailable) {
		return false
	}
	if o.since.IsZero() {
		o.since = time.Now()
		o.log.Warn("database unavailable; requests get 503 and jobs wait until it answers", "err", err)
	}
	return true
}

// back is called after a job reached the database; it returns how long it
// had been unreachable (0 if it was not).
func (o *outage) back() time.Duration {
	if o.since.IsZero() {
		return 0
	}
	d := time.Since(o.since)
	o.since = time.Time{}
	o.log.Info("database available again", "after", d.Round(time.Second))
	return d
}

// retention enforces the privacy policy: IP addresses and user agents
// removed after their time, old spam and trash deleted. Idempotent; run as
// the "retention" job, by one process at a time.
func (a *App) retention(ctx context.Context) error {
	r, err := a.Privacy.Enforce(ctx, a.now())
	if err != nil {
		return fmt.Errorf("privacy retention: %w", err)
	}
	if r.Changed() {
		a.Log.Info("privacy retention", "cleared", r.Cleared, "spam_purged", r.SpamPurged, "trash_purged", r.TrashPurged)
	}
	// The spam filter's copies of moderated comments, once a snapshot holds
	// what it learned from them.
	if err := a.Spam.Snapshot(ctx, spam.SiteModel); err != nil {
		return fmt.Errorf("spam snapshot: %w", err)
	}
	if n, err := a.Spam.Prune(ctx, a.now().Add(-SpamSampleRetention)); err != nil {
		return fmt.Errorf("spam samples: %w", err)
	} else if n > 0 {
		a.Log.Info("privacy retention", "spam_samples_deleted", n)
	}
	return nil
}

// SpamSampleRetention is how long the spam filter keeps the comments it
// learned from, after its model holds what it learned.
const SpamSampleRetention = 30 * 24 * time.Hour

// publishDue flips scheduled posts whose time has come. Run as the
// "publish-due" job, by one process at a time; the flip itself only moves
// posts still scheduled, so a second run publishes nothing twice.
func (a *App) publishDue(ctx context.Context) error {
	ids, err := a.Posts.PublishDue(ctx, a.now())
	if err != nil {
		return fmt.Errorf("publish scheduled posts: %w", err)
	}
	for _, id := range ids {
		a.Log.Info("published scheduled post", "id", id)
	}
	return nil
}
