package markup

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// WordsPerMinute is the adult silent-reading pace ReadingTime assumes.
const WordsPerMinute = 220

var moreMarker = regexp.MustCompile(`<!--more(?:.*?)?-->`)

// SplitMore splits a body at WordPress's <!--more--> marker (with or
// without custom link text), which authors use to end the teaser shown on
// the home page.
func SplitMore(src string) (before, after string, found bool) {
	loc := moreMarker.FindStringIndex(src)
	if loc == nil {
		return src, "", false
	}
	return src[:loc[0]], src[loc[1]:], true
}

// PlainText returns the text of an HTML fragment, entities decoded and
// whitespace collapsed, for excerpts, feeds, search and word counts. Block
// boundaries count as spaces so that paragraphs do not run together.
func PlainText(h string) string { return plainText(h, false) }

// plainText is PlainText, leaving out headings when prose is set: in an
// excerpt a heading runs into the sentence after it ("How it works The
// filter runs…").
func plainText(h string, prose bool) string {
	var b strings.Builder
	b.Grow(len(h) / 2)
	z := html.NewTokenizer(strings.NewReader(h))
	skip := 0 // depth inside script/style/template (and headings, for prose)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case a == atom.Script || a == atom.Style || a == atom.Template || prose && heading(a):
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case blockish(a):
				b.WriteByte(' ')
			}
		}
	}
}

func heading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// blockish elements separate words even without whitespace around them.
func blockish(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Br, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Table, atom.Tr, atom.Td, atom.Th, atom.Hr, atom.Figure, atom.Figcaption,
		atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Details,
		atom.Summary, atom.Img, atom.Caption, atom.Address:
		return true
	}
	return false
}

// WordCount counts the words of an HTML fragment's text.
func WordCount(h string) int { return len(strings.Fields(PlainText(h))) }

// ReadingTime estimates minutes to read an HTML fragment, at least one so
// that a short post never says "0 min read".
func ReadingTime(h string) int {
	return max(1, (WordCount(h)+WordsPerMinute-1)/WordsPerMinute)
}

// Excerpt returns the first words of an HTML fragment's text as plain text
// (escape it before use in HTML), ending with "…" when it was cut.
func Excerpt(h string, words int) string {
	if words <= 0 {
		return ""
	}
	f := strings.Fields(plainText(h, true))
	if len(f) == 0 { // nothing but headings
		f = strings.Fields(PlainText(h))
	}
	if len(f) <= words {
		return strings.Join(f, " ")
	}
	s := strings.TrimRight(strings.Join(f[:words], " "), ",;:.!?-–—…")
	return s + "…"
}
