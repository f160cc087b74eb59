package app

import (
	"context"
	"fmt"
	"io"

	"marquee/internal/account"
	"marquee/internal/demo"
	"marquee/internal/post"
)

// DefaultAdminEmail is the first admin's address when none is configured.
const DefaultAdminEmail = "admin@example.com"

// FirstRun prepares an empty site: an admin account (from the config, or
// with a generated password printed once to out) and, unless disabled, the
// demo content. On a site that has users it does nothing.
func (a *App) FirstRun(ctx context.Context, out io.Writer, loginURL string) error {
	n, err := a.Accounts.Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	email, pw, generated := a.Config.AdminEmail, a.Config.AdminPassword, false
	if email == "" {
		email = DefaultAdminEmail
	}
	if pw == "" {
		pw, generated = account.GeneratePassword(), true
	}
	u, err := a.Accounts.Create(ctx, email, "", account.Admin, pw)
	if err != nil {
		if generated || a.Config.AdminPassword == "" {
			return fmt.Errorf("create the admin account: %w", err)
		}
		return fmt.Errorf("create the admin account from MARQUEE_ADMIN_EMAIL/MARQUEE_ADMIN_PASSWORD: %w", err)
	}
	fmt.Fprintf(out, "Created the admin account. Log in at %s\n  e-mail:   %s\n", loginURL, u.Email)
	if generated {
		fmt.Fprintf(out, "  password: %s\n  (shown once: keep it somewhere safe; change it under Your account)\n", pw)
	} else {
		fmt.Fprintf(out, "  password: the one in MARQUEE_ADMIN_PASSWORD\n")
	}
	if !a.Config.Demo {
		return nil
	}
	counts, err := a.Posts.Count(ctx, post.TypePost)
	if err != nil {
		return err
	}
	if len(counts) > 0 {
		return nil
	}
	if err := demo.Seed(ctx, a.Posts, u.ID, a.now()); err != nil {
		return fmt.Errorf("demo content: %w", err)
	}
	fmt.Fprintln(out, "Added demo posts and an About page (start without them with -demo=false).")
	return nil
}
