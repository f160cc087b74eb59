package wxr

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"marquee/internal/fixture"
)

// writeAll writes items (a Site first) as a WXR document.
func writeAll(t testing.TB, items []Item) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, items[0].(Site))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items[1:] {
		switch v := it.(type) {
		case Author:
			err = w.WriteAuthor(v)
		case Category:
			err = w.WriteCategory(v)
		case Tag:
			err = w.WriteTag(v)
		case Term:
			err = w.WriteTerm(v)
		case Post:
			err = w.WritePost(v)
		default:
			err = fmt.Errorf("unexpected %T", it)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	files := []string{"testdata/wxr10.xml", "testdata/wxr11.xml", "testdata/wxr12_https.xml"}
	if p := fixturePath(t); p != "" {
		files = append(files, p)
	}
	for _, file := range files {
		first := readAll(t, file)
		out := writeAll(t, first)
		second, err := readItems(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: re-reading: %v", file, err)
		}
		site := first[0].(Site)
		site.WXRVersion = "1.2" // the Writer always writes 1.2
		first[0] = site
		if len(first) != len(second) {
			t.Fatalf("%s: %d records, then %d", file, len(first), len(second))
		}
		for i := range first {
			if !reflect.DeepEqual(first[i], second[i]) {
				t.Errorf("%s: record %d differs:\n%#v\n%#v", file, i, first[i], second[i])
			}
		}
		// Writing what was re-read gives the same bytes: the output is stable.
		if again := writeAll(t, second); !bytes.Equal(out, again) {
			t.Errorf("%s: second write differs from the first", file)
		}
	}
}

// fixturePath returns the Theme Unit Test export, or "" when the shared
// fixtures are absent (fixture.Path would skip the whole test).
func fixturePath(t *testing.T) (path string) {
	t.Run("fixture", func(t *testing.T) {
		path = fixture.Path(t, "fixtures/wxr/themeunittestdata.wordpress.xml")
	})
	return path
}

func TestWriterLayout(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Site{
		Title: "A & B", Link: "https://ab.example", Description: "<desc>", Language: "en-US",
		WXRVersion: "1.0", BaseSiteURL: "https://ab.example", BaseBlogURL: "https://ab.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteAuthor(Author{ID: 1, Login: "admin", Email: "a@ab.example", DisplayName: "Ad Min"}))
	must(w.WriteCategory(Category{TermID: 2, Nicename: "kids", Parent: "root", Name: "Kids"}))
	must(w.WriteTag(Tag{TermID: 3, Slug: "t", Name: "T", Description: "d",
		Meta: []Meta{{"k", "v"}}}))
	must(w.WriteTerm(Term{TermID: 4, Taxonomy: "nav_menu", Slug: "main"}))
	must(w.WritePost(Post{
		Title: "x]]>y", Link: "https://ab.example/?p=5&a=1", PubDate: "Wed, 01 May 2024 06:00:00 +0000",
		Creator: "admin", GUID: "https://ab.example/?p=5", Content: "]]>]]>", ID: 5,
		PostDate: "2024-05-01 08:00:00", PostDateGMT: "2024-05-01 06:00:00",
		PostModified: "2024-05-01 08:00:00", PostModifiedGMT: "2024-05-01 06:00:00",
		CommentStatus: "open", PingStatus: "open", Name: "x", Status: "publish", Type: "post", Sticky: true,
		Categories: []PostCategory{{Domain: "category", Nicename: `a"b`, Name: "A\"B"}},
		Meta:       []Meta{{"_edit_last", "1"}},
		Comments: []Comment{{ID: 9, Author: "C", AuthorURL: "https://c.example/?a&b", Date: "2024-05-01 09:00:00",
			DateGMT: "2024-05-01 07:00:00", Content: "hi", Approved: "1", Type: "comment", Parent: 0,
			Meta: []Meta{{"rating", "5"}}}},
	}))
	must(w.Close())

	want := header + `	<title>A &amp; B</title>
	<link>https://ab.example</link>
	<description>&lt;desc&gt;</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://ab.example</wp:base_site_url>
	<wp:base_blog_url>https://ab.example</wp:base_blog_url>

	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_email><![CDATA[a@ab.example]]></wp:author_email><wp:author_display_name><![CDATA[Ad Min]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
	<wp:category>
		<wp:term_id>2</wp:term_id>
		<wp:category_nicename><![CDATA[kids]]></wp:category_nicename>
		<wp:category_parent><![CDATA[root]]></wp:category_parent>
		<wp:cat_name><![CDATA[Kids]]></wp:cat_name>
	</wp:category>
	<wp:tag>
		<wp:term_id>3</wp:term_id>
		<wp:tag_slug><![CDATA[t]]></wp:tag_slug>
		<wp:tag_name><![CDATA[T]]></wp:tag_name>
		<wp:tag_description><![CDATA[d]]></wp:tag_description>
		<wp:termmeta>
			<wp:meta_key><![CDATA[k]]></wp:meta_key>
			<wp:meta_value><![CDATA[v]]></wp:meta_value>
		</wp:termmeta>
	</wp:tag>
	<wp:term>
		<wp:term_id>4</wp:term_id>
		<wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy>
		<wp:term_slug><![CDATA[main]]></wp:term_slug>
		<wp:term_parent><![CDATA[]]></wp:term_parent>
	</wp:term>

	<item>
		<title><![CDATA[x]]]]><![CDATA[>y]]></title>
		<link>https://ab.example/?p=5&amp;a=1</link>
		<pubDate>Wed, 01 May 2024 06:00:00 +0000</pubDate>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<guid isPermaLink="false">https://ab.example/?p=5</guid>
		<description></description>
		<content:encoded><![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>5</wp:post_id>
		<wp:post_date><![CDATA[2024-05-01 08:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-05-01 06:00:00]]></wp:post_date_gmt>
		<wp:post_modified><![CDATA[2024-05-01 08:00:00]]></wp:post_modified>
		<wp:post_modified_gmt><![CDATA[2024-05-01 06:00:00]]></wp:post_modified_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[x]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>1</wp:is_sticky>
		<category domain="category" nicename="a&#34;b"><![CDATA[A"B]]></category>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_edit_last]]></wp:meta_key>
			<wp:meta_value><![CDATA[1]]></wp:meta_value>
		</wp:postmeta>
		<wp:comment>
			<wp:comment_id>9</wp:comment_id>
			<wp:comment_author><![CDATA[C]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>
			<wp:comment_author_url>https://c.example/?a&amp;b</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-05-01 09:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-05-01 07:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[hi]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:commentmeta>
				<wp:meta_key><![CDATA[rating]]></wp:meta_key>
				<wp:meta_value><![CDATA[5]]></wp:meta_value>
			</wp:commentmeta>
		</wp:comment>
	</item>
</channel>
</rss>
`
	if got := buf.String(); got != want {
		t.Errorf("output differs; got:\n%s", got)
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("first difference at line %d:\ngot  %q\nwant %q", i+1, gl[i], wl[i])
				break
			}
		}
	}
}

func TestWriterSanitizes(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, Site{})
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WritePost(Post{Title: "bell\a nul\x00 bad\xff ok é", Content: "a\r\nb"}))
	must(w.Close())
	items, err := readItems(&buf)
	if err != nil {
		t.Fatal(err)
	}
	p := items[1].(Post)
	if p.Title != "bell\uFFFD nul\uFFFD bad\uFFFD ok é" {
		t.Errorf("title = %q", p.Title)
	}
	if p.Content != "a\nb" { // XML end-of-line handling, as in WordPress
		t.Errorf("content = %q", p.Content)
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, Site{})
	if err := w.WritePost(Post{}); err != nil {
		t.Fatal(err)
	}
	err := w.WriteAuthor(Author{Login: "late"})
	if err == nil || !strings.Contains(err.Error(), "author written after post") {
		t.Errorf("out of order: %v", err)
	}
	if err2 := w.Close(); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}

	w, _ = NewWriter(&failWriter{n: 1000}, Site{})
	var werr error
	for i := 0; i < 100 && werr == nil; i++ {
		werr = w.WritePost(Post{Content: strings.Repeat("x", 4096)})
	}
	if werr == nil || werr.Error() != "disk full" {
		t.Errorf("write error = %v", werr)
	}
	if err := w.Close(); err != werr {
		t.Errorf("Close after a write error = %v", err)
	}

	w, _ = NewWriter(&buf, Site{})
	w.Close()
	if err := w.WritePost(Post{}); err == nil {
		t.Error("WritePost after Close succeeded")
	}
}
