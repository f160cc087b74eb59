package post_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func newStore(t *testing.T, db *sqldb.DB) (*post.Store, int64) {
	t.Helper()
	u, err := account.NewStore(db).Create(context.Background(), "writer@example.com", "Writer", account.Author, "")
	if err != nil {
		t.Fatal(err)
	}
	return post.NewStore(db, markup.New(markup.Options{})), u.ID
}

func TestCreateRendersAndResolvesSlugs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, author := newStore(t, db)
		var ids []int64
		for range 3 {
			p := &post.Post{Title: "Hello, Wörld!", Body: "First line\nsecond *line*", AuthorID: author, Status: post.Published,
				Tags: []post.Tag{{Name: "Go"}, {Name: "go"}, {Name: "Writing"}}}
			if err := s.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		want := []string{"hello-world", "hello-world-2", "hello-world-3"}
		for i, id := range ids {
			p, err := s.ByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Slug != want[i] {
				t.Errorf("slug %d = %q, want %q", i, p.Slug, want[i])
			}
			if !strings.Contains(p.BodyHTML, "First line<br") || !strings.Contains(p.BodyHTML, "<em>line</em>") {
				t.Errorf("body_html = %q: the single newline must be a <br> and emphasis rendered", p.BodyHTML)
			}
			if len(p.Tags) != 2 || p.Tags[0].Slug != "go" || p.Tags[1].Slug != "writing" {
				t.Errorf("tags = %+v, want go and writing once each", p.Tags)
			}
			if p.AuthorName != "Writer" || p.PublishedAt.IsZero() {
				t.Errorf("author %q published %v", p.AuthorName, p.PublishedAt)
			}
		}
		// An explicit slug that is taken is a conflict, not a silent change.
		err := s.Create(ctx, &post.Post{Title: "Other", Slug: "hello-world", Status: post.Draft})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate explicit slug: %v, want a conflict", err)
		}
		// Reserved slugs are refused.
		if err := s.Create(ctx, &post.Post{Title: "x", Slug: "admin"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("reserved slug: %v", err)
		}
	})
}

func TestValidationNamesTheField(t *testing.T) {
	cases := []struct {
		p     post.Post
		field string
	}{
		{post.Post{Title: ""}, "title"},
		{post.Post{Title: strings.Repeat("x", 301)}, "title"},
		{post.Post{Title: "x", Status: "live"}, "status"},
		{post.Post{Title: "x", Type: "note"}, "type"},
		{post.Post{Title: "x", Status: post.Scheduled}, "published_at"},
		{post.Post{Title: "x", Slug: "Bad Slug"}, "slug"},
		{post.Post{Title: "x", Tags: []post.Tag{{Name: "  "}}}, "tags"},
	}
	for _, c := range cases {
		err := c.p.Validate()
		if fields := errs.Fields(err); len(fields) != 1 || fields[c.field] == "" || !errs.Is(err, errs.Invalid) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q alone", c.p, err, c.field)
		}
	}
	// Every problem at once, so that a form can mark them all.
	several := post.Post{Title: "", Slug: "Bad Slug", Status: "live", Excerpt: strings.Repeat("e", post.MaxExcerpt+1)}
	err := several.Validate()
	if f := errs.Fields(err); len(f) != 4 || f["title"] == "" || f["slug"] == "" || f["status"] == "" || f["excerpt"] == "" {
		t.Errorf("several problems: %v, fields %v", err, f)
	}
	if errs.Message(err) != "a title is required" {
		t.Errorf("first message %q", errs.Message(err))
	}
	big := post.Post{Title: "x", Body: strings.Repeat("a", post.MaxBody+1)}
	if err := big.Validate(); !errs.Is(err, errs.TooLarge) {
		t.Errorf("a body over 1 MiB: %v, want TooLarge", err)
	}
}

func TestVisibility(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, author := newStore(t, db)
		now := sqldb.Now()
		mk := func(title string, st post.Status, at time.Time) *post.Post {
			p := &post.Post{Title: title, Body: "body " + title, AuthorID: author, Status: st, PublishedAt: at}
			if err := s.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		mk("old", post.Published, now.Add(-48*time.Hour))
		mk("new", post.Published, now.Add(-time.Hour))
		mk("draft", post.Draft, time.Time{})
		mk("private", post.Private, now.Add(-time.Hour))
		future := mk("future", post.Scheduled, now.Add(time.Hour))
		titles := func(at time.Time) string {
			ps, total, err := s.Published(ctx, post.Query{Now: at, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ts []string
			for _, p := range ps {
				ts = append(ts, p.Title)
			}
			if total != len(ps) {
				t.Fatalf("total %d for %d posts", total, len(ps))
			}
			return strings.Join(ts, ",")
		}
		if got := titles(now); got != "new,old" {
			t.Fatalf("visible now = %s, want new,old (no draft, private or future post)", got)
		}
		if got := titles(now.Add(2 * time.Hour)); got != "future,new,old" {
			t.Fatalf("visible later = %s: a scheduled post must appear when due", got)
		}
		ids, err := s.PublishDue(ctx, now.Add(2*time.Hour))
		if err != nil || len(ids) != 1 || ids[0] != future.ID {
			t.Fatalf("PublishDue = %v, %v", ids, err)
		}
		p, _ := s.ByID(ctx, future.ID)
		if p.Status != post.Published {
			t.Fatalf("status after PublishDue = %s", p.Status)
		}
		// Prev/next follow publication order among visible posts only.
		newP, _ := s.BySlug(ctx, "new")
		prev, next, err := s.Adjacent(ctx, newP, now)
		if err != nil || prev == nil || prev.Title != "old" || next != nil {
			t.Fatalf("adjacent of new = %v, %v, %v", prev, next, err)
		}
		months, err := s.Months(ctx, now)
		if err != nil || len(months) == 0 || months[0].Count < 1 {
			t.Fatalf("months = %v, %v", months, err)
		}
	})
}

func TestSearchAndTags(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, author := newStore(t, db)
		for _, p := range []*post.Post{
			{Title: "Jazz clubs of Los Angeles", Body: "A pianist dreams of opening a club.", Tags: []post.Tag{{Name: "Film"}}},
			{Title: "Sourdough", Body: "Flour, water and patience.", Tags: []post.Tag{{Name: "Food"}}},
			{Title: "Hidden draft about jazz", Body: "jazz", Status: post.Draft},
			// Protected: found by its title, never by what its body says.
			{Title: "Letters to Mia", Body: "The ending: they never meet again.", Password: "mia"},
		} {
			p.AuthorID = author
			if p.Status == "" {
				p.Status = post.Published
			}
			if err := s.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		now := sqldb.Now().Add(time.Second)
		for q, want := range map[string]int{"jazz": 1, "PIANIST": 1, "flour water": 1, "nothing-like-this": 0, `"AND OR NEAR(`: 0, "pian": 1,
			"letters": 1, "letters mia": 1, "ending": 0, "never meet": 0, "letters ending": 0} {
			ps, total, err := s.Published(ctx, post.Query{Search: q, Now: now})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if total != want || len(ps) != want {
				t.Errorf("search %q: %d results, want %d", q, total, want)
			}
		}
		tags, err := s.Tags(ctx, now)
		if err != nil || len(tags) != 2 {
			t.Fatalf("tags = %+v, %v", tags, err)
		}
		ps, total, err := s.Published(ctx, post.Query{Tag: "film", Now: now})
		if err != nil || total != 1 || ps[0].Title != "Jazz clubs of Los Angeles" {
			t.Fatalf("tag film: %v %d %v", ps, total, err)
		}
	})
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Hello, World!":          "hello-world",
		"  Déjà vu — encore  ":   "deja-vu-encore",
		"Don’t stop":             "dont-stop",
		"Αρχαία Ελληνικά":        "αρχαια-ελληνικα",
		"100% pure":              "100-pure",
		"!!!":                    "",
		"Multiple   spaces--and": "multiple-spaces-and",
	} {
		if got := post.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if want != "" && !post.ValidSlug(post.Slugify(in)) {
			t.Errorf("Slugify(%q) is not a valid slug", in)
		}
	}
}
