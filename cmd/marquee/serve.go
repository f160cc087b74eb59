package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"marquee/internal/app"
)

func cmdServe(e *env, args []string) error {
	fs := newFlags(e, "serve", "")
	db := dbFlag(e, fs)
	addr := fs.String("addr", envOr(e, "MARQUEE_ADDR", "127.0.0.1:8080"), "address to listen on (env MARQUEE_ADDR)")
	base := fs.String("base-url", e.getenv("MARQUEE_BASE_URL"), "public address of the site, e.g. https://blog.example.org (env MARQUEE_BASE_URL)")
	proxies := fs.String("trusted-proxies", e.getenv("MARQUEE_TRUSTED_PROXIES"), "comma-separated CIDRs whose X-Forwarded-For/-Proto are believed (env MARQUEE_TRUSTED_PROXIES)")
	demoDefault := true
	if v := e.getenv("MARQUEE_DEMO"); v != "" {
		demoDefault, _ = strconv.ParseBool(v)
	}
	demo := fs.Bool("demo", demoDefault, "add demo content to an empty site (env MARQUEE_DEMO)")
	akismetAddr := fs.String("akismet-addr", e.getenv("MARQUEE_AKISMET_ADDR"), "also serve the Akismet API on this address (env MARQUEE_AKISMET_ADDR)")
	akismetRate := fs.Float64("akismet-rate", 0, "Akismet calls per second per key (0: 50, negative: unlimited)")
	akismetBurst := fs.Int("akismet-burst", 0, "Akismet burst per key (0: 100)")
	commentEvery := fs.Duration("comment-every", 0, "after a burst, one comment per this per client (0: 12s; negative: no limit)")
	commentBurst := fs.Int("comment-burst", 0, "comments a client may post at once (0: 10)")
	logLevel := fs.String("log-level", envOr(e, "MARQUEE_LOG_LEVEL", "info"), "debug, info, warn or error (env MARQUEE_LOG_LEVEL)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("serve takes no arguments; flags go before them")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError("-log-level: " + err.Error())
	}
	if *base != "" && !strings.HasPrefix(*base, "http://") && !strings.HasPrefix(*base, "https://") {
		return usageError("-base-url must start with http:// or https://")
	}
	cfg := app.Config{Addr: *addr, DB: *db, BaseURL: strings.TrimRight(*base, "/"), TrustedProxies: *proxies, Demo: *demo,
		AdminEmail: e.getenv("MARQUEE_ADMIN_EMAIL"), AdminPassword: e.getenv("MARQUEE_ADMIN_PASSWORD"),
		SMTPURL: e.getenv("MARQUEE_SMTP_URL"), LogLevel: level,
		CommentEvery: *commentEvery, CommentBurst: *commentBurst, AkismetAddr: *akismetAddr, AkismetRate: *akismetRate, AkismetBurst: *akismetBurst}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	a, err := app.Open(e.ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Handler(); err != nil {
		return usageError(err.Error())
	}
	return a.Serve(e.ctx, func(bound string) {
		url := cfg.BaseURL
		if url == "" {
			url = "http://" + bound
		}
		if err := a.FirstRun(e.ctx, e.stdout, url+"/admin/"); err != nil {
			log.Error("first run", "err", err)
		}
		fmt.Fprintf(e.stdout, "Marquee is serving %s/ (admin: %s/admin/). Press Ctrl-C to stop.\n", url, url)
	})
}
