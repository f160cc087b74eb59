package feed

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sample() (Channel, []Entry) {
	t1 := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	t2 := time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC)
	c := Channel{Title: "Fish & <Chips>", Link: "https://blog.example/", Self: "https://blog.example/feed/",
		Description: "Notes <em>and</em> replies", Language: "en", Updated: t2}
	es := []Entry{
		{Title: "Second post", Link: "https://blog.example/second/", Author: "Ada", Published: t2, Updated: t2,
			Summary: "A summary with <b>markup</b> as text.", HTML: "<p>Line one<br>line two</p>",
			Categories: []string{"Film", "Music"}, Comments: "https://blog.example/second/#comments"},
		{Title: "First ]]> post", Link: "https://blog.example/first/", ID: "urn:marquee:post:1", Published: t1,
			Summary: "Plain.", HTML: "<p>It’s “quoted”.</p>"},
	}
	return c, es
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestRSSGolden(t *testing.T) {
	c, es := sample()
	var b bytes.Buffer
	if err := WriteRSS(&b, c, es); err != nil {
		t.Fatal(err)
	}
	golden(t, "feed.rss.xml", b.Bytes())
	var doc struct {
		Channel struct {
			Title string `xml:"title"`
			Items []struct {
				Title       string `xml:"title"`
				Description string `xml:"description"`
				GUID        struct {
					Value string `xml:",chardata"`
					Perma string `xml:"isPermaLink,attr"`
				} `xml:"guid"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Channel.Title != "Fish & ‹Chips›" || doc.Channel.Items[1].Title != "First ]]› post" {
		t.Errorf("titles keep no angle brackets: %q %q", doc.Channel.Title, doc.Channel.Items[1].Title)
	}
	if d := doc.Channel.Items[0].Description; d != "A summary with &lt;b&gt;markup&lt;/b&gt; as text." {
		t.Errorf("the plain-text summary must reach readers escaped as HTML text: %q", d)
	}
	if g := doc.Channel.Items[1].GUID; g.Value != "urn:marquee:post:1" || g.Perma != "false" {
		t.Errorf("guid %+v", g)
	}
}

func TestAtomGolden(t *testing.T) {
	c, es := sample()
	var b bytes.Buffer
	if err := WriteAtom(&b, c, es); err != nil {
		t.Fatal(err)
	}
	golden(t, "feed.atom.xml", b.Bytes())
	var doc struct {
		Updated string `xml:"updated"`
		Entries []struct {
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Updated != "2026-11-03T18:00:00Z" || doc.Entries[0].Content.Type != "html" || doc.Entries[0].Content.Body != "<p>Line one<br>line two</p>" {
		t.Errorf("atom: %+v", doc)
	}
}

func TestSitemapGolden(t *testing.T) {
	var b bytes.Buffer
	err := WriteSitemap(&b, []URL{{Loc: "https://blog.example/"}, {Loc: "https://blog.example/a&b/", LastMod: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sitemap.xml", b.Bytes())
}
