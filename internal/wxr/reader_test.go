package wxr

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// readAll reads every record of the document at path.
func readAll(t testing.TB, path string) []Item {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := readItems(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return items
}

func readItems(r io.Reader) ([]Item, error) {
	var items []Item
	rd := NewReader(r)
	for {
		it, err := rd.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

func posts(items []Item) []Post {
	var ps []Post
	for _, it := range items {
		if p, ok := it.(Post); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

func TestReadWXR10(t *testing.T) {
	got := readAll(t, "testdata/wxr10.xml")
	want := []Item{
		Site{
			Title:       "Old Blog & Co",
			Link:        "http://old.example.org",
			Description: "Notes from 2009",
			PubDate:     "Sat, 02 Jan 2010 10:00:00 +0000",
			Language:    "en",
			WXRVersion:  "1.0",
			BaseSiteURL: "http://old.example.org",
			BaseBlogURL: "http://old.example.org",
		},
		Category{Nicename: "uncategorized", Name: "Uncategorized"},
		Category{Nicename: "garden", Parent: "uncategorized", Name: "Garden"},
		Tag{Slug: "tomatoes", Name: "tomatoes"},
		Post{
			Title:   "Hello & welcome",
			Link:    "http://old.example.org/2009/12/hello/",
			PubDate: "Thu, 31 Dec 2009 22:15:00 +0000",
			Creator: "admin",
			GUID:    "http://old.example.org/?p=1",
			Content: "First post of the garden blog.",
			ID:      1, PostDate: "2009-12-31 23:15:00", PostDateGMT: "2009-12-31 22:15:00",
			CommentStatus: "open", PingStatus: "open", Name: "hello", Status: "publish", Type: "post",
			Categories: []PostCategory{
				{Name: "Garden"},
				{Domain: "category", Nicename: "garden", Name: "Garden"},
				{Domain: "post_tag", Name: "tomatoes"},
				{Domain: "post_tag", Nicename: "tomatoes", Name: "tomatoes"},
			},
			Comments: []Comment{{
				ID: 1, Author: "A Visitor", AuthorEmail: "visitor@example.net",
				AuthorURL: "http://visitor.example.net/", AuthorIP: "192.0.2.7",
				Date: "2010-01-01 09:00:00", DateGMT: "2010-01-01 08:00:00",
				Content: "Happy new year!", Approved: "1",
			}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%#v\nwant\n%#v", got, want)
	}
}

func TestReadWXR11(t *testing.T) {
	items := readAll(t, "testdata/wxr11.xml")
	if s := items[0].(Site); s.WXRVersion != "1.1" || s.Language != "de-DE" {
		t.Errorf("site = %+v", s)
	}
	wantAuthor := Author{ID: 3, Login: "moderator", Email: "mod@example.com",
		DisplayName: "Jürgen Moderator", FirstName: "Jürgen", LastName: "Müller"}
	if a := items[1].(Author); a != wantAuthor {
		t.Errorf("author = %+v", a)
	}
	if c := items[2].(Category); c.TermID != 1 || c.Description != "Things that happened" {
		t.Errorf("category = %+v", c)
	}
	wantTerm := Term{TermID: 9, Taxonomy: "post_format", Slug: "post-format-aside", Name: "Aside"}
	if tm := items[3].(Term); !reflect.DeepEqual(tm, wantTerm) {
		t.Errorf("term = %+v", tm)
	}
	p := items[4].(Post)
	if !p.Sticky || p.Excerpt != "Spam magnet" || len(p.Meta) != 1 || p.Meta[0] != (Meta{"_edit_last", "3"}) {
		t.Errorf("post = %+v", p)
	}
	var approved, types []string
	for _, c := range p.Comments {
		approved = append(approved, c.Approved)
		types = append(types, c.Type)
	}
	if want := []string{"1", "spam", "trash", "0"}; !reflect.DeepEqual(approved, want) {
		t.Errorf("approved = %q, want %q", approved, want)
	}
	if want := []string{"", "", "", "pingback"}; !reflect.DeepEqual(types, want) {
		t.Errorf("types = %q, want %q", types, want)
	}
	if m := p.Comments[1].Meta; len(m) != 1 || m[0] != (Meta{"akismet_result", "true"}) {
		t.Errorf("commentmeta = %+v", m)
	}
	if p.Comments[2].Parent != 20 {
		t.Errorf("trash comment parent = %d", p.Comments[2].Parent)
	}
	if got := p.Comments[3].Content; got != "[...] as seen on mod.example.com [...]" {
		t.Errorf("pingback content = %q", got)
	}
}

func TestReadWXR12HTTPS(t *testing.T) {
	items := readAll(t, "testdata/wxr12_https.xml")
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, reflect.TypeOf(it).Name())
	}
	want := "Site Author Author Category Category Tag Term Post Post Post Post"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("records = %s\nwant      %s", got, want)
	}
	s := items[0].(Site)
	if s.Title != "Café Ελληνικά \u00a0…" {
		t.Errorf("site title = %q (HTML entities outside CDATA)", s.Title)
	}
	if s.Description != "Coffee\u00a0&\u00a0code — ☕ 日本語 🚀" {
		t.Errorf("site description = %q", s.Description)
	}
	if s.Link != "https://cafe.example.com" {
		t.Errorf("site link = %q: atom:link must not override it", s.Link)
	}
	if a := items[1].(Author); a.DisplayName != `Νίκος "Barista" O'Brien` || a.ID != 1 {
		t.Errorf("author = %+v", a)
	}
	if a := items[2].(Author); a.ID != 0 || a.Login != "guest" {
		t.Errorf("author without id = %+v", a)
	}
	c := items[3].(Category)
	if c.Description != "All about <em>beans</em>" || !reflect.DeepEqual(c.Meta, []Meta{{"color", "brown"}}) {
		t.Errorf("category = %+v", c)
	}
	if c := items[4].(Category); c.Parent != "beans" {
		t.Errorf("child category = %+v", c)
	}
	if tg := items[5].(Tag); tg.Name != "εσπρέσο" {
		t.Errorf("tag = %+v", tg)
	}

	ps := posts(items)
	p := ps[0]
	if p.Title != "CDATA ]]> and entities" {
		t.Errorf("title = %q", p.Title)
	}
	if p.Description != "Plain\u00a0text … with <tags> – and —" {
		t.Errorf("description = %q", p.Description)
	}
	wantContent := "<pre>if (a[b[0]]> 1) {}</pre>\n<p>Array end: x[y[z]]]]></p>\n<p>Ελληνικά, 中文, emoji 🎉</p>"
	if p.Content != wantContent {
		t.Errorf("content = %q\nwant      %q", p.Content, wantContent)
	}
	if p.Excerpt != "A ]]> B" {
		t.Errorf("excerpt = %q", p.Excerpt)
	}
	if p.Meta[0].Value != `a:1:{s:3:"key";s:5:"value";}` {
		t.Errorf("meta = %q", p.Meta[0].Value)
	}
	cm := p.Comments[0]
	if cm.Approved != "post-trashed" || cm.Type != "trackback" || cm.AuthorIP != "2001:db8::1" ||
		cm.AuthorURL != "https://fan.example.net/?a=1&b=2" {
		t.Errorf("comment = %+v", cm)
	}
	if ps[1].Title != "Draft\u00a0in progress" || ps[1].Status != "draft" {
		t.Errorf("draft = %+v", ps[1])
	}
	if pg := ps[2]; pg.MenuOrder != -2 || pg.Password != "s3cr3t" || !pg.GUIDIsPermaLink || pg.Type != "page" {
		t.Errorf("page = %+v", pg)
	}
	if at := ps[3]; at.Parent != 102 || at.AttachmentURL != "https://cafe.example.com/wp-content/uploads/2024/05/cup.jpg" {
		t.Errorf("attachment = %+v", at)
	}
}

func TestDates(t *testing.T) {
	ps := posts(readAll(t, "testdata/wxr12_https.xml"))
	athens, err := time.LoadLocation("Europe/Athens")
	if err != nil {
		athens = time.FixedZone("EEST", 3*3600)
	}
	utc := func(s string) time.Time {
		t, _ := time.Parse(DateLayout, s)
		return t
	}
	tests := []struct {
		name string
		got  func() (time.Time, bool)
		want time.Time
		ok   bool
	}{
		{"published gmt", func() (time.Time, bool) { return ps[0].PublishedGMT(athens) }, utc("2024-04-30 20:00:00"), true},
		{"modified gmt", func() (time.Time, bool) { return ps[0].ModifiedGMT(athens) }, utc("2024-05-01 05:30:00"), true},
		{"comment zero gmt falls back to local", func() (time.Time, bool) { return ps[0].Comments[0].PostedGMT(athens) }, utc("2024-05-01 06:00:00"), true},
		{"draft falls back to post_date in loc", func() (time.Time, bool) { return ps[1].PublishedGMT(athens) }, utc("2024-05-02 07:00:00"), true},
		{"draft modified in loc", func() (time.Time, bool) { return ps[1].ModifiedGMT(athens) }, utc("2024-05-02 07:00:00"), true},
		{"nil loc is UTC", func() (time.Time, bool) { return ps[1].PublishedGMT(nil) }, utc("2024-05-02 10:00:00"), true},
		{"pubDate fallback", func() (time.Time, bool) {
			return Post{PostDateGMT: "0000-00-00 00:00:00", PubDate: "Tue, 30 Apr 2024 20:00:00 +0200"}.PublishedGMT(nil)
		}, utc("2024-04-30 18:00:00"), true},
		{"nothing usable", func() (time.Time, bool) {
			return Post{PostDateGMT: "0000-00-00 00:00:00", PostDate: "0000-00-00 00:00:00", PubDate: "Mon, 30 Nov -0001 00:00:00 +0000"}.PublishedGMT(nil)
		}, time.Time{}, false},
		{"no modified", func() (time.Time, bool) { return Post{}.ModifiedGMT(nil) }, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := tt.got()
		if ok != tt.ok || !got.Equal(tt.want) || (ok && got.Location() != time.UTC) {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNamespaceVariants(t *testing.T) {
	// The same item under every namespace spelling WordPress has used, and
	// with the prefixes left undeclared.
	for _, ns := range []struct{ wp, excerpt string }{
		{"http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.0/excerpt/"},
		{"http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.1/excerpt/"},
		{"http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.2/excerpt/"},
		{"https://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/excerpt/"},
		{"", ""},
	} {
		decl := ""
		if ns.wp != "" {
			decl = ` xmlns:wp="` + ns.wp + `" xmlns:excerpt="` + ns.excerpt +
				`" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"`
		}
		doc := `<rss version="2.0"` + decl + `><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>T</title><dc:creator>me</dc:creator><content:encoded>C</content:encoded>
<excerpt:encoded>E</excerpt:encoded><wp:post_id>7</wp:post_id></item></channel></rss>`
		items, err := readItems(strings.NewReader(doc))
		if err != nil {
			t.Fatalf("%q: %v", ns.wp, err)
		}
		want := Post{Title: "T", Creator: "me", Content: "C", Excerpt: "E", ID: 7}
		if len(items) != 2 || !reflect.DeepEqual(items[1], want) {
			t.Errorf("%q: got %#v", ns.wp, items)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"testdata/truncated.xml", "wxr: line 122: XML syntax error: unexpected EOF"},
		{"testdata/not-xml.txt", "wxr: line 2: not an XML document: no root element"},
		{"testdata/html.html", "wxr: line 2: not a WXR file: root element is <html>, not <rss>"},
		{"testdata/rss-not-wxr.xml", "wxr: line 7: not a WXR file: RSS channel has no <wp:wxr_version>"},
	}
	for _, tt := range tests {
		f, err := os.Open(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		items, err := readItems(f)
		f.Close()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err = %v\nwant        %s", tt.file, err, tt.want)
		}
		var e *Error
		if !errors.As(err, &e) || e.Line == 0 {
			t.Errorf("%s: %T is not an *Error with a line", tt.file, err)
		}
		if tt.file == "testdata/truncated.xml" && len(posts(items)) != 1 {
			t.Errorf("truncated: %d complete posts before the error, want 1", len(posts(items)))
		}
	}

	// Errors are final: Next keeps returning the same one.
	rd := NewReader(strings.NewReader("<rss><channel><title>x</title></chan"))
	_, err1 := rd.Next()
	_, err2 := rd.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors not sticky: %v, %v", err1, err2)
	}
}

func TestBadFieldIsRecoverable(t *testing.T) {
	doc := `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>bad</title>
<wp:post_id>12a</wp:post_id></item>
<item><title>good</title><wp:post_id> 13 </wp:post_id><wp:post_parent></wp:post_parent></item>
</channel></rss>`
	rd := NewReader(strings.NewReader(doc))
	if _, err := rd.Next(); err != nil { // Site
		t.Fatal(err)
	}
	_, err := rd.Next()
	if err == nil || err.Error() != `wxr: line 4: <post_id>: "12a" is not an integer` {
		t.Fatalf("err = %v", err)
	}
	it, err := rd.Next()
	if err != nil || it.(Post).ID != 13 || it.(Post).Title != "good" {
		t.Fatalf("after a bad field: %#v, %v", it, err)
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
}

func TestSiteWithoutRecords(t *testing.T) {
	items, err := readItems(strings.NewReader(`<rss xmlns:wp="https://wordpress.org/export/1.2/"><channel>
<title>Empty</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>`))
	if err != nil || len(items) != 1 || items[0].(Site).Title != "Empty" {
		t.Fatalf("got %#v, %v", items, err)
	}
	_, err = readItems(strings.NewReader(`<rss version="2.0"></rss>`))
	if err == nil || !strings.Contains(err.Error(), "no <channel>") {
		t.Fatalf("rss without channel: %v", err)
	}
}

func TestMalformedStructure(t *testing.T) {
	head := `<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>one</title></item>
`
	tests := []struct {
		name, body, want string
	}{
		// A raw "]]>" ends the CDATA early; the rest reads as a stray </pre>.
		{"raw ]]> in CDATA", `<item><content:encoded><![CDATA[<pre>a[b[0]]> 1</pre>]]></content:encoded></item>
</channel></rss>`, "wxr: line 4: XML syntax error: mismatched end tag inside <item>"},
		{"missing end tag", `<item><wp:comment><wp:comment_id>1</wp:comment_id>
</item></channel></rss>`, "wxr: line 5: XML syntax error: mismatched end tag inside <item>"},
		{"stray end tag in skipped element", `<item><wp:unknown><x></wp:unknown></item></channel></rss>`,
			"wxr: line 4: XML syntax error: mismatched end tag inside <unknown>"},
		{"second root", "</channel></rss>\n<rss></rss>", "wxr: line 5: element <rss> after </rss>"},
		{"text after root", "</channel></rss>\ngarbage", "wxr: line 5: text after </rss>"},
	}
	for _, tt := range tests {
		items, err := readItems(strings.NewReader(head + tt.body))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err = %v\nwant %s", tt.name, err, tt.want)
		}
		if len(items) != 2 {
			t.Errorf("%s: %d records before the error, want Site and the first post", tt.name, len(items))
		}
	}
	// Space, comments and a self-closing element are fine.
	if _, err := readItems(strings.NewReader(head + "<item><wp:is_sticky/></item></channel></rss>\n<!-- end -->\n")); err != nil {
		t.Errorf("well-formed: %v", err)
	}
}

type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := readItems(&errReader{strings.NewReader("<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n<item>"), boom})
	if !errors.Is(err, boom) || err.Error() != "wxr: line 4: connection reset" {
		t.Errorf("err = %v", err)
	}
}

func TestByteOrderMark(t *testing.T) {
	items, err := readItems(strings.NewReader("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss><channel><wp:wxr_version>1.1</wp:wxr_version></channel></rss>"))
	if err != nil || len(items) != 1 {
		t.Errorf("BOM: %v, %v", items, err)
	}
}
