package wordpress

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/wxr"
)

// env is a site's stores on one database.
type env struct {
	db       *sqldb.DB
	posts    *post.Store
	comments *comment.Store
	settings *site.Store
	spam     *spam.Store
	im       *Importer
}

func newEnv(db *sqldb.DB) *env {
	r := markup.New(markup.Options{})
	e := &env{db: db, posts: post.NewStore(db, r), comments: comment.NewStore(db, r), settings: site.NewStore(db), spam: spam.NewStore(db)}
	e.im = &Importer{DB: db, Posts: e.posts, Comments: e.comments, Render: r}
	return e
}

func (e *env) importFile(t *testing.T, path string) *Summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := e.im.Import(context.Background(), f)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return sum
}

// all returns every post and page by slug.
func (e *env) all(t *testing.T) map[string]*post.Post {
	t.Helper()
	m := map[string]*post.Post{}
	err := e.posts.Each(context.Background(), func(p *post.Post) error { m[p.Slug] = p; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *env) commentsOf(t *testing.T, postID int64) []*comment.Comment {
	t.Helper()
	cs, err := e.comments.OfPost(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestEdgeCases(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		sum := e.importFile(t, "testdata/edge.xml")
		ps := e.all(t)
		if len(ps) != 4 {
			t.Fatalf("%d posts, want 4 (2 pages, 2 posts): %v", len(ps), keys(ps))
		}
		guide, child := ps["guide"], ps["child"]
		if guide == nil || child == nil || child.ParentID != guide.ID || child.MenuOrder != 2 || guide.MenuOrder != 1 {
			t.Errorf("page hierarchy: guide %+v, child %+v", guide, child)
		}
		cafe := ps["café-déjà-vu"]
		if cafe == nil {
			t.Fatalf("percent-encoded slug not decoded: %v", keys(ps))
		}
		if cafe.Title != "Café & <code>]]></code> déjà vu" {
			t.Errorf("title = %q", cafe.Title)
		}
		if !strings.Contains(cafe.Body, "<code>]]></code>") || cafe.Format != post.HTML {
			t.Errorf("body = %q (%s)", cafe.Body, cafe.Format)
		}
		if !cafe.Sticky || cafe.Password != "s3cret" || cafe.Summary != post.ProtectedSummary {
			t.Errorf("sticky %v, password %q, summary %q", cafe.Sticky, cafe.Password, cafe.Summary)
		}
		if cafe.Excerpt != "A short excerpt." {
			t.Errorf("excerpt = %q", cafe.Excerpt)
		}
		if want := time.Date(2019, 5, 6, 8, 0, 0, 0, time.UTC); !cafe.PublishedAt.Equal(want) || !cafe.CreatedAt.Equal(want) {
			t.Errorf("published %v, created %v; want %v", cafe.PublishedAt, cafe.CreatedAt, want)
		}
		if want := time.Date(2019, 5, 7, 8, 0, 0, 0, time.UTC); !cafe.UpdatedAt.Equal(want) {
			t.Errorf("updated %v, want %v", cafe.UpdatedAt, want)
		}
		if len(cafe.Tags) != 1 || cafe.Tags[0].Slug != "cafe" {
			t.Errorf("tags = %+v", cafe.Tags)
		}
		if p := ps["feed-post"]; p == nil || p.Status != post.Private {
			t.Errorf("reserved slug: %v", keys(ps))
		}

		cs := e.commentsOf(t, cafe.ID)
		byAuthor := map[string]*comment.Comment{}
		for _, c := range cs {
			byAuthor[c.Author] = c
		}
		parent, reply := byAuthor["Parent"], byAuthor["Replying first"]
		if len(cs) != 4 || parent == nil || reply == nil {
			t.Fatalf("comments = %d: %v", len(cs), byAuthor)
		}
		if reply.ParentID != parent.ID {
			t.Errorf("a reply before its parent is not linked: parent_id %d, want %d", reply.ParentID, parent.ID)
		}
		if parent.Email != "parent@example.net" || parent.IP != "198.51.100.1" || parent.URL != "https://parent.example.net" ||
			!parent.CreatedAt.Equal(time.Date(2019, 5, 6, 9, 0, 0, 0, time.UTC)) || parent.UserID == 0 {
			t.Errorf("parent = %+v", parent)
		}
		if !strings.Contains(parent.Content, "]]> inside") || strings.Contains(parent.ContentHTML, "<script") {
			t.Errorf("content %q, html %q", parent.Content, parent.ContentHTML)
		}
		if !strings.Contains(reply.ContentHTML, `<a href="https://example.net/x" rel="nofollow ugc noopener">`) {
			t.Errorf("reply html = %q", reply.ContentHTML)
		}
		if byAuthor["Cheap pills"].Status != comment.Spam || byAuthor["Regret"].Status != comment.Trash {
			t.Errorf("spam %s, trash %s", byAuthor["Cheap pills"].Status, byAuthor["Regret"].Status)
		}
		if n := e.count(t, "SELECT comment_count FROM posts WHERE id = $1", cafe.ID); n != 2 {
			t.Errorf("comment_count = %d, want 2 approved", n)
		}

		// The author without an address, and the creator without <wp:author>.
		if n := e.count(t, "SELECT count(*) FROM users WHERE email IN ('claire@import.invalid', 'someone-else@import.invalid') AND must_set_password = $1 AND role = 'author'", true); n != 2 {
			t.Errorf("%d imported authors, want 2", n)
		}
		if n := e.count(t, "SELECT count(*) FROM wp_attachments WHERE url = 'https://edge.example.com/wp-content/uploads/2019/05/photo.jpg' AND post_id = $1", cafe.ID); n != 1 {
			t.Errorf("attachment not kept")
		}
		for reason, n := range map[string]int{
			"in WordPress's trash":             1,
			"comments: their post was skipped": 1,
			`comments of type "order_note"`:    1,
		} {
			if sum.Skipped[reason] != n {
				t.Errorf("skipped[%q] = %d, want %d (%v)", reason, sum.Skipped[reason], n, sum.Skipped)
			}
		}
		if sum.Comments["approved"] != 2 || sum.Comments["spam"] != 1 || sum.Comments["trash"] != 1 {
			t.Errorf("summary comments = %v", sum.Comments)
		}
		var out bytes.Buffer
		sum.WriteTo(&out)
		for _, want := range []string{"edge.example.com", "2 published", "1 private", `items of type "nav_menu_item"`, "1 spam"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, out.String())
			}
		}

		rd := NewRedirects(db)
		for from, want := range map[string]string{
			"/2019/05/06/cafe-deja-vu/":       "/caf%C3%A9-d%C3%A9j%C3%A0-vu/",
			"/2019/05/06/cafe-deja-vu/feed/":  "/comments/feed/caf%C3%A9-d%C3%A9j%C3%A0-vu/",
			"/?p=30":                          "/caf%C3%A9-d%C3%A9j%C3%A0-vu/",
			"/guide/child/":                   "/child/",
			"/?page_id=21":                    "/child/",
			"/category/café/":                 "/tag/cafe/",
			"/2019/05/06/cafe-deja-vu/photo/": "https://edge.example.com/wp-content/uploads/2019/05/photo.jpg",
			"/?attachment_id=33":              "https://edge.example.com/wp-content/uploads/2019/05/photo.jpg",
			"/2019/06/01/feed-2/":             "", // private
			"/?p=32":                          "", // trashed, not imported
		} {
			got := redirect(t, rd, from)
			if got != want {
				t.Errorf("Redirect(%s) = %q, want %q", from, got, want)
			}
		}

		// Again: nothing new.
		again := e.importFile(t, "testdata/edge.xml")
		if again.Total() != 0 || again.Redirects != 0 {
			t.Errorf("second import created %d records, %d redirects: %+v", again.Total(), again.Redirects, again)
		}
		if len(e.all(t)) != 4 || len(e.commentsOf(t, cafe.ID)) != 4 {
			t.Error("second import changed the site")
		}
	})
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestWXR10(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		sum := e.importFile(t, "testdata/wxr10.xml")
		if sum.WXRVersion != "1.0" || sum.Source != "garden.example.org" {
			t.Errorf("summary = %+v", sum)
		}
		p := e.all(t)["first-tomatoes"]
		if p == nil {
			t.Fatal("post not imported")
		}
		var tags []string
		for _, tg := range p.Tags {
			tags = append(tags, tg.Slug)
		}
		if strings.Join(tags, ",") != "seeds,tomatoes" {
			t.Errorf("tags = %v", tags)
		}
		// The more marker stays in the body; the summary is what precedes it.
		if !strings.Contains(p.Body, "<!--more-->") || p.Summary != "The seedlings came up in a week. Next: pricking out." {
			t.Errorf("summary = %q", p.Summary)
		}
		if strings.Contains(p.BodyHTML, "more") {
			t.Errorf("body html keeps the marker: %q", p.BodyHTML)
		}
		cs := e.commentsOf(t, p.ID)
		if len(cs) != 1 || cs[0].Status != comment.Approved || cs[0].Type != "comment" {
			t.Errorf("comments = %+v", cs)
		}
		if got := redirect(t, NewRedirects(db), "/category/vegetables/tomatoes/"); got != "/tag/tomatoes/" {
			t.Errorf("category redirect = %q", got)
		}
		if got := redirect(t, NewRedirects(db), "/?cat=999"); got != "" {
			t.Errorf("unknown category redirect = %q", got)
		}
	})
}

func TestTrainSpam(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		e.im.Learner = e.spam
		sum := e.importFile(t, "testdata/edge.xml")
		if sum.Trained != 3 { // 2 approved comments, 1 spam; not the trash
			t.Errorf("trained on %d comments, want 3", sum.Trained)
		}
		if n := e.count(t, "SELECT count(*) FROM spam_events WHERE kind = 'spam' AND email = 'pills@spam.example'"); n != 1 {
			t.Errorf("%d spam events", n)
		}
		if n := e.count(t, "SELECT count(*) FROM spam_events WHERE kind = 'ham'"); n != 2 {
			t.Errorf("%d ham events", n)
		}
	})
}

// TestMalformed checks that a damaged file imports nothing, whether it is
// caught by the first pass (a file) or midway in the transaction (a pipe).
func TestMalformed(t *testing.T) {
	src, err := os.ReadFile("testdata/edge.xml")
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(src, []byte("<title><![CDATA[Binned"))
	truncated := src[:cut]
	bad := bytes.Replace(src, []byte("</wp:post_name>"), []byte("</wp:post_nam>"), 1)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		for name, doc := range map[string][]byte{"truncated": truncated, "mismatched": bad} {
			for _, pipe := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(doc)
				if pipe {
					r = io.MultiReader(r) // hides Seek: no first pass
				}
				_, err := e.im.Import(context.Background(), r)
				var we *wxr.Error
				if !errors.As(err, &we) || we.Line == 0 || !strings.Contains(err.Error(), "line") {
					t.Errorf("%s (pipe %v): err = %v, want a *wxr.Error naming the line", name, pipe, err)
				}
				for _, table := range []string{"posts", "comments", "users", "tags", "wp_map", "wp_redirects", "wp_imports"} {
					if n := e.count(t, "SELECT count(*) FROM "+table); n != 0 {
						t.Errorf("%s (pipe %v): %d rows in %s", name, pipe, n, table)
					}
				}
			}
		}
	})
}

func TestReadTwiceFromStart(t *testing.T) {
	// A reader positioned after some bytes is read from there, twice.
	src, err := os.ReadFile("testdata/wxr10.xml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.xml")
	os.WriteFile(path, append([]byte("   "), src...), 0o644)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		f, _ := os.Open(path)
		defer f.Close()
		f.Seek(3, io.SeekStart)
		if _, err := e.im.Import(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if len(e.all(t)) != 1 {
			t.Error("not imported")
		}
	})
}
