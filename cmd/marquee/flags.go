package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// errUsage marks a command-line mistake: exit code 2, like flag's own.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usageError(msg string) error { return errUsage{msg} }

// errHelp is returned after -h printed the usage: success, nothing more to do.
var errHelp = errors.New("help shown")

func exitCode(err error) int {
	var u errUsage
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("marquee "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: marquee %s [flags]%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; -h prints usage to stdout and stops the command.
func parse(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return errHelp
		}
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	return nil
}

// dbFlag adds the -db flag every command has, defaulting to $MARQUEE_DB.
func dbFlag(e *env, fs *flag.FlagSet) *string {
	def := e.getenv("MARQUEE_DB")
	if def == "" {
		def = "marquee.db"
	}
	return fs.String("db", def, "SQLite file path or postgres:// URL (env MARQUEE_DB)")
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}
