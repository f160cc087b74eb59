package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"marquee/internal/app"
	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
)

// lastWord is what scripts take from a command's output.
func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

var createdRe = regexp.MustCompile(`^(Created|Updated) (post|page) (\d+) \((\w+)\): (http\S+)\n$`)

// created checks the output of post create or update and returns the id
// and the URL.
func created(t *testing.T, out string, err error) (id, url string) {
	t.Helper()
	m := createdRe.FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("create/update: %q %v", out, err)
	}
	if lastWord(out) != m[5] {
		t.Fatalf("the URL is not the last word: %q", out)
	}
	return m[3], m[5]
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPostCommands writes, lists, shows, updates, publishes and deletes
// posts from Markdown files as a writer would.
func TestPostCommands(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"MARQUEE_DB": dsn, "MARQUEE_BASE_URL": "https://blog.example.org"}
			run := func(stdin string, args ...string) (string, error) {
				t.Helper()
				out, _, err := runCmd(t, env, stdin, append([]string{"post"}, args...)...)
				return out, err
			}
			hello := writeFile(t, dir, "hello.md", "---\ntitle: Hello, world\nslug: hello\ndate: 2024-05-01 10:00\n"+
				"tags: [travel, \"food, drink\"]\nstatus: published\nexcerpt: A first post.\n---\n\n# A heading in the body\n\nSome *text*.\n")

			// No admin yet: no one to credit the post to.
			if _, err := run("", "create", hello); exitCode(err) != 1 || !strings.Contains(err.Error(), "no admin") {
				t.Fatalf("create without an admin: %v", err)
			}
			if _, _, err := runCmd(t, env, "a-good-password-1\n", "user", "add", "-email", "root@example.org", "-role", "admin"); err != nil {
				t.Fatal(err)
			}

			// From a file with front matter.
			out, err := run("", "create", hello)
			helloID, url := created(t, out, err)
			if url != "https://blog.example.org/hello/" || !strings.Contains(out, "Created post "+helloID+" (published)") {
				t.Fatalf("create: %q", out)
			}
			show, err := run("", "show", helloID)
			want := "---\ntitle: Hello, world\nslug: hello\ntype: post\nstatus: published\ndate: 2024-05-01T10:00:00Z\n" +
				"tags: [\"food, drink\", travel]\nexcerpt: A first post.\n---\n\n# A heading in the body\n\nSome *text*.\n"
			if err != nil || show != want {
				t.Fatalf("show:\n%s\nwant:\n%s(%v)", show, want, err)
			}

			// Flags win over the front matter.
			out, err = run("", "create", "-title", "Flagged", "-slug", "flagged", "-tags", "one,two", "-status", "draft",
				"-type", "page", "-at", "2023-01-02T03:04:05Z", hello)
			flaggedID, url := created(t, out, err)
			if url != "https://blog.example.org/flagged/" || !strings.Contains(out, "Created page "+flaggedID+" (draft)") {
				t.Fatalf("create with flags: %q", out)
			}
			show, _ = run("", "show", flaggedID)
			for _, w := range []string{"title: Flagged\n", "slug: flagged\n", "type: page\n", "status: draft\n", "date: 2023-01-02T03:04:05Z\n",
				"tags: [one, two]\n", "excerpt: A first post.\n"} {
				if !strings.Contains(show, w) {
					t.Errorf("flagged show lacks %q:\n%s", w, show)
				}
			}

			// From standard input, the title from the first heading (not
			// one in a code block), which leaves the body.
			out, err = run("Intro line.\n\n```sh\n# a shell comment\n```\n\n# Read from stdin\n\nThe rest.\n", "create", "-status", "published", "-")
			stdinID, url := created(t, out, err)
			if url != "https://blog.example.org/read-from-stdin/" {
				t.Fatalf("stdin: %q", out)
			}
			show, _ = run("", "show", stdinID)
			if !strings.Contains(show, "title: Read from stdin\n") || strings.Contains(show, "# Read from stdin") ||
				!strings.Contains(show, "# a shell comment") || !strings.HasSuffix(show, "---\n\nIntro line.\n\n```sh\n# a shell comment\n```\n\n\nThe rest.\n") {
				t.Fatalf("title from heading:\n%s", show)
			}

			// The list: aligned columns, newest change first, filters.
			out, err = run("", "list")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if err != nil || len(lines) != 4 {
				t.Fatalf("list: %q %v", out, err)
			}
			col := strings.Index(lines[0], "TITLE")
			if !strings.HasPrefix(lines[0], "ID  TYPE  STATUS") || col < 0 {
				t.Fatalf("list header: %q", lines[0])
			}
			if !strings.HasPrefix(lines[1], stdinID+" ") || lines[1][col:] != "Read from stdin" || lines[3][col:] != "Hello, world" ||
				!strings.Contains(lines[3], " published  2024-05-01 10:00  hello ") || !strings.Contains(lines[2], " page  draft ") {
				t.Fatalf("list:\n%s", out)
			}
			if out, err := run("", "list", "-status", "draft"); err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, "Flagged") {
				t.Fatalf("list -status draft: %q %v", out, err)
			}
			if out, err := run("", "list", "-type", "post", "-limit", "1"); err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, "Read from stdin") {
				t.Fatalf("list -type post -limit 1: %q %v", out, err)
			}

			// show → update with nothing changed changes nothing; show →
			// create (after a delete) makes the same post again.
			show, _ = run("", "show", helloID)
			if out, err := run(show, "update", helloID, "-"); err != nil {
				t.Fatalf("update from show: %q %v", out, err)
			}
			if again, _ := run("", "show", helloID); again != show {
				t.Fatalf("show → update changed the post:\n%s\n---- became ----\n%s", show, again)
			}
			out, err = run("", "delete", helloID)
			if err != nil || out != "Deleted post "+helloID+" \"Hello, world\" (published, /hello/) and its comments.\n" {
				t.Fatalf("delete: %q %v", out, err)
			}
			if _, err := run("", "show", helloID); exitCode(err) != 1 || !strings.Contains(err.Error(), "no such post") {
				t.Fatalf("show after delete: %v", err)
			}
			out, err = run(show, "create", "-")
			helloID, _ = created(t, out, err)
			if again, _ := run("", "show", helloID); again != show {
				t.Fatalf("show → create is not the same post:\n%s\n---- became ----\n%s", show, again)
			}

			// update: the body and the fields given; the others stay.
			upd := writeFile(t, dir, "upd.md", "---\ntags: []\nexcerpt: \"\"\n---\nNew body.\n")
			out, err = run("", "update", "-title", "Hello again", helloID, upd)
			if id, url := created(t, out, err); id != helloID || url != "https://blog.example.org/hello/" {
				t.Fatalf("update: %q", out)
			}
			show, _ = run("", "show", helloID)
			if !strings.Contains(show, "title: Hello again\nslug: hello\n") || !strings.Contains(show, "date: 2024-05-01T10:00:00Z\ntags: []\n---\n\nNew body.\n") ||
				strings.Contains(show, "excerpt") {
				t.Fatalf("after update:\n%s", show)
			}
			// Front matter and no body: the body stays.
			if _, err := run("---\nslug: hello-again\ntags: x, y\n---\n", "update", helloID, "-"); err != nil {
				t.Fatal(err)
			}
			show, _ = run("", "show", helloID)
			if !strings.Contains(show, "slug: hello-again\n") || !strings.Contains(show, "tags: [x, \"y\"]\n") || !strings.HasSuffix(show, "\nNew body.\n") {
				t.Fatalf("front-matter-only update:\n%s", show)
			}
			if _, err := run("\n\n", "update", helloID, "-"); exitCode(err) != 1 || !strings.Contains(err.Error(), "empty") {
				t.Fatalf("empty update: %v", err)
			}

			// publish: a draft now; a second time says so.
			out, err = run("", "publish", stdinID)
			if err != nil || !strings.Contains(out, "already published") {
				t.Fatalf("publish a published post: %q %v", out, err)
			}
			out, err = run("", "create", "-title", "Later", "-")
			laterID, _ := created(t, out, err)
			before := time.Now().Add(-time.Second)
			out, err = run("", "publish", laterID)
			if err != nil || out != "Published post "+laterID+": https://blog.example.org/later/\n" {
				t.Fatalf("publish: %q %v", out, err)
			}
			p := loadPost(t, dsn, laterID)
			if p.Status != post.Published || p.PublishedAt.Before(before) || p.PublishedAt.After(time.Now()) {
				t.Fatalf("published: %s at %v", p.Status, p.PublishedAt)
			}
			if p.AuthorID == 0 || p.Body != "" || !p.CommentsOpen {
				t.Fatalf("created post: author %d, body %q, comments open %v", p.AuthorID, p.Body, p.CommentsOpen)
			}
			// Rendered and sanitised as the admin and the API do.
			if p := loadPost(t, dsn, stdinID); !strings.Contains(p.BodyHTML, "<pre><code") || p.Summary == "" || !p.CommentsOpen {
				t.Fatalf("rendering: %q / %q", p.BodyHTML, p.Summary)
			}
			if p := loadPost(t, dsn, flaggedID); p.CommentsOpen {
				t.Fatal("a page was opened for comments")
			}
		})
	}
}

// loadPost reads a post straight from the store.
func loadPost(t *testing.T, dsn, id string) *post.Post {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: dsn}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	n, _ := postID(id)
	p, err := a.Posts.ByID(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPostScheduled: a scheduled post answers 404 until its time, then
// 200, and its status follows.
func TestPostScheduled(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"MARQUEE_DB": dsn}
			if _, _, err := runCmd(t, env, "", "user", "add", "-email", "root@example.org", "-role", "admin"); err != nil {
				t.Fatal(err)
			}
			a, err := app.Open(context.Background(), app.Config{DB: dsn}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			h, err := a.Handler()
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			status := func(path string) int {
				res, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}

			if _, _, err := runCmd(t, env, "# Soon\n\nNot yet.\n", "post", "create", "-status", "scheduled", "-"); exitCode(err) != 2 ||
				!strings.Contains(err.Error(), "needs a date") {
				t.Fatalf("scheduled without a date: %v", err)
			}
			due := time.Now().Add(3 * time.Second).Truncate(time.Second).Add(time.Second)
			out, _, err := runCmd(t, env, "# Soon\n\nNot yet.\n", "post", "create", "-status", "scheduled", "-at", due.Format(time.RFC3339), "-")
			id, _ := created(t, out, err)
			if !strings.Contains(out, "(scheduled)") {
				t.Fatalf("create scheduled: %q", out)
			}
			// A published post with a future date is scheduled too.
			out, _, err = runCmd(t, env, "---\ntitle: Next year\nstatus: published\ndate: "+time.Now().AddDate(1, 0, 0).Format("2006-01-02")+"\n---\nLater.\n", "post", "create", "-")
			created(t, out, err)
			if !strings.Contains(out, "(scheduled)") {
				t.Fatalf("future published: %q", out)
			}
			if code := status("/soon/"); code != http.StatusNotFound {
				t.Fatalf("a scheduled post answers %d before its time", code)
			}
			if out, _, _ := runCmd(t, env, "", "post", "list", "-status", "scheduled"); strings.Count(out, "scheduled") != 2 {
				t.Fatalf("list -status scheduled: %q", out)
			}
			time.Sleep(time.Until(due) + 100*time.Millisecond)
			if code := status("/soon/"); code != http.StatusOK {
				t.Fatalf("a scheduled post answers %d after its time", code)
			}
			if out, _, _ := runCmd(t, env, "", "post", "show", id); !strings.Contains(out, "status: published\n") {
				t.Fatalf("show after the time: %q", out)
			}
			if code := status("/next-year/"); code != http.StatusNotFound {
				t.Fatalf("next year's post answers %d", code)
			}
		})
	}
}

// TestPostErrors: every mistake is a message and the right exit code,
// and changes nothing.
func TestPostErrors(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"MARQUEE_DB": dsn}
			if _, _, err := runCmd(t, env, "", "user", "add", "-email", "root@example.org", "-role", "admin"); err != nil {
				t.Fatal(err)
			}
			good := writeFile(t, dir, "good.md", "---\ntitle: Good\n---\nBody.\n")
			out, _, err := runCmd(t, env, "", "post", "create", good)
			id, _ := created(t, out, err)

			for _, c := range []struct {
				stdin string
				args  []string
				code  int
				want  string
			}{
				{"---\ntitle: x\nlayout: post\n---\n", []string{"create", "-"}, 1, `standard input line 3: unknown front-matter key "layout"`},
				{"---\ntitle: x\ndate: 31/12/2024\n---\n", []string{"create", "-"}, 1, `standard input line 3: "31/12/2024" is not a date`},
				{"No title here.\n## Nor here\n", []string{"create", "-"}, 1, "standard input has no title"},
				{"", []string{"create", filepath.Join(dir, "missing.md")}, 1, "no such file"},
				{"# T\n", []string{"create", "-at", "next week", "-"}, 2, `-at: "next week" is not a date`},
				{"# T\n", []string{"create", "-status", "live", "-"}, 2, "-status: status must be"},
				{"# T\n", []string{"create", "-type", "article", "-"}, 2, "-type: type must be post or page"},
				{"# T\n", []string{"create", "-slug", "Not A Slug", "-"}, 2, "-slug"},
				{"# T\n", []string{"create", "-title", " ", "-"}, 2, "-title must not be empty"},
				{"# T\n", []string{"create", "-slug", "good", "-"}, 1, `the slug "good" is taken`},
				{"# T\n", []string{"create", "-slug", "admin", "-"}, 1, "used by the site itself"},
				{"# T\n", []string{"create", "-author", "nobody@example.org", "-"}, 1, "-author nobody@example.org: no such user"},
				{"", []string{"create"}, 2, "usage: marquee post create"},
				{"", []string{"create", "a.md", "b.md"}, 2, "usage: marquee post create"},
				{"", []string{"create", good, "-title", "x"}, 2, "-title after the arguments"},
				{"", []string{"create", "-bogus", good}, 2, "flag provided but not defined"},
				{"# T\n", []string{"update", "999", "-"}, 1, "post 999: no such post"},
				{"# T\n", []string{"update", "x", "-"}, 2, `"x" is not a post id`},
				{"# T\n", []string{"update", id}, 2, "usage: marquee post update"},
				{"---\ntitle: \"\"\n---\n", []string{"update", id, "-"}, 1, "a title is required"},
				{"", []string{"show", "999"}, 1, "post 999: no such post"},
				{"", []string{"show", "0"}, 2, "not a post id"},
				{"", []string{"show"}, 2, "usage: marquee post show ID"},
				{"", []string{"publish", "999"}, 1, "post 999: no such post"},
				{"", []string{"delete", "999"}, 1, "post 999: no such post"},
				{"", []string{"delete", "-5"}, 2, "flag provided but not defined"},
				{"", []string{"list", "-status", "gone"}, 2, "-status"},
				{"", []string{"list", "-limit", "0"}, 2, "-limit"},
				{"", []string{"list", "extra"}, 2, "usage: marquee post list"},
				{"", []string{"frobnicate"}, 2, `unknown post command "frobnicate"`},
				{"", nil, 2, "usage: marquee post"},
			} {
				_, _, err := runCmd(t, env, c.stdin, append([]string{"post"}, c.args...)...)
				if err == nil || exitCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%v: exit %d, %v; want %d and %q", c.args, exitCode(err), err, c.code, c.want)
				}
			}

			// Two admins: whose post it is must be said.
			if _, _, err := runCmd(t, env, "", "user", "add", "-email", "second@example.org", "-role", "admin"); err != nil {
				t.Fatal(err)
			}
			_, _, err = runCmd(t, env, "", "post", "create", good)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), "2 admins") || !strings.Contains(err.Error(), "-author") {
				t.Fatalf("ambiguous author: %v", err)
			}
			out, _, err = runCmd(t, env, "", "post", "create", "-author", "Second@Example.org", "-slug", "by-second", good)
			created(t, out, err)

			// Nothing but the two good posts was stored.
			out, _, err = runCmd(t, env, "", "post", "list")
			if err != nil || strings.Count(out, "\n") != 3 {
				t.Fatalf("after the errors:\n%s", out)
			}
			if p := loadPost(t, dsn, id); p.Title != "Good" || p.Body != "Body." {
				t.Fatalf("a failed update changed the post: %q %q", p.Title, p.Body)
			}
		})
	}
}

func TestPostHelp(t *testing.T) {
	env := map[string]string{"MARQUEE_DB": filepath.Join(t.TempDir(), "x.db")}
	for _, args := range [][]string{{"post", "-h"}, {"post", "create", "-h"}, {"post", "update", "-h"}, {"post", "list", "-h"},
		{"post", "show", "-h"}, {"post", "publish", "-h"}, {"post", "delete", "-h"}} {
		out, _, err := runCmd(t, env, "", args...)
		if err != nil || !strings.Contains(strings.ToLower(out), "usage") {
			t.Errorf("%v: %q %v", args, out, err)
		}
	}
	if out, _, _ := runCmd(t, env, "", "post", "create", "-h"); !strings.Contains(out, "excerpt:") || !strings.Contains(out, "-author") {
		t.Errorf("create -h does not describe the front matter:\n%s", out)
	}
	if _, err := os.Stat(env["MARQUEE_DB"]); err == nil {
		t.Error("-h opened the database")
	}
}

// TestPostSeenByRunningServer: a running `marquee serve` shows what the
// CLI writes within a couple of seconds, and no stale cached home page.
func TestPostSeenByRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs the server")
	}
	bin := buildMarquee(t)
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			d := startServe(t, bin, dsn)
			c := &http.Client{Timeout: 10 * time.Second}
			code := func(url string) int {
				res, err := c.Get(url)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			// Warm the home page's cache.
			get(t, c, d.base+"/")
			if res, err := c.Get(d.base + "/"); err != nil || res.Header.Get("X-Cache") != "hit" {
				t.Fatalf("the home page is not cached: %v", err)
			} else {
				res.Body.Close()
			}
			env := map[string]string{"MARQUEE_DB": dsn}
			out, _, err := runCmd(t, env, "# Written in a terminal\n\nHello from the CLI.\n", "post", "create", "-status", "published", "-base-url", d.base, "-")
			id, url := created(t, out, err)
			if !strings.HasPrefix(url, d.base+"/") {
				t.Fatalf("URL %s is not on %s", url, d.base)
			}
			eventually(t, 3*time.Second, "the new post answers 200", func() bool { return code(url) == http.StatusOK })
			eventually(t, 3*time.Second, "the home page lists the new post", func() bool {
				return strings.Contains(get(t, c, d.base+"/"), "Written in a terminal")
			})
			// Cache it again, then change the title.
			get(t, c, url)
			if _, _, err := runCmd(t, env, "---\ntitle: Renamed in a terminal\n---\n", "post", "update", id, "-"); err != nil {
				t.Fatal(err)
			}
			eventually(t, 3*time.Second, "the home page and the post show the new title", func() bool {
				home, page := get(t, c, d.base+"/"), get(t, c, url)
				return strings.Contains(home, "Renamed in a terminal") && !strings.Contains(home, "Written in a terminal") &&
					strings.Contains(page, "Renamed in a terminal")
			})
			// A draft published from the CLI appears; a deleted post goes.
			out, _, err = runCmd(t, env, "# Drafted\n\nNot yet.\n", "post", "create", "-base-url", d.base, "-")
			draftID, draftURL := created(t, out, err)
			if code(draftURL) != http.StatusNotFound {
				t.Fatal("a draft is public")
			}
			if _, _, err := runCmd(t, env, "", "post", "publish", draftID); err != nil {
				t.Fatal(err)
			}
			eventually(t, 3*time.Second, "the published draft answers 200 and is listed", func() bool {
				return code(draftURL) == http.StatusOK && strings.Contains(get(t, c, d.base+"/"), "Drafted")
			})
			if _, _, err := runCmd(t, env, "", "post", "delete", id); err != nil {
				t.Fatal(err)
			}
			eventually(t, 3*time.Second, "the deleted post answers 404 and leaves the home page", func() bool {
				return code(url) == http.StatusNotFound && !strings.Contains(get(t, c, d.base+"/"), "Renamed in a terminal")
			})
			if log := d.log(); strings.Contains(log, "level=ERROR") {
				t.Errorf("the server logged errors:\n%s", log)
			}
		})
	}
}
