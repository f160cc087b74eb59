package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"marquee/internal/post"
)

func TestParsePostFile(t *testing.T) {
	src := "\uFEFF---\r\n" +
		"Title: \"Hello: \\\"world\\\"\"  # a comment\r\n" +
		"slug: hello\r\n" +
		"\r\n" +
		"# a comment line\r\n" +
		"date: 2024-05-01 10:00\r\n" +
		"tags:\r\n" +
		"  - go\r\n" +
		"\r\n" +
		"  - 'it''s, fine'\r\n" +
		"status: published\r\n" +
		"type: page\r\n" +
		"excerpt: Plain text: with a colon\r\n" +
		"draft: false\r\n" +
		"---\r\n" +
		"\r\n" +
		"\r\n" +
		"    indented code stays\r\n" +
		"text\r\n\r\n"
	f, err := parsePostFile("a.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if *f.Title != `Hello: "world"` || *f.Slug != "hello" || *f.Date != "2024-05-01 10:00" || *f.Status != post.Published ||
		*f.Type != post.TypePage || *f.Excerpt != "Plain text: with a colon" || *f.Draft {
		t.Errorf("fields: %+v", f)
	}
	if !reflect.DeepEqual(*f.Tags, []string{"go", "it's, fine"}) {
		t.Errorf("tags: %q", *f.Tags)
	}
	if f.Body != "    indented code stays\ntext" {
		t.Errorf("body: %q", f.Body)
	}

	for _, c := range []struct {
		in   string
		tags []string
	}{
		{"tags: [a, b]", []string{"a", "b"}},
		{"tags: a, b ,c,", []string{"a", "b", "c"}},
		{`tags: ["x, y", 'z']  # two`, []string{"x, y", "z"}},
		{"tags: []", []string{}},
		{"tags:", []string{}},
		{"tags: solo", []string{"solo"}},
		{"tags: a, b  # c, d", []string{"a", "b"}},
		{"tags: [a, 'b'] # c", []string{"a", "b"}},
		{`tags: "a" # c`, []string{"a"}},
		{"tags: C#, F#", []string{"C#", "F#"}},
		{"tags:  # none", []string{}},
		{"tags:\n- x # the first\n-  'y' # the second", []string{"x", "y"}},
	} {
		f, err := parsePostFile("t.md", []byte("---\n"+c.in+"\n---\nbody"))
		if err != nil || !reflect.DeepEqual(*f.Tags, c.tags) {
			t.Errorf("%q: %q %v", c.in, f.Tags, err)
		}
	}

	// No front matter: all body; only front matter: no body.
	if f, err := parsePostFile("x", []byte("\n\nJust text.\n")); err != nil || f.Body != "Just text." || f.Title != nil || f.Empty {
		t.Errorf("plain: %+v %v", f, err)
	}
	if f, err := parsePostFile("x", []byte("---\nstatus: draft\n---\n")); err != nil || f.Body != "" || f.Empty || *f.Status != post.Draft {
		t.Errorf("front matter only: %+v %v", f, err)
	}
	// YAML's comments, as in the README's example.
	f, err = parsePostFile("x", []byte("---\ntitle: C# tips  # the title\ntype: page    # or post\nstatus: published # draft...\n"+
		"date: 2025-03-01 09:30 # the site's zone\nexcerpt: #not an excerpt\n---\n"))
	if err != nil || *f.Title != "C# tips" || *f.Type != post.TypePage || *f.Status != post.Published || *f.Date != "2025-03-01 09:30" || *f.Excerpt != "" {
		t.Errorf("comments: %+v %v", f, err)
	}
	if f, err := parsePostFile("x", []byte(" \n\n")); err != nil || !f.Empty {
		t.Errorf("empty: %+v %v", f, err)
	}
	if f, err := parsePostFile("x", []byte("---\ndraft: true\n---\n")); err != nil {
		t.Error(err)
	} else if s, ok := f.status(); !ok || s != post.Draft {
		t.Errorf("draft: true: %q", s)
	}

	for _, c := range []struct{ in, want string }{
		{"---\ntitle: x\ncategories: [a]\n---\n", `a.md line 3: unknown front-matter key "categories"`},
		{"---\ntitle: x\ntitle: y\n---\n", "a.md line 3: title is given twice (first on line 2)"},
		{"---\ndate: tomorrow\n---\n", `a.md line 2: "tomorrow" is not a date`},
		{"---\ndate: 2024-13-01\n---\n", `a.md line 2: "2024-13-01" is not a date`},
		{"---\ntitle: x\n", "a.md line 1: the front matter has no closing --- line"},
		{"+++\ntitle = 'x'\n+++\n", "a.md line 1: TOML front matter"},
		{"---\ntitle: \"open\n---\n", "a.md line 2: title: the quote opened"},
		{"---\ntitle: \"a\" b\n---\n", `a.md line 2: title: unexpected "b" after the closing quote`},
		{"---\ntitle: \"bad \\q\"\n---\n", "a.md line 2: title: \"bad \\q\" is not a valid quoted string"},
		{"---\nstatus: live\n---\n", `a.md line 2: status must be draft, published, scheduled or private, not "live"`},
		{"---\ntype: article\n---\n", `a.md line 2: type must be post or page, not "article"`},
		{"---\ndraft: maybe\n---\n", `a.md line 2: draft must be true or false, not "maybe"`},
		{"---\nstatus: published\ndraft: true\n---\n", "a.md line 3: draft: true contradicts status: published on line 2"},
		{"---\ntitle: x\n  nested: y\n---\n", "a.md line 3: unexpected indented line"},
		{"---\njust words\n---\n", `a.md line 2: expected "key: value"`},
		{"---\ntags: [a, [b]]\n---\n", "a.md line 2: tags: unexpected bracket"},
		{"---\ntags: [a, b\n---\n", "a.md line 2: tags: the list [a, b has no closing ]"},
		{"---\ntitle: x\n---\nbad \x00 byte", "a.md is not UTF-8 text"},
		{"bad \xff byte", "a.md is not UTF-8 text"},
	} {
		_, err := parsePostFile("a.md", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for in, want := range map[string]string{
		"2025-03-01T09:30:00Z":      "2025-03-01T09:30:00Z",
		"2025-03-01T09:30:00+01:00": "2025-03-01T08:30:00Z",
		"2025-03-01T09:30:00.5Z":    "2025-03-01T09:30:00.5Z",
		"2025-03-01":                "2025-02-28T23:00:00Z",
		"2025-03-01 09:30":          "2025-03-01T08:30:00Z",
		"2025-07-01 09:30:15":       "2025-07-01T07:30:15Z",
		"2025-03-01 09:30:00 +0200": "2025-03-01T07:30:00Z",
	} {
		got, err := parseDate(in, paris)
		if err != nil || got.Format(time.RFC3339Nano) != want {
			t.Errorf("%q: %v %v, want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "2025-02-30", "01/03/2025", "0000-01-01", "2025-03-01T25:00:00Z"} {
		if _, err := parseDate(in, paris); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestHeadingTitle(t *testing.T) {
	for _, c := range []struct{ in, title, rest string }{
		{"# Hello\n\nText.", "Hello", "Text."},
		{"Intro.\n\n# The *real* one #\n\nMore.", "The *real* one", "Intro.\n\n\nMore."},
		{"```sh\n# not a heading\n```\n# Yes", "Yes", "```sh\n# not a heading\n```"},
		{"~~~~\n# no\n~~~\n# still code\n~~~~\n\n  # Indented a little", "Indented a little", "~~~~\n# no\n~~~\n# still code\n~~~~"},
		{"    # code\n#hashtag\n## Second level\n#\n# C# ##", "C#", "    # code\n#hashtag\n## Second level\n#"},
	} {
		title, rest, ok := headingTitle(c.in)
		if !ok || title != c.title || rest != c.rest {
			t.Errorf("%q: %q %q %v; want %q %q", c.in, title, rest, ok, c.title, c.rest)
		}
	}
	if _, _, ok := headingTitle("No heading\n## Only h2\n```\n# in code\n```"); ok {
		t.Error("found a title where there is none")
	}
}

// TestFormatRoundTrip: what show writes, the parser reads back to the same
// values, for awkward titles, tags and excerpts.
func TestFormatRoundTrip(t *testing.T) {
	for _, s := range []string{"Plain title", "Hello: world", "C# in 10 minutes", "# not a comment", " padded ", "yes", "Null",
		"- dash", "[brackets]", `"quoted"`, "it's", "tab\there", "line\nbreak", "Ünïcödé — “quotes” 日本語", "a #hash", "ends with:",
		"3.14", "@at", "100%", "{curly}", "x, y", "a{b", "x}"} {
		p := &post.Post{Title: s, Slug: "s", Type: post.TypePost, Status: post.Draft, Excerpt: s, Body: "Body.",
			Tags: []post.Tag{{Name: s}, {Name: "plain"}}}
		out := formatPostFile(p, time.UTC, time.Now())
		f, err := parsePostFile("show", []byte(out))
		if err != nil {
			t.Errorf("%q: %v\n%s", s, err, out)
			continue
		}
		wantExcerpt := s
		if f.Excerpt == nil || *f.Title != s || *f.Excerpt != wantExcerpt || !reflect.DeepEqual(*f.Tags, []string{s, "plain"}) || f.Body != "Body." {
			t.Errorf("%q came back as %+v\n%s", s, f, out)
		}
	}
}

// TestFormatImported: an imported HTML post or a protected one says so in
// comments, which the parser skips.
func TestFormatImported(t *testing.T) {
	p := &post.Post{Title: "Old", Slug: "old", Type: post.TypePage, Status: post.Scheduled, Format: post.HTML, Password: "secret",
		Body: "\n<p>Hello</p>\n\n", PublishedAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	out := formatPostFile(p, time.UTC, time.Now())
	if !strings.Contains(out, "# The body is HTML") || !strings.Contains(out, "# The post is password protected") || strings.Contains(out, "secret") ||
		!strings.Contains(out, "status: scheduled\ndate: 2030-01-02T03:04:05Z\ntags: []\n") || !strings.HasSuffix(out, "---\n\n<p>Hello</p>\n") {
		t.Fatalf("show:\n%s", out)
	}
	f, err := parsePostFile("show", []byte(out))
	if err != nil || *f.Title != "Old" || *f.Type != post.TypePage || f.Body != "<p>Hello</p>" {
		t.Fatalf("read back: %+v %v", f, err)
	}
	// Its time has come: it shows as published.
	if out := formatPostFile(p, time.UTC, p.PublishedAt.Add(time.Second)); !strings.Contains(out, "status: published\n") {
		t.Fatalf("due: %s", out)
	}
}
