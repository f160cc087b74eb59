package privacy

import (
	"context"
	"time"

	"marquee/internal/comment"
	"marquee/internal/sqldb"
)

// Report is what one retention run did.
type Report struct {
	RequestID string `json:"request_id"`
	// Cleared counts the comments whose IP address, user agent and
	// referrer (and e-mail address, when the policy does not keep it) were
	// removed.
	Cleared     int64 `json:"cleared"`
	SpamPurged  int   `json:"spam_purged"`
	TrashPurged int   `json:"trash_purged"`
}

// Changed reports whether the run changed anything.
func (r Report) Changed() bool { return r.Cleared+int64(r.SpamPurged+r.TrashPurged) > 0 }

// day is the unit of the policy's retention periods.
const day = 24 * time.Hour

// Enforce applies the stored policy as of now: spam and trash older than
// SpamRetentionDays are deleted (replies move up to the deleted comment's
// parent), then comments whose status was decided (or, never decided,
// which were written) more than IPRetentionDays ago lose their IP address,
// user agent and referrer, and their e-mail address unless KeepEmail.
//
// Every step is a conditional statement, so a run is idempotent and
// several processes may run it at once; each run is logged.
func (s *Service) Enforce(ctx context.Context, now time.Time) (Report, error) {
	r := Report{RequestID: newRequestID()}
	p, err := s.LoadPolicy(ctx)
	if err != nil {
		return r, err
	}
	if p.SpamRetentionDays > 0 {
		cutoff := now.Add(-time.Duration(p.SpamRetentionDays) * day)
		if r.SpamPurged, err = s.comments.Purge(ctx, comment.Spam, cutoff); err != nil {
			return r, err
		}
		if r.TrashPurged, err = s.comments.Purge(ctx, comment.Trash, cutoff); err != nil {
			return r, err
		}
	}
	if p.IPRetentionDays > 0 {
		cutoff := sqldb.T(now.Add(-time.Duration(p.IPRetentionDays) * day))
		query := `UPDATE comments SET ip = '', user_agent = '', referrer = ''
			WHERE coalesce(moderated_at, created_at) < $1 AND (ip <> '' OR user_agent <> '' OR referrer <> '')`
		args := []any{cutoff}
		if !p.KeepEmail {
			// Without an address there is no one to notify; the filter's
			// reasons name the address's domain.
			query = `UPDATE comments SET ip = '', user_agent = '', referrer = '', email = '', notify = $2, spam_reasons = ''
				WHERE coalesce(moderated_at, created_at) < $1 AND (ip <> '' OR user_agent <> '' OR referrer <> '' OR email <> '')`
			args = append(args, false)
		}
		res, err := s.db.ExecContext(ctx, query, args...)
		if err != nil {
			return r, err
		}
		if r.Cleared, err = res.RowsAffected(); err != nil {
			return r, err
		}
	}
	err = s.record(ctx, AuditEntry{RequestID: r.RequestID, Action: ActionRetention, Actor: Job,
		Comments: r.Cleared + int64(r.SpamPurged+r.TrashPurged), CreatedAt: now})
	if r.Changed() {
		s.flush(ctx)
	}
	return r, err
}
