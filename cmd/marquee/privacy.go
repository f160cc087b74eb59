package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"marquee/internal/app"
	"marquee/internal/privacy"
)

const privacyUsage = "usage: marquee privacy export|erase|audit [flags]"

func cmdPrivacy(e *env, args []string) error {
	if len(args) == 0 {
		return usageError(privacyUsage)
	}
	switch args[0] {
	case "export":
		return cmdPrivacyExport(e, args[1:])
	case "erase":
		return cmdPrivacyErase(e, args[1:])
	case "audit":
		return cmdPrivacyAudit(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, privacyUsage)
		fmt.Fprintln(e.stdout, "\n  export -email E         print everything stored about an e-mail address, as JSON")
		fmt.Fprintln(e.stdout, "  erase -email E [-delete] anonymise (or delete) its comments and forget it")
		fmt.Fprintln(e.stdout, "  audit                    list the exports, erasures and retention runs")
		return nil
	}
	return usageError(fmt.Sprintf("unknown privacy command %q (export, erase, audit)", args[0]))
}

// privacyService builds the privacy service on an opened app.
func privacyService(a *app.App) *privacy.Service {
	return privacy.New(a.DB, a.Comments, a.Spam)
}

func cmdPrivacyExport(e *env, args []string) error {
	fs := newFlags(e, "privacy export", "\n\nPrints, as JSON, every comment written with the address (every stored field) and the spam\nfilter's samples of it. Nothing found is an empty document, not an error.")
	db := dbFlag(e, fs)
	email := fs.String("email", "", "the commenter's e-mail address (required; any case)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError("-email is required")
	}
	if fs.NArg() > 0 {
		return usageError("export takes no arguments")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	d, err := privacyService(a).Export(e.ctx, *email, privacy.CLI)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

func cmdPrivacyErase(e *env, args []string) error {
	fs := newFlags(e, "privacy erase", "\n\nAnonymises the address's comments (the author becomes \"Anonymous\"; e-mail, website, IP address,\nuser agent and referrer are removed; the text stays) or, with -delete, deletes them (replies move\nup). Reply notifications stop and the spam filter's samples of the address are deleted.")
	db := dbFlag(e, fs)
	email := fs.String("email", "", "the commenter's e-mail address (required; any case)")
	del := fs.Bool("delete", false, "delete the comments instead of anonymising them")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError("-email is required")
	}
	if fs.NArg() > 0 {
		return usageError("erase takes no arguments")
	}
	mode := privacy.Anonymize
	if *del {
		mode = privacy.Delete
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := privacyService(a).Erase(e.ctx, *email, mode, privacy.CLI)
	if err != nil {
		return err
	}
	done := "Anonymised"
	if mode == privacy.Delete {
		done = "Deleted"
	}
	fmt.Fprintf(e.stdout, "%s %d %s of %s.\n", done, r.Comments, privacyPlural(r.Comments, "comment", "comments"), *email)
	fmt.Fprintf(e.stdout, "Stopped %d reply %s.\n", r.Unsubscribed, privacyPlural(r.Unsubscribed, "notification", "notifications"))
	fmt.Fprintf(e.stdout, "Deleted %d spam-filter %s.\n", r.SpamSamples, privacyPlural(r.SpamSamples, "sample", "samples"))
	if r.Mail > 0 {
		fmt.Fprintf(e.stdout, "Deleted %d queued or sent %s.\n", r.Mail, privacyPlural(r.Mail, "mail", "mails"))
	}
	fmt.Fprintf(e.stdout, "Request id: %s\n", r.RequestID)
	return nil
}

func privacyPlural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func cmdPrivacyAudit(e *env, args []string) error {
	fs := newFlags(e, "privacy audit", "\n\nLists the latest exports, erasures and retention runs, newest first. The log names no one.")
	db := dbFlag(e, fs)
	limit := fs.Int("limit", 50, "how many entries (1 to 1000)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("audit takes no arguments")
	}
	if *limit < 1 || *limit > 1000 {
		return usageError("-limit must be between 1 and 1000")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	es, err := privacyService(a).Audit(e.ctx, *limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (UTC)\tACTION\tACTOR\tCOMMENTS\tSAMPLES\tREQUEST")
	for _, x := range es {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", x.CreatedAt.UTC().Format("2006-01-02 15:04:05"), x.Action, x.Actor, x.Comments, x.Samples, x.RequestID)
	}
	return tw.Flush()
}
