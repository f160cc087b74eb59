package account

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// ResetTTL is how long a password-reset link works.
const ResetTTL = time.Hour

// errResetInvalid is the one answer for a reset secret that is unknown,
// used, replaced by a newer one or expired: which of them is no one's
// business.
func errResetInvalid() error {
	return errs.E(errs.NotFound, "this password-reset link is no longer valid")
}

// CreateReset issues a password-reset secret for userID, working until
// now+ResetTTL, and returns it for the link. Only its digest is stored, and
// a user has one at most: a new one replaces the link sent before.
func (s *Store) CreateReset(ctx context.Context, userID int64, now time.Time) (string, error) {
	secret := newSecret()
	now = sqldb.T(now)
	_, err := s.db.ExecContext(ctx, `INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		userID, hashSecret(secret), now, now.Add(ResetTTL))
	if err != nil {
		return "", err
	}
	return secret, nil
}

// ResetUser returns the user a reset secret is for while it works, else
// errs.NotFound.
func (s *Store) ResetUser(ctx context.Context, secret string, now time.Time) (*User, error) {
	if secret == "" || len(secret) > 100 {
		return nil, errResetInvalid()
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+
		" FROM users WHERE id = (SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > $2)",
		hashSecret(secret), sqldb.T(now)))
	if errs.Is(err, errs.NotFound) {
		return nil, errResetInvalid()
	}
	return u, err
}

// ResetPassword sets pw (checked like any new password) as the password of
// the user a working reset secret is for, ends every session of theirs and
// uses the secret up, all at once: of two requests racing with one secret,
// one succeeds and the other gets errs.NotFound. Proving the mailbox also
// clears the account's login back-off.
func (s *Store) ResetPassword(ctx context.Context, secret, pw string, now time.Time) (*User, error) {
	if secret == "" || len(secret) > 100 {
		return nil, errResetInvalid()
	}
	if err := checkPassword(pw); err != nil {
		return nil, err
	}
	hash := HashPassword(pw)
	var u *User
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id",
			hashSecret(secret), sqldb.T(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errResetInvalid()
		}
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, id, hash); err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = $1", id)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM login_attempts WHERE key = $1", "email:"+u.Email)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// PurgeResets removes the reset secrets that have expired unused.
func (s *Store) PurgeResets(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM password_resets WHERE expires_at <= $1", sqldb.T(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
