// Package privacy owns what Marquee does with commenters' personal data
// beyond keeping their comments: the retention policy and the job that
// enforces it, a commenter's export (what is stored about an e-mail
// address), erasure (anonymise or delete), and a log of all of these that
// itself holds no personal data. See README.md for what is kept where.
package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// commentStore is what erasure and retention need of the comment store:
// both delete through it, so that replies move up to the deleted
// comment's parent and posts' comment counts stay right.
type commentStore interface {
	Delete(ctx context.Context, ids []int64) (int, error)
	Purge(ctx context.Context, status comment.Status, cutoff time.Time) (int, error)
}

// spamStore forgets the learning samples that hold an e-mail address.
type spamStore interface {
	Forget(ctx context.Context, email string) (int64, error)
}

// MailForgetter drops queued and sent mail to an address (the
// notification outbox), when one is attached.
type MailForgetter interface {
	Forget(ctx context.Context, email string) (int64, error)
}

// Service runs exports, erasures and the retention job.
type Service struct {
	db       *sqldb.DB
	comments commentStore
	spam     spamStore
	// Outbox, when set, is told to forget an erased address's mail.
	Outbox MailForgetter
	Log    *slog.Logger
	// Changed, when set, is called after the policy is saved.
	Changed func(ctx context.Context)

	policy atomic.Pointer[Policy] // the current policy, read on every comment
}

// Invalidate drops the in-memory policy, so the next read takes the stored one.
func (s *Service) Invalidate() { s.policy.Store(nil) }

// New returns a Service on db deleting comments through comments and
// forgetting spam-filter samples through spam.
func New(db *sqldb.DB, comments commentStore, spam spamStore) *Service {
	return &Service{db: db, comments: comments, spam: spam, Log: slog.New(slog.DiscardHandler)}
}

// flush copies everything written into the main database file and empties
// SQLite's write-ahead log, so that erased data is not left in an old WAL
// frame; a failure is logged, since what was asked is done and stored
// either way.
func (s *Service) flush(ctx context.Context) {
	if err := s.db.Checkpoint(ctx); err != nil {
		s.Log.Warn("privacy: checkpoint after erasure", "err", err)
	}
}

// Actor says who asked for an export, an erasure or a retention run, in the
// audit log: "cli", "job", "api:<user id>" or "admin:<user id>".
type Actor string

// The actors without a user.
const (
	CLI Actor = "cli"
	Job Actor = "job"
	// Self is a commenter acting through a signed link sent to their address.
	Self Actor = "self"
)

// APIUser is a call through the JSON API with user id's token.
func APIUser(id int64) Actor { return Actor("api:" + strconv.FormatInt(id, 10)) }

// AdminUser is a request from user id in the admin pages.
func AdminUser(id int64) Actor { return Actor("admin:" + strconv.FormatInt(id, 10)) }

// valid accepts only the shapes above, so that nothing else (an address
// typed by mistake) reaches the log.
func (a Actor) valid() bool {
	switch a {
	case CLI, Job, Self:
		return true
	}
	kind, id, ok := strings.Cut(string(a), ":")
	if !ok || (kind != "api" && kind != "admin") {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n > 0 && strconv.FormatInt(n, 10) == id
}

// normalizeEmail is how addresses are matched: trimmed and lower-cased,
// as comments store them. An empty address would match every comment
// without one, so it is refused.
func normalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	switch {
	case e == "":
		return "", errs.Field("email", "give the e-mail address whose data is wanted")
	case len(e) > comment.MaxEmail || !strings.Contains(e, "@") || strings.ContainsAny(e, " \t\r\n\x00"):
		return "", errs.Field("email", "%q is not an e-mail address", truncate(email, 60))
	}
	return e, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// newRequestID is a random id for one request, to quote in answers and
// find in the audit log.
func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
