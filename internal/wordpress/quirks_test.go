package wordpress

import (
	"strings"
	"testing"
	"time"

	"marquee/internal/post"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestQuirks imports what real exports hold beyond the theme unit test
// data: see the comment at the top of testdata/quirks.xml.
func TestQuirks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		sum := e.importFile(t, "testdata/quirks.xml")
		ps := e.all(t)
		if len(ps) != 4 {
			t.Fatalf("posts: %v", keys(ps))
		}

		// Titles, excerpts, term names and pingback authors are HTML in
		// WordPress: their entities are characters here.
		qa := ps["qa"]
		if qa == nil || qa.Title != "Q&A: l’été" || qa.Excerpt != "C’est l’été." {
			t.Fatalf("qa = %+v", qa)
		}
		var tags []string
		for _, tg := range qa.Tags {
			tags = append(tags, tg.Name+"="+tg.Slug)
		}
		if strings.Join(tags, ",") != "Tomates=tomates,Été=ete" {
			t.Errorf("tags = %v", tags)
		}
		if n := e.count(t, "SELECT count(*) FROM tags WHERE name = 'Légumes & Fruits' AND slug = 'legumes-fruits'"); n != 1 {
			t.Errorf("category name with &amp; not decoded")
		}
		cs := e.commentsOf(t, qa.ID)
		if len(cs) != 2 || cs[0].Author != "Un blog » L’été au jardin" || cs[0].Type != "pingback" {
			t.Fatalf("comments = %+v", cs)
		}

		// A date without its UTC twin is read in the site's offset, as
		// its other dates tell it (+2 h here); pubDate's 1970 is no date.
		if want := time.Date(2008, 5, 3, 8, 0, 0, 0, time.UTC); !cs[1].CreatedAt.Equal(want) {
			t.Errorf("comment without comment_date_gmt: %v, want %v", cs[1].CreatedAt, want)
		}
		if p := ps["sans-gmt"]; p == nil || !p.PublishedAt.Equal(time.Date(2008, 5, 10, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("post without post_date_gmt: %+v", p)
		}
		// No status and no type: a draft post, as wp_insert_post makes
		// it, dated when it was last saved.
		if p := ps["brouillon-sans-statut"]; p == nil || p.Type != post.TypePost || p.Status != post.Draft ||
			!p.PublishedAt.IsZero() || !p.CreatedAt.Equal(time.Date(2008, 5, 20, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("item without status or type: %+v", p)
		}

		// Categories named by name alone (WordPress 2.1, 2.2).
		if p := ps["vieux-billet"]; p == nil || len(p.Tags) != 2 || p.Tags[0].Name != "Jardin d’hiver" || p.Tags[1].Name != "Tomates" {
			t.Errorf("categories by name: %+v", p)
		} else if n := e.count(t, `SELECT count(*) FROM wp_post_categories pc JOIN wp_categories c ON c.id = pc.category_id
			WHERE pc.post_id = $1 AND c.nicename IN ('tomates', 'jardin-dhiver')`, p.ID); n != 2 {
			t.Errorf("%d categories of the post by name, want 2", n)
		}

		// dc:creator "Marie" and "marie" are one author.
		if sum.Authors != 1 || e.count(t, "SELECT count(DISTINCT author_id) FROM posts") != 1 {
			t.Errorf("%d authors created", sum.Authors)
		}

		rd := NewRedirects(db)
		for from, want := range map[string]string{
			// The parent is named by its name, and listed after its child.
			"/category/legumes-fruits/tomates/": "/tag/tomates/",
			"/category/legumes-fruits/":         "/tag/legumes-fruits/",
			"/tag/%C3%A9t%C3%A9/":               "/tag/ete/",
			"/2008/05/qa/":                      "/qa/",
			"/2008/05/sans-gmt/":                "/sans-gmt/", // a relative <link>
			"/?attachment_id=4":                 "http://cdn.elsewhere.example/photo.jpg",
			// The attachment's page is another host's address, not ours.
			"/2008/05/photo/": "",
		} {
			if got := redirect(t, rd, from); got != want {
				t.Errorf("Redirect(%s) = %q, want %q", from, got, want)
			}
		}
		if n := e.count(t, "SELECT count(*) FROM wp_categories WHERE nicename = 'tomates' AND parent = 'legumes-fruits'"); n != 1 {
			t.Error("the parent named by its name is not kept as its nicename")
		}

		again := e.importFile(t, "testdata/quirks.xml")
		if again.Total() != 0 || again.Redirects != 0 {
			t.Errorf("second import: %+v", again)
		}
	})
}

// TestRepeatedIDs imports a file whose post_ids are not unique: the
// different items sharing one are all imported, a repeated item once.
func TestRepeatedIDs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		sum := e.importFile(t, "testdata/duplicates.xml")
		ps := e.all(t)
		first, second := ps["first"], ps["second"]
		if len(ps) != 2 || first == nil || second == nil || second.Body != "Two." {
			t.Fatalf("posts = %v", keys(ps))
		}
		if sum.Existing["post"] != 1 || sum.Attachments != 2 {
			t.Errorf("summary = %+v", sum)
		}
		// The repeat's comment joins the post, threaded under the first.
		cs := e.commentsOf(t, first.ID)
		if len(cs) != 2 || cs[1].Author != "Bo" || cs[1].ParentID != cs[0].ID {
			t.Errorf("comments = %+v", cs)
		}
		if n := e.count(t, "SELECT count(*) FROM wp_attachments WHERE post_id = $1", first.ID); n != 2 {
			t.Errorf("%d attachments of the first post, want 2", n)
		}
		rd := NewRedirects(db)
		if got := redirect(t, rd, "/?p=5"); got != "/first/" {
			t.Errorf("?p=5 = %q: the first item keeps the id", got)
		}
		if got := redirect(t, rd, "/first/photo-b/"); got != "https://merged.example/b.jpg" {
			t.Errorf("second attachment = %q", got)
		}

		again := e.importFile(t, "testdata/duplicates.xml")
		if again.Total() != 0 || len(e.all(t)) != 2 || len(e.commentsOf(t, first.ID)) != 2 {
			t.Errorf("second import: %+v", again)
		}
	})
}

// TestFilesWithoutAddress imports two generated files that name no site
// address and reuse post_id 1: neither passes for the other.
func TestFilesWithoutAddress(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(db)
		a := e.importFile(t, "testdata/noaddress-a.xml")
		b := e.importFile(t, "testdata/noaddress-b.xml")
		if a.Posts["post published"] != 1 || b.Posts["post published"] != 1 || a.Source == b.Source {
			t.Errorf("a = %+v\nb = %+v", a, b)
		}
		if again := e.importFile(t, "testdata/noaddress-a.xml"); again.Total() != 0 {
			t.Errorf("second import: %+v", again)
		}
		if n := len(e.all(t)); n != 2 {
			t.Errorf("%d posts, want 2", n)
		}
	})
}
