package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// seedComments stores a post with two comments of alice@example.org and
// one of bob@example.net.
func seedComments(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.Open(t, dsn)
	var post int64
	now := sqldb.Now()
	if err := db.WriteQueryRow(ctx, `INSERT INTO posts (type, title, slug, status, published_at, created_at, updated_at)
		VALUES ('post', 'Hello', 'hello', 'published', $1, $1, $1) RETURNING id`, now).Scan(&post); err != nil {
		t.Fatal(err)
	}
	store := comment.NewStore(db, markup.New(markup.Options{}))
	for _, c := range []comment.Comment{
		{Author: "Alice", Email: "alice@example.org", URL: "https://alice.example", IP: "203.0.113.77", Content: "First!", Notify: true},
		{Author: "Alice", Email: "alice@example.org", IP: "203.0.113.77", Content: "Second."},
		{Author: "Bob", Email: "bob@example.net", IP: "198.51.100.9", Content: "Hi."},
	} {
		c.PostID, c.Status = post, comment.Approved
		if err := store.Create(ctx, &c, 5); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPrivacyCommands(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			seedComments(t, dsn)
			env := map[string]string{"MARQUEE_DB": dsn}

			out, _, err := runCmd(t, env, "", "privacy", "export", "-email", "Alice@Example.org")
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			var doc struct {
				Email    string `json:"email"`
				Comments []struct {
					Email, IP, Content, PostPath string
				} `json:"comments"`
				Counts struct {
					Comments int `json:"comments"`
				} `json:"counts"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("export is not JSON: %v\n%s", err, out)
			}
			if doc.Email != "alice@example.org" || len(doc.Comments) != 2 || doc.Counts.Comments != 2 || doc.Comments[0].IP != "203.0.113.77" ||
				!strings.Contains(out, `"post_path": "/hello/"`) || strings.Contains(out, "bob@example.net") {
				t.Fatalf("export: %s", out)
			}

			out, _, err = runCmd(t, env, "", "privacy", "export", "-db", dsn, "-email", "nobody@example.org")
			if err != nil || !strings.Contains(out, `"comments": []`) {
				t.Fatalf("export of an unknown address: %q %v", out, err)
			}

			out, _, err = runCmd(t, env, "", "privacy", "erase", "-email", "alice@example.org")
			if err != nil || !strings.Contains(out, "Anonymised 2 comments of alice@example.org") || !strings.Contains(out, "Stopped 1 reply notification.") {
				t.Fatalf("erase: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "", "privacy", "export", "-email", "alice@example.org")
			if err != nil || !strings.Contains(out, `"comments": []`) {
				t.Fatalf("export after erasure: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "", "privacy", "erase", "-delete", "-email", "bob@example.net")
			if err != nil || !strings.Contains(out, "Deleted 1 comment of bob@example.net") {
				t.Fatalf("erase -delete: %q %v", out, err)
			}

			out, _, err = runCmd(t, env, "", "privacy", "audit")
			if err != nil || !strings.Contains(out, "erase-anonymize") || !strings.Contains(out, "erase-delete") ||
				strings.Count(out, "export") != 3 || strings.Contains(out, "@") {
				t.Fatalf("audit: %q %v", out, err)
			}
		})
	}
}

func TestPrivacyUsage(t *testing.T) {
	env := map[string]string{"MARQUEE_DB": sqldbtest.DSNs(t)["sqlite"]}
	for _, args := range [][]string{{"privacy"}, {"privacy", "shred"}, {"privacy", "export"}, {"privacy", "erase", "-delete"},
		{"privacy", "export", "-email", "a@b.example", "extra"}, {"privacy", "audit", "-limit", "0"}} {
		if _, _, err := runCmd(t, env, "", args...); exitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v)", args, exitCode(err), err)
		}
	}
	for _, args := range [][]string{{"privacy", "-h"}, {"privacy", "export", "-h"}, {"privacy", "erase", "-h"}, {"privacy", "audit", "-h"}} {
		out, _, err := runCmd(t, env, "", args...)
		if err != nil || !strings.Contains(strings.ToLower(out), "usage") {
			t.Errorf("%v: %q %v", args, out, err)
		}
	}
	if _, _, err := runCmd(t, env, "", "privacy", "erase", "-email", "not-an-address"); err == nil || exitCode(err) != 1 ||
		!strings.Contains(err.Error(), "not an e-mail address") {
		t.Errorf("bad address: %v", err)
	}
}
