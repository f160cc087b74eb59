package markup

import (
	"strings"
	"testing"
)

func TestSplitMore(t *testing.T) {
	for _, c := range []struct {
		in, before, after string
		found             bool
	}{
		{"a<!--more-->b", "a", "b", true},
		{"a\n<!--more Keep reading-->\nb<!--more-->c", "a\n", "\nb<!--more-->c", true},
		{"no marker", "no marker", "", false},
		{"<!-- more -->", "<!-- more -->", "", false},
	} {
		b, a, f := SplitMore(c.in)
		if b != c.before || a != c.after || f != c.found {
			t.Errorf("SplitMore(%q) = %q, %q, %v", c.in, b, a, f)
		}
	}
}

func TestPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<p>Hello&nbsp;<b>world</b> &amp; &#8220;you&#8221;</p><p>Next</p>", "Hello world & “you” Next"},
		{"<h2>Title</h2><ul><li>a</li><li>b</li></ul>line<br>break", "Title a b line break"},
		{"<p>x<script>var a = '<p>'</script>y<style>p{}</style>z</p>", "xyz"},
		{"  spaced\n\n\tout  ", "spaced out"},
		{"wo<em>r</em>d", "word"},
		{"", ""},
	} {
		if got := PlainText(c.in); got != c.want {
			t.Errorf("PlainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExcerptAndCounts(t *testing.T) {
	h := "<p>One two, three.</p><p>Four five six</p>"
	for _, c := range []struct {
		n    int
		want string
	}{
		{2, "One two…"},
		{3, "One two, three…"},
		{6, "One two, three. Four five six"},
		{10, "One two, three. Four five six"},
		{0, ""},
	} {
		if got := Excerpt(h, c.n); got != c.want {
			t.Errorf("Excerpt(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	// Headings stay out of excerpts, unless there is nothing else.
	withHeading := `<h2 id="how">How it works</h2><p>The filter runs here.</p><h3>Details</h3><p>More.</p>`
	if got := Excerpt(withHeading, 5); got != "The filter runs here. More." {
		t.Errorf("Excerpt with headings = %q", got)
	}
	if got := Excerpt("<h2>Only a title</h2>", 5); got != "Only a title" {
		t.Errorf("Excerpt of headings only = %q", got)
	}
	if got := WordCount(h); got != 6 {
		t.Errorf("WordCount = %d", got)
	}
	if got := ReadingTime(""); got != 1 {
		t.Errorf("ReadingTime(empty) = %d, want 1", got)
	}
	long := "<p>" + strings.Repeat("word ", 221) + "</p>"
	if got := ReadingTime(long); got != 2 {
		t.Errorf("ReadingTime(221 words) = %d, want 2", got)
	}
}

func TestTrustedHTML(t *testing.T) {
	r := New(Options{TrustedHTML: true})
	md, err := r.Markdown(`<iframe src="https://video.example/embed/1"></iframe>`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md, "<iframe") {
		t.Errorf("trusted Markdown dropped the iframe: %q", md)
	}
	if got := r.HTML(`<div class="embed" style="x">y</div>`); !strings.Contains(got, `style="x"`) {
		t.Errorf("trusted HTML was sanitised: %q", got)
	}
	if got := r.Comment(`<script>alert(1)</script>`); strings.Contains(got, "<script") {
		t.Errorf("trusted renderer let a comment's script through: %q", got)
	}
}

func TestFinish(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<a href="https://x.example/" rel="me">x</a>`, `<a href="https://x.example/" rel="noopener">x</a>`},
		{`<a href="//x.example/">x</a>`, `<a href="//x.example/" rel="noopener">x</a>`},
		{`<a href="/local" rel="me">x</a>`, `<a href="/local">x</a>`},
		{`<a name="x">x</a><abbr>y</abbr><i>z</i>`, `<a name="x">x</a><abbr>y</abbr><i>z</i>`},
		{`<img src="a.png" loading="eager"><IMG SRC="b.png">`, `<img src="a.png" loading="eager"><img src="b.png" loading="lazy">`},
		{`<input type="checkbox">`, `<input type="checkbox" disabled="">`},
		{`text <a href="x`, `text `}, // an unfinished tag is dropped, as a browser would
	} {
		if got := finish(c.in, postRel, nil); got != c.want {
			t.Errorf("finish(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
