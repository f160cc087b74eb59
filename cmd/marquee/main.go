// Command marquee is the whole of Marquee: the web server and the commands
// that manage a site's data. main only starts things; run does the work, so
// that tests can call it with their own arguments and environment.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "marquee:", err)
		os.Exit(exitCode(err))
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type env struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand: its name, a one-line summary and its body.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", cmdServe},
		{"token", "manage API tokens (create)", cmdToken},
		{"user", "manage users (add, list, reset-password)", cmdUser},
		{"post", "manage posts and pages as Markdown files (create, update, list, show, publish, delete)", cmdPost},
		{"import", "import a WordPress export: import wxr FILE", cmdImport},
		{"export", "export the site as WordPress WXR: export wxr > FILE", cmdExport},
		{"spam", "evaluate and train the spam filter (eval, train, reset)", cmdSpam},
		{"akismet", "manage Akismet API keys (add-key, list-keys, revoke-key)", cmdAkismet},
		{"privacy", "export or erase a commenter's data (export, erase)", cmdPrivacy},
		{"backup", "write a consistent copy of the database: backup FILE", cmdBackup},
		{"restore", "replace the database with a backup: restore FILE", cmdRestore},
		{"version", "print the version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return usageError("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(e, args[1:])
			if errors.Is(err, errHelp) {
				return nil
			}
			return err
		}
	}
	usage(stderr)
	return usageError(fmt.Sprintf("unknown command %q", args[0]))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Marquee: a self-hosted blog with comments and a local spam filter.")
	fmt.Fprintln(w, "\nUsage: marquee COMMAND [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'marquee COMMAND -h' for a command's flags.")
}

func cmdVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "marquee", version)
	return nil
}
