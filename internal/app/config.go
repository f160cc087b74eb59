// Package app wires Marquee together: it opens the database, builds the
// stores and the HTTP handlers from one Config, and runs the server and its
// background jobs.
package app

import (
	"log/slog"
	"time"
)

// Config is everything an operator sets with flags or the environment. It is
// built once by the command line and passed down; nothing reads the
// environment elsewhere.
type Config struct {
	Addr           string // host:port to listen on
	DB             string // SQLite path or postgres:// URL
	BaseURL        string // public address, e.g. https://blog.example.org
	TrustedProxies string // CIDRs whose X-Forwarded-* headers are believed
	Demo           bool   // seed demo content into an empty site
	AdminEmail     string // first-run admin account
	AdminPassword  string // empty: generate one and print it once
	SMTPURL        string // smtp://user:pass@host:port?from=… ; empty: no mail
	LogLevel       slog.Level
	CommentEvery   time.Duration // one comment per this per client after the burst; <0: unlimited
	CommentBurst   int
	AkismetAddr    string  // a separate listener for the Akismet API; empty: the main one only
	AkismetRate    float64 // Akismet calls per second per key; 0: default, <0: unlimited
	AkismetBurst   int
}
