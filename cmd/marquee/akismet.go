package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"marquee/internal/akismet"
)

const akismetUsage = "usage: marquee akismet add-key|list-keys|revoke-key [flags]"

func cmdAkismet(e *env, args []string) error {
	if len(args) == 0 {
		return usageError(akismetUsage)
	}
	switch args[0] {
	case "add-key":
		return cmdAkismetAddKey(e, args[1:])
	case "list-keys":
		return cmdAkismetListKeys(e, args[1:])
	case "revoke-key":
		return cmdAkismetRevokeKey(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, akismetUsage)
		fmt.Fprintln(e.stdout, "\nKeys for the Akismet-compatible API (/1.1/comment-check, …): clients send a key as the")
		fmt.Fprintln(e.stdout, "api_key field or as the first label of the host name (KEY.akismet.example.org).")
		return nil
	}
	return usageError(fmt.Sprintf("unknown akismet command %q (add-key, list-keys, revoke-key)", args[0]))
}

func cmdAkismetAddKey(e *env, args []string) error {
	fs := newFlags(e, "akismet add-key", "\n\nMakes an Akismet API key and prints it as the last word; it is shown only once.")
	db := dbFlag(e, fs)
	blog := fs.String("blog", "", "the URL of the blog that will use the key (required)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *blog == "" {
		return usageError("-blog is required")
	}
	if fs.NArg() > 0 {
		return usageError("add-key takes no arguments")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	key, k, err := a.AkismetKeys.AddKey(e.ctx, *blog)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added Akismet key %d for %s. It is shown only this once.\nKey: %s\n", k.ID, k.Blog, key)
	return nil
}

func cmdAkismetListKeys(e *env, args []string) error {
	fs := newFlags(e, "akismet list-keys", "\n\nLists the keys (only their first characters are stored) with this month's comment-check calls.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	month := akismet.Month(time.Now())
	ks, err := a.AkismetKeys.Keys(e.ctx, month)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tKEY\tBLOG\tCREATED\tCALLS %s\tSTATUS\n", month)
	for _, k := range ks {
		status := "active"
		if k.Revoked() {
			status = "revoked " + k.RevokedAt.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%d\t%s\n", k.ID, k.Prefix, k.Blog, k.CreatedAt.UTC().Format("2006-01-02"), k.Calls, status)
	}
	return tw.Flush()
}

func cmdAkismetRevokeKey(e *env, args []string) error {
	fs := newFlags(e, "akismet revoke-key", " KEY\n\nRevokes a key: every call with it is answered invalid from now on.\nGive the key, or -id with the ID that list-keys shows.")
	db := dbFlag(e, fs)
	id := fs.Int64("id", 0, "revoke the key with this ID (from list-keys) instead")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if (*id == 0) == (fs.NArg() != 1) {
		return usageError("give the key to revoke, or -id N")
	}
	a, err := openApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	store := a.AkismetKeys
	var k *akismet.Key
	if *id != 0 {
		k, err = store.RevokeID(e.ctx, *id)
	} else {
		k, err = store.Revoke(e.ctx, fs.Arg(0))
	}
	if err != nil {
		what := "key " + strconv.FormatInt(*id, 10)
		if *id == 0 {
			what = "that key"
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	fmt.Fprintf(e.stdout, "Revoked Akismet key %d (%s…, %s).\n", k.ID, k.Prefix, k.Blog)
	return nil
}
