package account_test

import (
	"context"
	"strings"
	"testing"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestPasswordsAndSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := account.NewStore(db)
		u, err := s.Create(ctx, "Ann@Example.org", "", account.Admin, "long enough password")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ann@example.org" || u.Name != "ann" {
			t.Fatalf("created %+v", u)
		}
		if _, err := s.Create(ctx, "x@example.org", "", account.Author, "short"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("short password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "ann@example.org", "wrong password!"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "ANN@example.org", "long enough password"); err != nil {
			t.Fatalf("login: %v", err)
		}
		a, _ := s.CreateSession(ctx, u.ID)
		b, _ := s.CreateSession(ctx, u.ID)
		if a == b {
			t.Fatal("two logins share a session id")
		}
		if _, err := s.SessionUser(ctx, a); err != nil {
			t.Fatal(err)
		}
		// A password change ends every session.
		if err := s.SetPassword(ctx, u.ID, "a new long password"); err != nil {
			t.Fatal(err)
		}
		for _, sec := range []string{a, b} {
			if _, err := s.SessionUser(ctx, sec); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("session survived a password change: %v", err)
			}
		}
		// The last admin can be neither demoted nor deleted.
		if err := s.Update(ctx, u.ID, "Ann", account.Editor); !errs.Is(err, errs.Conflict) {
			t.Fatalf("demote last admin: %v", err)
		}
		if err := s.Delete(ctx, u.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("delete last admin: %v", err)
		}
		// Tokens.
		tok, err := s.CreateToken(ctx, u.ID, "ci")
		if err != nil || !strings.HasPrefix(tok, account.TokenPrefix) {
			t.Fatalf("token: %q %v", tok, err)
		}
		if got, err := s.TokenUser(ctx, tok); err != nil || got.ID != u.ID {
			t.Fatalf("token user: %v", err)
		}
		if _, err := s.TokenUser(ctx, tok+"x"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("bad token: %v", err)
		}
		// Only hashes are stored.
		var n int
		db.QueryRowContext(ctx, "SELECT count(*) FROM api_tokens WHERE token_hash = $1", tok).Scan(&n)
		if n != 0 {
			t.Fatal("a token is stored in clear")
		}
	})
}

func TestLoginBackoff(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := account.NewStore(db)
		s.Create(ctx, "bo@example.org", "", account.Author, "the right password")
		for i := range account.FreeFailures {
			if _, err := s.Login(ctx, "bo@example.org", "wrong", "192.0.2.1"); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		// One more failure starts the back-off, for the account…
		s.Login(ctx, "bo@example.org", "wrong", "192.0.2.1")
		_, err := s.Login(ctx, "bo@example.org", "the right password", "198.51.100.7")
		if !errs.Is(err, errs.TooMany) || errs.RetryAfter(err) < 1 {
			t.Fatalf("during back-off (other address): %v", err)
		}
		// …and for the address, whatever the account.
		if _, err := s.Login(ctx, "other@example.org", "x", "192.0.2.1"); !errs.Is(err, errs.TooMany) {
			t.Fatalf("during back-off (same address): %v", err)
		}
		// Another account from another address is not affected.
		s.Create(ctx, "ok@example.org", "", account.Author, "the right password")
		if _, err := s.Login(ctx, "ok@example.org", "the right password", "203.0.113.5"); err != nil {
			t.Fatalf("unrelated login: %v", err)
		}
	})
}
