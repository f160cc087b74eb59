package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"marquee/internal/spam"
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
func (a *App) runJobs(ctx context.Context) {
	sync := time.NewTicker(2 * time.Second)
	defer sync.Stop()
	follow := time.NewTicker(time.Second)
	defer follow.Stop()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	a.publishDue(ctx)
	a.retention(ctx)
	warn := func(what string, err error) {
		if err != nil && ctx.Err() == nil {
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
			warn("follow changes", a.Changes.Follow(ctx, a.dropCached))
		case <-sync.C:
			// Pick up what other processes taught the spam filter.
			warn("sync spam model", a.Spam.Sync(ctx))
			if a.Mailer != nil {
				_, err := a.Outbox.Deliver(ctx, a.Mailer, a.now)
				warn("send mail", err)
			}
		case <-tick.C:
			a.publishDue(ctx)
		case <-hourly.C:
			_, err := a.Accounts.PurgeSessions(ctx, a.now())
			warn("purge sessions", err)
			warn("purge sent mail", a.Outbox.Purge(ctx, a.now().Add(-7*24*time.Hour)))
			a.retention(ctx)
			warn("prune changes", a.Changes.Prune(ctx, time.Hour))
		}
	}
}

// retention enforces the privacy policy: IP addresses and user agents
// removed after their time, old spam and trash deleted. Safe on several
// processes at once.
func (a *App) retention(ctx context.Context) {
	r, err := a.Privacy.Enforce(ctx, a.now())
	if err != nil {
		if ctx.Err() == nil {
			a.Log.Warn("privacy retention", "err", err)
		}
		return
	}
	if r.Changed() {
		a.Log.Info("privacy retention", "cleared", r.Cleared, "spam_purged", r.SpamPurged, "trash_purged", r.TrashPurged)
	}
}

// publishDue flips scheduled posts whose time has come.
func (a *App) publishDue(ctx context.Context) {
	ids, err := a.Posts.PublishDue(ctx, a.now())
	if err != nil {
		if ctx.Err() == nil {
			a.Log.Warn("publish scheduled posts", "err", err)
		}
		return
	}
	for _, id := range ids {
		a.Log.Info("published scheduled post", "id", id)
	}

}
