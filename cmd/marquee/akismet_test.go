package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"marquee/internal/akismet"
	"marquee/internal/sqldb/sqldbtest"
)

func TestAkismetKeys(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"MARQUEE_DB": dsn}
			if _, _, err := runCmd(t, env, "", "akismet", "add-key"); exitCode(err) != 2 {
				t.Fatalf("add-key without -blog: %v", err)
			}
			if _, _, err := runCmd(t, env, "", "akismet", "frob"); exitCode(err) != 2 {
				t.Fatalf("unknown subcommand: %v", err)
			}
			for _, bad := range []string{"ftp://blog.example.org/", "blog.example.org", "https://user:pw@x.example/"} {
				if _, _, err := runCmd(t, env, "", "akismet", "add-key", "-blog", bad); err == nil || !strings.Contains(err.Error(), "not a web address") {
					t.Fatalf("add-key -blog %s: %v", bad, err)
				}
			}
			out, _, err := runCmd(t, env, "", "akismet", "add-key", "-blog", "https://blog.example.org/")
			fields := strings.Fields(out)
			if err != nil || len(fields) == 0 {
				t.Fatalf("add-key: %q %v", out, err)
			}
			key := fields[len(fields)-1]
			if n, ok := akismet.NormalizeKey(key); !ok || n != key || len(key) != akismet.KeyLen {
				t.Fatalf("add-key printed %q as the key", key)
			}
			_, _, err = runCmd(t, nil, "", "akismet", "add-key", "-db", dsn, "-blog", "https://two.example/")
			if err != nil {
				t.Fatal(err)
			}

			// The key works, and its calls show in list-keys.
			db := sqldbtest.Open(t, dsn)
			store := akismet.NewStore(db)
			k, err := store.Lookup(context.Background(), key)
			if err != nil || k.Revoked() {
				t.Fatalf("lookup: %+v %v", k, err)
			}
			store.Count(k.ID, akismet.Month(time.Now()), "blog.example.org", akismet.Usage{Calls: 3, Ham: 3})
			if err := store.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			out, _, err = runCmd(t, env, "", "akismet", "list-keys")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if err != nil || len(lines) != 3 || !strings.Contains(lines[1], key[:4]+"…") || strings.Contains(out, key) ||
				!strings.Contains(lines[1], "https://blog.example.org/") || !strings.Contains(strings.Join(strings.Fields(lines[1]), " "), " 3 active") ||
				!strings.Contains(lines[2], "https://two.example/") {
				t.Fatalf("list-keys:\n%s %v", out, err)
			}

			if _, _, err := runCmd(t, env, "", "akismet", "revoke-key"); exitCode(err) != 2 {
				t.Fatalf("revoke-key without a key: %v", err)
			}
			if _, _, err := runCmd(t, env, "", "akismet", "revoke-key", "0123456789ab"); err == nil || !strings.Contains(err.Error(), "no such key") {
				t.Fatalf("revoke unknown key: %v", err)
			}
			out, _, err = runCmd(t, env, "", "akismet", "revoke-key", key)
			if err != nil || !strings.Contains(out, "Revoked Akismet key") {
				t.Fatalf("revoke-key: %q %v", out, err)
			}
			if k, err := store.Lookup(context.Background(), key); err != nil || !k.Revoked() {
				t.Fatalf("after revoke: %+v %v", k, err)
			}
			if _, _, err := runCmd(t, env, "", "akismet", "revoke-key", "-id", "2"); err != nil {
				t.Fatalf("revoke-key -id: %v", err)
			}
			out, _, _ = runCmd(t, env, "", "akismet", "list-keys")
			if strings.Count(out, "revoked ") != 2 {
				t.Fatalf("list-keys after revoking:\n%s", out)
			}
			for _, args := range [][]string{{"akismet", "-h"}, {"akismet", "add-key", "-h"}, {"akismet", "list-keys", "-h"}, {"akismet", "revoke-key", "-h"}} {
				if out, _, err := runCmd(t, env, "", args...); err != nil || !strings.Contains(strings.ToLower(out), "usage") {
					t.Errorf("%v: %q %v", args, out, err)
				}
			}
		})
	}
}
