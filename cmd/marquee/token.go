package main

import (
	"fmt"

	"marquee/internal/account"
)

func cmdToken(e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "usage: marquee token create -name NAME [-user EMAIL]")
			return nil
		}
		return usageError("usage: marquee token create -name NAME [-user EMAIL]")
	}
	fs := newFlags(e, "token create", "\n\nPrints the new token as the last word; it is shown only once.")
	db := dbFlag(e, fs)
	name := fs.String("name", "", "what the token is for (required)")
	userEmail := fs.String("user", "", "the user the token acts as (default: the first admin)")
	if err := parse(e, fs, args[1:]); err != nil {
		return err
	}
	if *name == "" {
		return usageError("-name is required")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	var u *account.User
	if *userEmail != "" {
		if u, err = a.Accounts.ByEmail(e.ctx, *userEmail); err != nil {
			return fmt.Errorf("%s: %w", *userEmail, err)
		}
	} else {
		us, err := a.Accounts.List(e.ctx)
		if err != nil {
			return err
		}
		for _, x := range us {
			if x.Role == account.Admin {
				u = x
				break
			}
		}
		if u == nil {
			return fmt.Errorf("the site has no admin yet: run 'marquee serve' once or 'marquee user add -role admin'")
		}
	}
	secret, err := a.Accounts.CreateToken(e.ctx, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "API token %q for %s: %s\n", *name, u.Email, secret)
	return nil
}
