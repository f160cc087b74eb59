package notify

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"marquee/internal/sqldb"
)

// Outbox holds mail until it is sent.
type Outbox struct{ db *sqldb.DB }

// NewOutbox returns an Outbox on db.
func NewOutbox(db *sqldb.DB) *Outbox { return &Outbox{db: db} }

// Enqueue stores a message to send.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	_, err := o.db.ExecContext(ctx, "INSERT INTO outbox (to_addr, subject, body, unsubscribe, created_at) VALUES ($1, $2, $3, $4, $5)",
		m.To, m.Subject, m.Body, m.Unsubscribe, sqldb.Now())
	return err
}

// claimFor is how long a process owns a message it is sending; a process
// that dies while sending lets another take the message after that.
const claimFor = 2 * time.Minute

// maxAttempts is how often a message is tried before it is given up on.
const maxAttempts = 8

// claim takes the oldest message nobody is sending. The condition in the
// outer WHERE makes the claim atomic: two processes racing for a row both
// re-check it, and only one sees it unclaimed.
func (o *Outbox) claim(ctx context.Context, now time.Time) (int64, Message, int, error) {
	var id int64
	var m Message
	var attempts int
	now = sqldb.T(now)
	err := o.db.WriteQueryRow(ctx, `UPDATE outbox SET locked_until = $1, attempts = attempts + 1
		WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $3 AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1)
		AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < $2)
		RETURNING id, to_addr, subject, body, unsubscribe, attempts`, now.Add(claimFor), now, maxAttempts).
		Scan(&id, &m.To, &m.Subject, &m.Body, &m.Unsubscribe, &attempts)
	return id, m, attempts, err
}

// Sender sends one message.
type Sender interface {
	Send(m Message) error
}

// Deliver sends every message that is due, and reports how many went out.
// A failed message waits before it is retried, longer each time.
func (o *Outbox) Deliver(ctx context.Context, s Sender, now func() time.Time) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		id, m, attempts, err := o.claim(ctx, now())
		if errors.Is(err, sql.ErrNoRows) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if err := s.Send(m); err != nil {
			backoff := time.Duration(1<<min(attempts, 10)) * 30 * time.Second
			o.db.ExecContext(ctx, "UPDATE outbox SET last_error = $1, locked_until = $2 WHERE id = $3",
				truncate(err.Error(), 500), sqldb.T(now().Add(backoff)), id)
			continue
		}
		if _, err := o.db.ExecContext(ctx, "UPDATE outbox SET sent_at = $1, last_error = '' WHERE id = $2", sqldb.T(now()), id); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, ctx.Err()
}

// Pending counts messages not yet sent.
func (o *Outbox) Pending(ctx context.Context) (int, error) {
	var n int
	err := o.db.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE sent_at IS NULL").Scan(&n)
	return n, err
}

// Purge deletes sent messages older than cutoff: they hold addresses.
func (o *Outbox) Purge(ctx context.Context, cutoff time.Time) error {
	_, err := o.db.ExecContext(ctx, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1", sqldb.T(cutoff))
	return err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Forget deletes queued and sent mail to an address (erasure requests).
func (o *Outbox) Forget(ctx context.Context, email string) (int64, error) {
	res, err := o.db.ExecContext(ctx, "DELETE FROM outbox WHERE lower(to_addr) = $1", strings.ToLower(email))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
