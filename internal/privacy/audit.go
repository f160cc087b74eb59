package privacy

import (
	"context"
	"time"

	"marquee/internal/sqldb"
)

// Action is what an audit entry records.
type Action string

const (
	ActionExport         Action = "export"
	ActionEraseAnonymize Action = "erase-anonymize"
	ActionEraseDelete    Action = "erase-delete"
	ActionRetention      Action = "retention"
)

// AuditEntry is one line of the privacy log. It names no one: the address
// concerned is not stored, not even hashed (a hash of an e-mail address is
// easily reversed by guessing), only counts and a random request id.
type AuditEntry struct {
	ID        int64     `json:"id"`
	RequestID string    `json:"request_id"`
	Action    Action    `json:"action"`
	Actor     Actor     `json:"actor"`
	Comments  int64     `json:"comments_affected"`
	Samples   int64     `json:"samples_affected"` // spam-filter samples
	CreatedAt time.Time `json:"created_at"`
}

// record adds an entry to the privacy log.
func (s *Service) record(ctx context.Context, e AuditEntry) error {
	if !e.Actor.valid() {
		return errActor(e.Actor)
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = sqldb.Now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO privacy_audit (request_id, action, actor, comments_affected, samples_affected, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.RequestID, string(e.Action), string(e.Actor), e.Comments, e.Samples, sqldb.T(e.CreatedAt))
	return err
}

// Audit returns the latest entries of the privacy log, newest first
// (limit 1 to 1000; anything else means 100).
func (s *Service) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	if limit < 1 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, request_id, action, actor, comments_affected, samples_affected, created_at
		FROM privacy_audit ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var action, actor string
		if err := rows.Scan(&e.ID, &e.RequestID, &action, &actor, &e.Comments, &e.Samples, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.Action, e.Actor, e.CreatedAt = Action(action), Actor(actor), e.CreatedAt.UTC()
		es = append(es, e)
	}
	return es, rows.Err()
}
