package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"marquee/internal/account"
	"marquee/internal/app"
)

// openApp opens the site's data for a command that serves nothing.
func openApp(e *env, db string) (*app.App, error) {
	return app.Open(e.ctx, app.Config{DB: db}, nil)
}

func cmdUser(e *env, args []string) error {
	if len(args) == 0 {
		return usageError("usage: marquee user add|list|reset-password [flags]")
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(e, args[1:])
	case "list":
		return cmdUserList(e, args[1:])
	case "reset-password":
		return cmdUserResetPassword(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, "usage: marquee user add|list|reset-password [flags]")
		return nil
	}
	return usageError(fmt.Sprintf("unknown user command %q (add, list, reset-password)", args[0]))
}

// readPassword takes a password from standard input when something is piped
// in, and otherwise generates one; generated says which.
func readPassword(e *env) (pw string, generated bool, err error) {
	if f, ok := e.stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return account.GeneratePassword(), true, nil
		}
	}
	if e.stdin != nil {
		line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, err
		}
		if pw = strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, false, nil
		}
	}
	return account.GeneratePassword(), true, nil
}

func cmdUserAdd(e *env, args []string) error {
	fs := newFlags(e, "user add", "\n\nThe password is read from standard input, or generated and printed.")
	db := dbFlag(e, fs)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "author", "admin, editor or author")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError("-email is required")
	}
	r, err := account.ParseRole(*role)
	if err != nil {
		return usageError(err.Error())
	}
	pw, generated, err := readPassword(e)
	if err != nil {
		return err
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.Create(e.ctx, *email, *name, r, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added %s (%s) as user %d.\n", u.Email, u.Role, u.ID)
	if generated {
		fmt.Fprintf(e.stdout, "Generated password: %s\n", pw)
	}
	return nil
}

func cmdUserList(e *env, args []string) error {
	fs := newFlags(e, "user list", "")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	us, err := a.Accounts.List(e.ctx)
	if err != nil {
		return err
	}
	for _, u := range us {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, u.Name)
	}
	return nil
}

func cmdUserResetPassword(e *env, args []string) error {
	fs := newFlags(e, "user reset-password", "\n\nThe new password is read from standard input, or generated and printed.\nEvery session of the user ends.")
	db := dbFlag(e, fs)
	email := fs.String("email", "", "the user's e-mail address (required)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError("-email is required")
	}
	pw, generated, err := readPassword(e)
	if err != nil {
		return err
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.ByEmail(e.ctx, *email)
	if err != nil {
		return fmt.Errorf("%s: %w", *email, err)
	}
	if err := a.Accounts.SetPassword(e.ctx, u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Changed the password of %s; their sessions have ended.\n", u.Email)
	if generated {
		fmt.Fprintf(e.stdout, "New password: %s\n", pw)
	}
	return nil
}
