package wordpress

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/fixture"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
	"marquee/internal/wxr"
)

const themeUnitTest = "fixtures/wxr/themeunittestdata.wordpress.xml"

func redirect(t *testing.T, rd *Redirects, target string) string {
	t.Helper()
	to, ok, err := rd.Redirect(context.Background(), httptest.NewRequest("GET", target, nil))
	if err != nil {
		t.Fatalf("Redirect(%s): %v", target, err)
	}
	if ok != (to != "") {
		t.Errorf("Redirect(%s) = %q, %v", target, to, ok)
	}
	return to
}

// TestThemeUnitTestData imports WordPress's theme unit test export and
// checks that everything arrives in its state and place.
func TestThemeUnitTestData(t *testing.T) {
	path := fixture.Path(t, themeUnitTest)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(db)
		sum := e.importFile(t, path)
		var out bytes.Buffer
		sum.WriteTo(&out)
		t.Logf("summary:\n%s", out.String())

		posts, err := e.posts.Count(ctx, post.TypePost)
		if err != nil {
			t.Fatal(err)
		}
		if posts[post.Published] != 56 || posts[post.Scheduled] != 1 || posts[post.Draft] != 1 || len(posts) != 3 {
			t.Errorf("posts = %v, want 56 published, 1 scheduled, 1 draft", posts)
		}
		pages, err := e.posts.Count(ctx, post.TypePage)
		if err != nil {
			t.Fatal(err)
		}
		if pages[post.Published] != 21 || len(pages) != 1 {
			t.Errorf("pages = %v, want 21 published", pages)
		}
		cc, err := e.comments.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cc[comment.Approved] != 30 || cc[comment.Pending] != 3 || cc[comment.Spam] != 0 || cc[comment.Trash] != 0 {
			t.Errorf("comments = %v, want 30 approved, 3 pending", cc)
		}
		if n := e.count(t, "SELECT count(*) FROM comments WHERE type = 'pingback'"); n != 2 {
			t.Errorf("%d pingbacks, want 2", n)
		}
		if n := e.count(t, "SELECT count(*) FROM comments WHERE type = 'trackback'"); n != 2 {
			t.Errorf("%d trackbacks, want 2", n)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE role = 'author' AND must_set_password = $1", true); n != 2 {
			t.Errorf("%d authors who must set a password, want 2", n)
		}
		if n := e.count(t, "SELECT count(*) FROM wp_categories"); n != 68 {
			t.Errorf("%d categories kept, want 68", n)
		}
		if n := e.count(t, "SELECT count(*) FROM wp_attachments"); n != 37 {
			t.Errorf("%d attachments kept, want 37", n)
		}
		if sum.Skipped[`items of type "nav_menu_item" (Marquee imports posts, pages and attachments)`] != 70 {
			t.Errorf("skipped = %v", sum.Skipped)
		}

		ps := e.all(t)
		byTitle := map[string]*post.Post{}
		for _, p := range ps {
			byTitle[p.Title] = p
		}
		for _, title := range []string{"Ελληνικά-Greek", "Επίπεδο 2 -Second Greek level", "Επίπεδο 3",
			"Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>", "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>",
			untitled} {
			if byTitle[title] == nil {
				t.Errorf("title %q missing", title)
			}
		}
		// Page hierarchy, including pages whose parent comes later in the file.
		l1, l2, l3 := ps["level-1"], ps["level-2"], ps["level-3"]
		if l1 == nil || l2 == nil || l3 == nil || l3.ParentID != l2.ID || l2.ParentID != l1.ID || l1.ParentID != 0 || l1.MenuOrder != 5 {
			t.Errorf("levels: %+v %+v %+v", l1, l2, l3)
		}
		withParent := 0
		for _, p := range ps {
			if p.ParentID != 0 {
				withParent++
			}
		}
		if withParent != 13 {
			t.Errorf("%d pages with a parent, want 13", withParent)
		}
		g2 := ps["επίπεδο-2"]
		if g2 == nil || ps["επίπεδο-3"] == nil || ps["επίπεδο-3"].ParentID != g2.ID || g2.ParentID != ps["greek"].ID {
			t.Errorf("Greek pages: %v", keys(ps))
		}
		if p := ps["template-sticky"]; p == nil || !p.Sticky {
			t.Error("sticky post not sticky")
		}
		if p := ps["template-password-protected"]; p == nil || p.Password != "enter" || p.Summary != post.ProtectedSummary {
			t.Errorf("protected post = %+v", p)
		}
		if p := ps["template-excerpt-defined"]; p == nil || !strings.HasPrefix(p.Excerpt, "This is a user-defined post excerpt") {
			t.Errorf("excerpt = %+v", p)
		}
		if p := ps["template-more-tag"]; p == nil || !strings.Contains(p.Body, "<!--more") || len(p.Summary) >= len(markup.PlainText(p.BodyHTML)) {
			t.Errorf("more tag post = %+v", p)
		}
		if p := ps["scheduled"]; p == nil || p.Status != post.Scheduled || !p.PublishedAt.Equal(time.Date(2030, 1, 1, 19, 0, 18, 0, time.UTC)) {
			t.Errorf("scheduled = %+v", p)
		}
		if p := ps["template-comments"]; p == nil || !p.PublishedAt.Equal(time.Date(2012, 1, 3, 17, 11, 37, 0, time.UTC)) {
			t.Errorf("dates: %+v", p)
		}

		// The 10-deep thread.
		tc := ps["template-comments"]
		cs := e.commentsOf(t, tc.ID)
		parent := map[int64]int64{}
		for _, c := range cs {
			parent[c.ID] = c.ParentID
		}
		deepest := 0
		for id := range parent {
			d := 1
			for p := parent[id]; p != 0 && d < 100; p = parent[p] {
				d++
			}
			deepest = max(deepest, d)
		}
		if deepest != 10 {
			t.Errorf("deepest thread = %d, want 10", deepest)
		}

		// Old addresses.
		rd := NewRedirects(db)
		for from, want := range map[string]string{
			"/?p=1241":      "/template-sticky/",
			"/?page_id=174": "/level-1/",
			"/?p=174":       "/level-1/",
			"/2013/01/11/markup-html-tags-and-formatting/":                     "/markup-html-tags-and-formatting/",
			"/2013/01/11/markup-html-tags-and-formatting":                      "/markup-html-tags-and-formatting/",
			"/2012/01/03/template-comments/feed/":                              "/comments/feed/template-comments/",
			"/level-1/level-2/level-3/":                                        "/level-3/",
			"/LEVEL-1/level-2/level-3":                                         "/level-3/",
			"/greek/επίπεδο-2/επίπεδο-3/":                                      "/%CE%B5%CF%80%CE%AF%CF%80%CE%B5%CE%B4%CE%BF-3/",
			"/greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/":             "/%CE%B5%CF%80%CE%AF%CF%80%CE%B5%CE%B4%CE%BF-2/",
			"/category/parent/child-1/child-2/":                                "/tag/child-2/",
			"/category/parent/child-1/child-2/feed/":                           "/tag/child-2/feed/",
			"/category/child-2/":                                               "/tag/child-2/",
			"/category/parent-category/child-category-03/grandchild-category/": "/tag/grandchild-category/",
			"/?cat=12":               "/tag/6-1/",
			"/category/edge-case-2/": "/tag/edge-case/",
			"/?p=1164":               "", // the draft stays hidden
			"/?p=1153":               "", // scheduled for 2030
			"/2020/01/01/scheduled/": "",
			"/no/such/address/":      "",
			"/":                      "",
		} {
			if got := redirect(t, rd, from); got != want {
				t.Errorf("Redirect(%s) = %q, want %q", from, got, want)
			}
		}

		// Through the public site.
		testHTTP(t, db, e, rd)

		// Again: nothing new.
		before := e.count(t, "SELECT count(*) FROM comments")
		again := e.importFile(t, path)
		if again.Total() != 0 || again.Redirects != 0 {
			var b bytes.Buffer
			again.WriteTo(&b)
			t.Errorf("second import added %d records:\n%s", again.Total(), b.String())
		}
		if n := len(e.all(t)); n != len(ps) {
			t.Errorf("second import: %d posts, was %d", n, len(ps))
		}
		if n := e.count(t, "SELECT count(*) FROM comments"); n != before {
			t.Errorf("second import: %d comments, was %d", n, before)
		}

		// Round trip: export, import into a fresh database, compare.
		var buf bytes.Buffer
		x := &Exporter{DB: db, Posts: e.posts, Comments: e.comments, Settings: e.settings, BaseURL: "https://new.example.org"}
		if err := x.Export(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		checkExport(t, buf.Bytes())
		fresh := newEnv(sqldbtest.Open(t, freshDSN(t, db)))
		if _, err := fresh.im.Import(ctx, bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatalf("re-import of the export: %v", err)
		}
		compareSites(t, e, fresh)
	})
}

// freshDSN returns a new empty database of the same dialect as db.
func freshDSN(t *testing.T, db *sqldb.DB) string {
	return sqldbtest.DSNs(t)[db.Dialect.Name()]
}

func testHTTP(t *testing.T, db *sqldb.DB, e *env, rd *Redirects) {
	h, err := web.New(web.Deps{Posts: e.posts, Settings: e.settings, Sessions: account.NewStore(db), Comments: e.comments, Redirects: rd})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for from, want := range map[string]string{
		"/?p=1241":      "/template-sticky/",
		"/?page_id=174": "/level-1/",
		"/2013/01/11/markup-html-tags-and-formatting/": "/markup-html-tags-and-formatting/",
		"/category/parent/child-1/":                    "/tag/child-1/",
		"/level-1/level-2/":                            "/level-2/",
		"/?attachment_id=611":                          "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg",
	} {
		res, err := client.Get(srv.URL + from)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d → %q, want 301 → %q", from, res.StatusCode, res.Header.Get("Location"), want)
			continue
		}
		if strings.Contains(want, "://") {
			continue // an attachment's file, where WordPress kept it
		}
		// The target serves.
		res, err = client.Get(srv.URL + want)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s (from %s): %d", want, from, res.StatusCode)
		}
	}
	res, err := client.Get(srv.URL + "/?p=1164")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusMovedPermanently {
		t.Errorf("the draft's old address redirects to %s", res.Header.Get("Location"))
	}
}

// checkExport reads an export back with the WXR reader.
func checkExport(t *testing.T, doc []byte) {
	rd := wxr.NewReader(bytes.NewReader(doc))
	types := map[string]int{}
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("export does not read back: %v", err)
		}
		switch v := it.(type) {
		case wxr.Site:
			if v.WXRVersion != "1.2" || v.BaseBlogURL != "https://new.example.org" {
				t.Errorf("site = %+v", v)
			}
		case wxr.Post:
			types[v.Type]++
		case wxr.Category:
			types["category"]++
		case wxr.Author:
			types["author"]++
		}
	}
	if types["post"] != 58 || types["page"] != 21 || types["category"] != 68 || types["author"] != 2 {
		t.Errorf("export holds %v", types)
	}
}

// compareSites checks that two sites hold the same posts, pages and
// comments in the same states.
func compareSites(t *testing.T, a, b *env) {
	t.Helper()
	pa, pb := a.all(t), b.all(t)
	if len(pa) != len(pb) {
		t.Errorf("%d posts, then %d", len(pa), len(pb))
	}
	for slug, p := range pa {
		q := pb[slug]
		if q == nil {
			t.Errorf("%q lost in the round trip", slug)
			continue
		}
		if d := diffPost(a, b, p, q, pa, pb); d != "" {
			t.Errorf("%q: %s", slug, d)
		}
		ca, cb := describeComments(t, a, p.ID), describeComments(t, b, q.ID)
		if strings.Join(ca, "\n") != strings.Join(cb, "\n") {
			t.Errorf("%q comments:\n%s\nthen\n%s", slug, strings.Join(ca, "\n"), strings.Join(cb, "\n"))
		}
	}
	ca, _ := a.comments.Counts(context.Background())
	cb, _ := b.comments.Counts(context.Background())
	if fmt.Sprint(ca) != fmt.Sprint(cb) {
		t.Errorf("comment counts %v, then %v", ca, cb)
	}
	if na, nb := a.count(t, "SELECT count(*) FROM wp_categories"), b.count(t, "SELECT count(*) FROM wp_categories"); na != nb {
		t.Errorf("%d categories, then %d", na, nb)
	}
}

func diffPost(a, b *env, p, q *post.Post, pa, pb map[string]*post.Post) string {
	var d []string
	cmp := func(name string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			d = append(d, fmt.Sprintf("%s %v ≠ %v", name, x, y))
		}
	}
	cmp("type", p.Type, q.Type)
	cmp("title", p.Title, q.Title)
	cmp("status", p.Status, q.Status)
	cmp("body", p.Body, q.Body)
	cmp("body_html", p.BodyHTML, q.BodyHTML)
	cmp("excerpt", p.Excerpt, q.Excerpt)
	cmp("published", p.PublishedAt, q.PublishedAt)
	cmp("updated", p.UpdatedAt, q.UpdatedAt)
	cmp("comments open", p.CommentsOpen, q.CommentsOpen)
	cmp("menu order", p.MenuOrder, q.MenuOrder)
	cmp("sticky", p.Sticky, q.Sticky)
	cmp("password", p.Password, q.Password)
	cmp("author", p.AuthorName, q.AuthorName)
	cmp("tags", tagSlugs(p), tagSlugs(q))
	cmp("parent", slugOf(pa, p.ParentID), slugOf(pb, q.ParentID))
	return strings.Join(d, "; ")
}

func tagSlugs(p *post.Post) string {
	var s []string
	for _, t := range p.Tags {
		s = append(s, t.Slug)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func slugOf(m map[string]*post.Post, id int64) string {
	for _, p := range m {
		if p.ID == id {
			return p.Slug
		}
	}
	return ""
}

// describeComments lists a post's comments with their thread position by
// content, not id, so that two sites compare.
func describeComments(t *testing.T, e *env, postID int64) []string {
	cs := e.commentsOf(t, postID)
	byID := map[int64]*comment.Comment{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	var out []string
	for _, c := range cs {
		path := ""
		for p := byID[c.ParentID]; p != nil; p = byID[p.ParentID] {
			path = p.Author + "/" + path
		}
		out = append(out, fmt.Sprintf("%s%s [%s %s] %s <%s> %s %s %s %q", path, c.Author, c.Status, c.Type, c.CreatedAt.UTC().Format(time.RFC3339),
			c.Email, c.URL, c.IP, c.ContentHTML, c.Content))
	}
	sort.Strings(out)
	return out
}

// TestTruncatedFixture cuts the fixture in the middle of a post: nothing
// is imported and the error names the line.
func TestTruncatedFixture(t *testing.T) {
	src, err := os.ReadFile(fixture.Path(t, themeUnitTest))
	if err != nil {
		t.Fatal(err)
	}
	cut := src[:len(src)*2/3]
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		for _, r := range []io.Reader{bytes.NewReader(cut), io.MultiReader(bytes.NewReader(cut))} {
			_, err := e.im.Import(context.Background(), r)
			var we *wxr.Error
			if !errors.As(err, &we) || we.Line < 1000 {
				t.Errorf("err = %v, want a *wxr.Error naming a line near the end", err)
			}
			for _, table := range []string{"posts", "comments", "users", "tags", "wp_map", "wp_redirects", "wp_categories", "wp_attachments"} {
				if n := e.count(t, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%d rows in %s", n, table)
				}
			}
		}
	})
}
