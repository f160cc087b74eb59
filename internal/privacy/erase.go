package privacy

import (
	"context"
	"fmt"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// Mode is how an erasure treats the comments of the address.
type Mode string

const (
	// Anonymize keeps the comments' text, as WordPress does: the author
	// becomes "Anonymous" and the e-mail address, website, IP address,
	// user agent, referrer and the spam filter's reasons are removed.
	Anonymize Mode = "anonymize"
	// Delete removes the comments; their replies move up a level.
	Delete Mode = "delete"
)

// AnonymousAuthor is the name anonymised comments are shown under.
const AnonymousAuthor = "Anonymous"

// ParseMode reads a mode name; "" is Anonymize.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "":
		return Anonymize, nil
	case Anonymize, Delete:
		return m, nil
	}
	return "", errs.Field("mode", "mode must be anonymize or delete, not %q", truncate(s, 40))
}

// Result is what an erasure did.
type Result struct {
	RequestID string `json:"request_id"`
	Mode      Mode   `json:"mode"`
	// Comments counts the comments anonymised or deleted.
	Comments int64 `json:"comments"`
	// Unsubscribed counts the comments whose reply notifications were on.
	Unsubscribed int64 `json:"unsubscribed"`
	// SpamSamples counts the spam filter's learning samples deleted.
	SpamSamples int64 `json:"spam_samples"`
	// Mail counts queued or sent notification mails deleted.
	Mail int64 `json:"mail"`
}

// Erase removes what is stored about email (matched without regard to
// case): its comments are anonymised or deleted (mode), reply
// notifications stop, the spam filter's samples holding the address are
// deleted (its model keeps only hashed aggregate weights) and, with an
// outbox attached, so is the mail to it. On SQLite deleted content is
// overwritten (secure_delete) and the write-ahead log is then emptied,
// a checkpoint, so no copy stays in the files.
//
// Each step is idempotent: if one fails, running Erase again finishes
// the job. The erasure is logged, without the address.
func (s *Service) Erase(ctx context.Context, email string, mode Mode, actor Actor) (Result, error) {
	r := Result{RequestID: newRequestID(), Mode: mode}
	if !actor.valid() {
		return r, errActor(actor)
	}
	if mode != Anonymize && mode != Delete {
		return r, errs.Field("mode", "mode must be anonymize or delete, not %q", truncate(string(mode), 40))
	}
	e, err := normalizeEmail(email)
	if err != nil {
		return r, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM comments WHERE lower(email) = $1 AND notify = $2", e, true).
		Scan(&r.Unsubscribed); err != nil {
		return r, err
	}
	action := ActionEraseAnonymize
	switch mode {
	case Anonymize:
		res, err := s.db.ExecContext(ctx, `UPDATE comments SET author = $1, email = '', url = '', ip = '', user_agent = '',
			referrer = '', spam_reasons = '', notify = $2, updated_at = $3 WHERE lower(email) = $4`,
			AnonymousAuthor, false, sqldb.Now(), e)
		if err != nil {
			return r, err
		}
		if r.Comments, err = res.RowsAffected(); err != nil {
			return r, err
		}
	case Delete:
		action = ActionEraseDelete
		ids, err := s.commentIDs(ctx, e)
		if err != nil {
			return r, err
		}
		n, err := s.comments.Delete(ctx, ids)
		if err != nil {
			return r, err
		}
		r.Comments = int64(n)
	}
	if r.SpamSamples, err = s.forgetSamples(ctx, e); err != nil {
		return r, err
	}
	if s.Outbox != nil {
		if r.Mail, err = s.Outbox.Forget(ctx, e); err != nil {
			return r, err
		}
	}
	err = s.record(ctx, AuditEntry{RequestID: r.RequestID, Action: action, Actor: actor, Comments: r.Comments, Samples: r.SpamSamples})
	s.flush(ctx)
	return r, err
}

func (s *Service) commentIDs(ctx context.Context, email string) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM comments WHERE lower(email) = $1 ORDER BY id", email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// forgetSamples has the spam store delete the samples of the address under
// every spelling it was stored with (the store matches exactly).
func (s *Service) forgetSamples(ctx context.Context, email string) (int64, error) {
	spellings := map[string]bool{email: true}
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT email FROM spam_events WHERE lower(email) = $1", email)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return 0, err
		}
		spellings[e] = true
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, err
	}
	var n int64
	for e := range spellings {
		k, err := s.spam.Forget(ctx, e)
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

func errActor(a Actor) error {
	return fmt.Errorf("privacy: actor %q is not cli, job, api:ID or admin:ID", a)
}
