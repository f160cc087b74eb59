// Package account owns the people who write and run a site: users and their
// roles, passwords, login sessions, password-reset links and API tokens.
package account

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// Role decides what a user may do.
type Role string

const (
	Admin  Role = "admin"  // everything, including settings and users
	Editor Role = "editor" // every post and page, and comment moderation
	Author Role = "author" // their own posts only
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Admin, Editor, Author:
		return r, nil
	}
	return "", errs.Field("role", "role must be admin, editor or author")
}

// User is a person with an account.
type User struct {
	ID              int64     `json:"id"`
	Email           string    `json:"email"`
	Name            string    `json:"name"`
	Role            Role      `json:"role"`
	MustSetPassword bool      `json:"must_set_password"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	passwordHash    string
}

// DisplayName is the name shown on the site.
func (u *User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	name, _, _ := strings.Cut(u.Email, "@")
	return name
}

// CanManageSite covers settings, users and tokens.
func (u *User) CanManageSite() bool { return u != nil && u.Role == Admin }

// CanModerate covers comments.
func (u *User) CanModerate() bool { return u != nil && (u.Role == Admin || u.Role == Editor) }

// CanEditPost reports whether u may change a post written by authorID.
func (u *User) CanEditPost(authorID int64) bool {
	if u == nil {
		return false
	}
	return u.Role == Admin || u.Role == Editor || authorID == u.ID
}

// CanReadPrivate covers private posts and drafts on the public site.
func (u *User) CanReadPrivate() bool { return u != nil && (u.Role == Admin || u.Role == Editor) }

// Store keeps users, sessions and tokens.
type Store struct{ db *sqldb.DB }

// NewStore returns a Store on db.
func NewStore(db *sqldb.DB) *Store { return &Store{db: db} }

// NormalizeEmail lower-cases and validates an address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errs.Field("email", "an e-mail address is required")
	}
	if len(s) > 254 {
		return "", errs.Field("email", "the e-mail address is longer than 254 characters")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return "", errs.Field("email", "%q is not a valid e-mail address", s)
	}
	return s, nil
}

// MinPasswordLen is the shortest accepted password.
const MinPasswordLen = 10

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return errs.Field("password", "the password must have at least %d characters", MinPasswordLen)
	}
	if len(pw) > 1024 {
		return errs.Field("password", "the password is longer than 1024 bytes")
	}
	return nil
}

// Create adds a user. An empty password creates an account that must set one
// (imported WordPress authors).
func (s *Store) Create(ctx context.Context, email, name string, role Role, password string) (*User, error) {
	// Every problem at once (errors.Join), so that a form can mark them all.
	var problems []error
	email, err := NormalizeEmail(email)
	problems = append(problems, err)
	if _, err := ParseRole(string(role)); err != nil {
		problems = append(problems, err)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	if utf8.RuneCountInString(name) > 100 {
		problems = append(problems, errs.Field("name", "the name is longer than 100 characters"))
	}
	hash, must := "", true
	if password != "" {
		problems = append(problems, checkPassword(password))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	if password != "" {
		hash, must = HashPassword(password), false
	}
	now := sqldb.Now()
	u := &User{Email: email, Name: name, Role: role, MustSetPassword: must, CreatedAt: now, UpdatedAt: now, passwordHash: hash}
	err = s.db.WriteQueryRow(ctx, `INSERT INTO users (email, name, role, password_hash, must_set_password, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, email, name, string(role), hash, must, now, now).Scan(&u.ID)
	if err != nil {
		return nil, s.db.Err(err, "a user with this e-mail address already exists")
	}
	return u, nil
}

const userCols = "id, email, name, role, password_hash, must_set_password, created_at, updated_at"

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.passwordHash, &u.MustSetPassword, &u.CreatedAt, &u.UpdatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "no such user")
		}
		return nil, err
	}
	u.Role = Role(role)
	return &u, nil
}

// ByID finds a user.
func (s *Store) ByID(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = $1", id))
}

// ByEmail finds a user by address, case-insensitively.
func (s *Store) ByEmail(ctx context.Context, email string) (*User, error) {
	return scanUser(s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE email = $1", strings.ToLower(strings.TrimSpace(email))))
}

// List returns every user, oldest first.
func (s *Store) List(ctx context.Context) ([]*User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+userCols+" FROM users ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// Count returns the number of users.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}

// Update changes a user's name and role. The last admin cannot be demoted.
func (s *Store) Update(ctx context.Context, id int64, name string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if role != Admin {
			if err := lastAdminGuard(ctx, tx, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "UPDATE users SET name = $1, role = $2, updated_at = $3 WHERE id = $4",
			strings.TrimSpace(name), string(role), sqldb.Now(), id)
		return notFoundIfNone(res, err)
	})
}

func lastAdminGuard(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND id <> $1", id).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Conflict, "this is the last administrator; make someone else an administrator first")
	}
	return nil
}

// Delete removes a user; their posts stay, without an author.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lastAdminGuard(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = $1", id)
		return notFoundIfNone(res, err)
	})
}

// SetPassword changes a password and ends every session of the user; a
// password-reset link they were sent stops working too.
func (s *Store) SetPassword(ctx context.Context, id int64, pw string) error {
	if err := checkPassword(pw); err != nil {
		return err
	}
	hash := HashPassword(pw)
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return setPassword(ctx, tx, id, hash) })
}

// setPassword stores a new password hash in tx, ending the user's sessions
// and any password-reset link: every way a password changes goes here.
func setPassword(ctx context.Context, tx *sql.Tx, id int64, hash string) error {
	res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, must_set_password = $2, updated_at = $3 WHERE id = $4",
		hash, false, sqldb.Now(), id)
	if err := notFoundIfNone(res, err); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM password_resets WHERE user_id = $1", id)
	return err
}

// Authenticate checks an e-mail and password. The error does not say which
// of the two was wrong.
func (s *Store) Authenticate(ctx context.Context, email, pw string) (*User, error) {
	bad := errs.E(errs.Unauthorized, "wrong e-mail address or password")
	u, err := s.ByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		CheckPassword(dummyHash, pw)
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if u.passwordHash == "" || !CheckPassword(u.passwordHash, pw) {
		return nil, bad
	}
	return u, nil
}

func notFoundIfNone(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "no such user")
	}
	return nil
}
