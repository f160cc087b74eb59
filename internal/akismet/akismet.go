// Package akismet serves the Akismet REST API (https://akismet.com/developers,
// OpenAPI in Automattic/akismet-api spec.yml) on top of Marquee's own spam
// filter, so that existing Akismet clients can use Marquee by changing one
// host setting, and no commenter's data leaves the server.
//
// Every key has a spam model of its own ("akismet:<key id>"), which starts as
// the starter model and learns from that key's submit-spam and submit-ham.
//
// Answers follow the spec exactly: text/plain "valid"/"invalid",
// "true"/"false"/"invalid", "Thanks for making the web a better place.",
// JSON for the 1.2 calls, and an X-akismet-debug-help header that explains
// every "invalid". Problems the spec has no answer for are HTTP errors that
// every client reports as failures: 404 (no such call), 405 (wrong
// method), 413 (body over the limit), 429 (over the key's rate limit) and
// 503 (the database is unavailable); their body is "invalid" too, with the
// debug header.
//
// comment-check answers "true" for the filter's Spam and Discard verdicts
// (Discard adds X-akismet-pro-tip: discard) and "false" for Ham and Unsure:
// the API has no "maybe", and holding a comment for moderation is the
// client's choice to make, not ours to force with a spam answer.
package akismet

import (
	"context"
	"log/slog"
	"time"

	"marquee/internal/spam"
	"marquee/internal/throttle"
)

// Models is what the API needs of the spam filter: scoring with a named
// model and teaching it.
type Models interface {
	Check(ctx context.Context, model string, sm spam.Sample, h spam.History) (spam.Result, error)
	Learn(ctx context.Context, model string, sm spam.Sample, isSpam bool) error
}

// Config holds the operator's limits.
type Config struct {
	// Rate is the requests per second a key may make on average (default
	// 50; negative: no limit); Burst how many it may make at once (default
	// 100).
	Rate  float64
	Burst int
	// MaxBody is the largest request body read (default 64 KiB).
	MaxBody int64
}

// Defaults for Config's zero values.
const (
	DefaultRate    = 50
	DefaultBurst   = 100
	DefaultMaxBody = 64 << 10
)

// Deps are what the API needs.
type Deps struct {
	Keys   *Store
	Models Models
	Config Config
	Log    *slog.Logger
	Now    func() time.Time
}

// Handler serves the Akismet API.
type Handler struct {
	Deps
	limit *throttle.Limiter // per key; nil: no limit
}

// New returns a Handler, filling in defaults.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Config.Rate == 0 {
		d.Config.Rate = DefaultRate
	}
	if d.Config.Burst <= 0 {
		d.Config.Burst = DefaultBurst
	}
	if d.Config.MaxBody <= 0 {
		d.Config.MaxBody = DefaultMaxBody
	}
	h := &Handler{Deps: d}
	if d.Config.Rate > 0 {
		h.limit = throttle.New(time.Duration(float64(time.Second)/d.Config.Rate), d.Config.Burst).WithClock(d.Now)
	}
	return h
}
