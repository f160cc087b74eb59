package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestPasswordReset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := account.NewStore(db)
		s.Create(ctx, "boss@example.org", "", account.Admin, "the boss's password")
		u, err := s.Create(ctx, "rita@example.org", "", account.Author, "the old password")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		first, err := s.CreateReset(ctx, u.ID, now)
		if err != nil || len(first) < 40 {
			t.Fatalf("reset secret %q: %v", first, err)
		}
		if got, err := s.ResetUser(ctx, first, now); err != nil || got.ID != u.ID {
			t.Fatalf("reset user: %v", err)
		}
		// Only a digest is stored.
		var n int
		db.QueryRowContext(ctx, "SELECT count(*) FROM password_resets WHERE token_hash = $1", first).Scan(&n)
		if n != 0 {
			t.Fatal("a reset secret is stored in clear")
		}
		// A new link replaces the one sent before.
		second, err := s.CreateReset(ctx, u.ID, now)
		if err != nil || second == first {
			t.Fatalf("second secret: %v", err)
		}
		if _, err := s.ResetUser(ctx, first, now); !errs.Is(err, errs.NotFound) {
			t.Fatalf("replaced link: %v", err)
		}
		if _, err := s.ResetPassword(ctx, first, "a brand new password", now); !errs.Is(err, errs.NotFound) {
			t.Fatalf("reset with a replaced link: %v", err)
		}
		for _, bad := range []string{"", "nonsense", second + "x"} {
			if _, err := s.ResetUser(ctx, bad, now); !errs.Is(err, errs.NotFound) {
				t.Fatalf("ResetUser(%q): %v", bad, err)
			}
		}
		// It works for an hour.
		if _, err := s.ResetUser(ctx, second, now.Add(account.ResetTTL-time.Second)); err != nil {
			t.Fatalf("just before expiry: %v", err)
		}
		if _, err := s.ResetUser(ctx, second, now.Add(account.ResetTTL+time.Second)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("after expiry: %v", err)
		}
		if _, err := s.ResetPassword(ctx, second, "a brand new password", now.Add(account.ResetTTL+time.Second)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("reset after expiry: %v", err)
		}
		// The password rules are those of every password; a refused one
		// leaves the link working.
		if _, err := s.ResetPassword(ctx, second, "short", now); !errs.Is(err, errs.Invalid) {
			t.Fatalf("short password: %v", err)
		}
		// Sessions end, the back-off is forgotten, the link is used up.
		sess, _ := s.CreateSession(ctx, u.ID)
		for range account.FreeFailures + 1 {
			s.Login(ctx, "rita@example.org", "a guess", "192.0.2.9")
		}
		got, err := s.ResetPassword(ctx, second, "a brand new password", now)
		if err != nil || got.ID != u.ID || got.Email != "rita@example.org" {
			t.Fatalf("reset: %+v %v", got, err)
		}
		if _, err := s.SessionUser(ctx, sess); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("a session survived the reset: %v", err)
		}
		if _, err := s.Authenticate(ctx, "rita@example.org", "the old password"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("old password: %v", err)
		}
		if _, err := s.Login(ctx, "rita@example.org", "a brand new password", "198.51.100.1"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		if _, err := s.ResetPassword(ctx, second, "yet another password", now); !errs.Is(err, errs.NotFound) {
			t.Fatalf("second use: %v", err)
		}

		// Any password change ends a link sent before it.
		third, _ := s.CreateReset(ctx, u.ID, now)
		if err := s.SetPassword(ctx, u.ID, "set by an administrator"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetUser(ctx, third, now); !errs.Is(err, errs.NotFound) {
			t.Fatalf("link after a password change: %v", err)
		}

		// The purge removes expired links only.
		other, _ := s.Create(ctx, "otto@example.org", "", account.Editor, "otto's password")
		s.CreateReset(ctx, u.ID, now.Add(-2*account.ResetTTL))
		live, _ := s.CreateReset(ctx, other.ID, now)
		if n, err := s.PurgeResets(ctx, now); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if _, err := s.ResetUser(ctx, live, now); err != nil {
			t.Fatalf("the purge took a live link: %v", err)
		}
		// Deleting the user deletes their link.
		if err := s.Delete(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		db.QueryRowContext(ctx, "SELECT count(*) FROM password_resets").Scan(&n)
		if n != 0 {
			t.Fatalf("%d links outlived their users", n)
		}
	})
}

// TestPasswordResetOnce: of several requests racing with one link, one
// sets the password.
func TestPasswordResetOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := account.NewStore(db)
		u, _ := s.Create(ctx, "race@example.org", "", account.Editor, "the old password")
		secret, err := s.CreateReset(ctx, u.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ResetPassword(ctx, secret, "racing new password", time.Now())
				if err != nil && !errs.Is(err, errs.NotFound) {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won++
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("%d requests used one link", won)
		}
	})
}
