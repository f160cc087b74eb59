package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// Login back-off: the first FreeFailures wrong passwords for an account or
// from an address cost nothing; each further one doubles the wait before
// the next try (from 30 s), up to MaxBackoff. The counts live in the database, so every
// process of a site enforces the same wait.
const (
	FreeFailures = 5
	MaxBackoff   = 15 * time.Minute
	// failureMemory is how long failures are remembered without a new one.
	failureMemory = 24 * time.Hour
)

// Login checks credentials like Authenticate, refusing with errs.TooMany
// while the account or the address is backing off.
func (s *Store) Login(ctx context.Context, email, pw, ip string) (*User, error) {
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(email))}
	if ip != "" {
		keys = append(keys, "ip:"+ip)
	}
	now := sqldb.Now()
	for _, k := range keys {
		var until sql.NullTime
		err := s.db.QueryRowContext(ctx, "SELECT blocked_until FROM login_attempts WHERE key = $1", k).Scan(&until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if until.Valid && until.Time.After(now) {
			wait := until.Time.Sub(now)
			return nil, errs.Throttled(wait, "Too many failed logins. Please wait %s before trying again.", wait.Round(time.Second))
		}
	}
	u, err := s.Authenticate(ctx, email, pw)
	if errs.Is(err, errs.Unauthorized) {
		if ferr := s.loginFailed(ctx, keys, now); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	_, err = s.db.ExecContext(ctx, "DELETE FROM login_attempts WHERE key = $1", keys[0])
	return u, err
}

func (s *Store) loginFailed(ctx context.Context, keys []string, now time.Time) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			var failures int
			var updated time.Time
			err := tx.QueryRowContext(ctx, "SELECT failures, updated_at FROM login_attempts WHERE key = $1", k).Scan(&failures, &updated)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && now.Sub(updated) > failureMemory) {
				failures = 0
			} else if err != nil {
				return err
			}
			failures++
			var until any
			if failures > FreeFailures {
				wait := 30 * time.Second << min(failures-FreeFailures-1, 10)
				until = now.Add(min(wait, MaxBackoff))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (key, failures, blocked_until, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until, updated_at = excluded.updated_at`,
				k, failures, until, now); err != nil {
				return err
			}
		}
		return nil
	})
}
