package markup

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"marquee/internal/fixture"
)

// TestWXRBodies renders every body of WordPress's theme unit test export, a
// deliberately awkward corpus, and checks each result is safe and keeps text.
func TestWXRBodies(t *testing.T) {
	f, err := os.Open(fixture.Path(t, "fixtures/wxr/themeunittestdata.wordpress.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var doc struct {
		Items []struct {
			Title   string `xml:"title"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"channel>item"`
	}
	if err := xml.NewDecoder(f).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	var bodies, paras int
	for _, it := range doc.Items {
		if strings.TrimSpace(it.Content) == "" {
			continue
		}
		bodies++
		out := r.HTML(it.Content)
		if why := unsafeReason(out); why != "" {
			t.Errorf("%q: %s", it.Title, why)
		}
		if strings.Contains(out, "<!-- wp:") || strings.Contains(out, "<!--more") {
			t.Errorf("%q: a WordPress comment survived", it.Title)
		}
		if PlainText(it.Content) != "" && PlainText(out) == "" {
			t.Errorf("%q: all text lost", it.Title)
		}
		paras += strings.Count(out, "<p>")
	}
	if bodies == 0 || paras == 0 {
		t.Fatalf("%d bodies, %d paragraphs: export not read", bodies, paras)
	}
	t.Logf("%d bodies, %d paragraphs", bodies, paras)
}
