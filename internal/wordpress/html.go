package wordpress

import (
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// commentPolicy keeps what a reader's comment may hold: the elements of
// Marquee's own comments (markup's comment policy) plus the b and i
// WordPress comments often use. No images: a commenter cannot make
// readers' browsers fetch their URLs.
var commentPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}()

// commentHTML renders a WordPress comment (HTML, paragraphs by blank
// lines) as WordPress shows it, sanitised to what comments may hold, every
// link marked as the commenter's.
func commentHTML(r Renderer, src string) string {
	return commentRel(commentPolicy.Sanitize(r.HTML(src)))
}

func commentRel(s string) string {
	if !strings.Contains(s, "<a") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return strings.TrimSpace(b.String())
		}
		if tt != html.StartTagToken {
			b.Write(z.Raw())
			continue
		}
		tok := z.Token()
		if tok.Data == "a" {
			attrs := tok.Attr[:0]
			for _, a := range tok.Attr {
				if a.Key != "rel" {
					attrs = append(attrs, a)
				}
			}
			tok.Attr = append(attrs, html.Attribute{Key: "rel", Val: "nofollow ugc noopener"})
		}
		b.WriteString(tok.String())
	}
}
