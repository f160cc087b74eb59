package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// SessionCookie names the cookie holding a login session's secret.
const SessionCookie = "marquee_session"

// SessionTTL is how long a login lasts.
const SessionTTL = 30 * 24 * time.Hour

// TokenPrefix marks API tokens so that they are recognisable in logs and by
// secret scanners.
const TokenPrefix = "mq_"

func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret stores only a digest: a leaked database yields no usable
// session or token. The secrets carry 256 bits, so a fast hash suffices.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a login session and returns its secret for the cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	secret := newSecret()
	now := sqldb.Now()
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
		hashSecret(secret), userID, now, now.Add(SessionTTL))
	return secret, err
}

// SessionUser returns the user of a live session.
func (s *Store) SessionUser(ctx context.Context, secret string) (*User, error) {
	if secret == "" || len(secret) > 100 {
		return nil, errs.E(errs.Unauthorized, "not logged in")
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT u."+strings.ReplaceAll(userCols, ", ", ", u.")+
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
		hashSecret(secret), sqldb.Now()))
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.Unauthorized, "your session has ended; please log in again")
	}
	return u, err
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = $1", hashSecret(secret))
	return err
}

// PurgeSessions removes expired sessions.
func (s *Store) PurgeSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", sqldb.T(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Token is an API token's public description; the secret is shown once.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	UserID     int64      `json:"user_id"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// CreateToken issues an API token acting as userID and returns its secret.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", errs.Field("name", "a token needs a name of 1 to 100 characters")
	}
	secret := TokenPrefix + newSecret()
	_, err := s.db.ExecContext(ctx, "INSERT INTO api_tokens (name, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
		name, userID, hashSecret(secret), sqldb.Now())
	return secret, err
}

// TokenUser returns the user a token acts as.
func (s *Store) TokenUser(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, errs.E(errs.Unauthorized, "invalid API token")
	}
	h := hashSecret(secret)
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT u."+strings.ReplaceAll(userCols, ", ", ", u.")+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1", h))
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.Unauthorized, "invalid API token")
	}
	return u, err
}

// Tokens lists the tokens, newest first.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, user_id, created_at, last_used_at FROM api_tokens ORDER BY id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.Name, &t.UserID, &t.CreatedAt, &t.LastUsedAt); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeToken deletes a token.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM api_tokens WHERE id = $1", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "no such token")
	}
	return nil
}
