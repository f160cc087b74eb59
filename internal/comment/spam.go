package comment

import (
	"context"
	"log/slog"
	"strings"

	"marquee/internal/spam"
)

// Learner remembers moderators' decisions for the spam filter.
type Learner interface {
	Learn(ctx context.Context, model string, s spam.Sample, isSpam bool) error
}

// Sample is what the spam filter sees of a comment.
func (c *Comment) Sample() spam.Sample {
	return spam.Sample{Author: c.Author, Email: c.Email, URL: c.URL, Content: c.Content, IP: c.IP,
		UserAgent: c.UserAgent, Referrer: c.Referrer}
}

// teaches reports whether moving a comment from one status to another is a
// decision the filter should learn from, and which way: marking spam
// teaches spam; approving, or rescuing from spam, teaches ham.
func teaches(from, to Status) (learn, isSpam bool) {
	switch {
	case to == Spam && from != Spam:
		return true, true
	case to == Approved && from != Approved:
		return true, false
	case from == Spam && to == Pending:
		return true, false
	}
	return false, false
}

// learn passes a decision to the filter, if one is attached. The status
// change is stored already, so a failure to learn is logged, not returned:
// the moderator's decision stands either way.
func (s *Store) learn(ctx context.Context, c *Comment, from, to Status) error {
	if s.Learner == nil || c.Type != "comment" {
		return nil
	}
	if ok, isSpam := teaches(from, to); ok {
		if err := s.Learner.Learn(ctx, spam.SiteModel, c.Sample(), isSpam); err != nil {
			slog.Warn("spam filter could not learn from a moderation decision", "comment", c.ID, "err", err)
		}
	}
	return nil
}

// Sender is what earlier comments say about the author of a new one.
type Sender struct {
	// PreviouslyApproved: this name and e-mail address already have an
	// approved comment (WordPress's first-time commenter rule).
	PreviouslyApproved bool
	// History is what the spam filter weighs.
	History spam.History
}

// Sender looks up earlier comments by this e-mail address (one pass over
// them answers both the first-time rule and the filter) and IP address.
func (s *Store) Sender(ctx context.Context, author, email, ip string) (Sender, error) {
	var out Sender
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		var prior int
		if err := s.db.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'approved' AND author = $2 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'spam' THEN 1 ELSE 0 END), 0)
			FROM comments WHERE email = $1`, email, author).Scan(&out.History.ApprovedByEmail, &prior, &out.History.SpamByEmail); err != nil {
			return out, err
		}
		out.PreviouslyApproved = prior > 0
	}
	if ip != "" {
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM comments WHERE ip = $1 AND status = 'spam'", ip).Scan(&out.History.SpamByIP); err != nil {
			return out, err
		}
	}
	return out, nil
}
