package markup

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// postRel gives external links in posts rel="noopener" and takes rel away
// from the rest, so authors cannot set it to anything surprising.
func postRel(external bool) string {
	if external {
		return "noopener"
	}
	return ""
}

// commentRel marks every comment link as the reader's, not the site's.
func commentRel(bool) string { return "nofollow ugc noopener" }

// finish adds the attributes bluemonday can only remove: rel on links, lazy
// loading on images, disabled on checkboxes. Bytes of other tokens are
// copied as they are, so the sanitised markup is not re-serialised.
// reserved (may be nil) names the ids the page around the body uses.
func finish(s string, rel func(external bool) string, reserved func(id string) bool) string {
	s = balance(s, reserved)
	if !strings.Contains(s, "<a") && !strings.Contains(s, "<img") && !strings.Contains(s, "<input") &&
		!strings.Contains(s, "<A") && !strings.Contains(s, "<I") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		raw := z.Raw()
		if tt == html.ErrorToken {
			b.Write(raw)
			return b.String()
		}
		if (tt != html.StartTagToken && tt != html.SelfClosingTagToken) || !interesting(raw) {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "a":
			tok.Attr = linkAttrs(tok.Attr, rel)
		case "img":
			if !hasAttr(tok.Attr, "loading") {
				tok.Attr = append(tok.Attr, html.Attribute{Key: "loading", Val: "lazy"})
			}
		case "input":
			if !hasAttr(tok.Attr, "disabled") {
				tok.Attr = append(tok.Attr, html.Attribute{Key: "disabled"})
			}
		}
		b.WriteString(tok.String())
	}
}

// balance closes every element the sanitised markup left open, as a
// browser would, so that a body cannot swallow the rest of the page (an
// unclosed <table> would pull the reply form's fields out of the form). It
// parses the fragment in a <div> and serialises the tree again. On the way
// an element's id that the page uses (reserved) gets a suffix, so that raw
// HTML cannot capture the page's own anchors (#main, #comments).
func balance(s string, reserved func(id string) bool) string {
	if !strings.Contains(s, "<") {
		return s
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return html.EscapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, n := range nodes {
		if reserved != nil {
			renameReserved(n, reserved)
		}
		if err := html.Render(&b, n); err != nil {
			return html.EscapeString(s)
		}
	}
	// Render closes void elements XML-style ("<br/>"); attribute values
	// have their "<" and ">" escaped, so "/>" only ever ends such a tag.
	return strings.ReplaceAll(b.String(), "/>", ">")
}

// renameReserved gives every element under n whose id is reserved a suffix.
func renameReserved(n *html.Node, reserved func(string) bool) {
	if n.Type == html.ElementNode {
		for i, a := range n.Attr {
			if a.Namespace == "" && a.Key == "id" {
				for reserved(n.Attr[i].Val) {
					n.Attr[i].Val += "-1"
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		renameReserved(c, reserved)
	}
}

// interesting reports whether a start tag's raw bytes name a, img or input.
func interesting(raw []byte) bool {
	end := 1
	for end < len(raw) && (raw[end]|0x20 >= 'a' && raw[end]|0x20 <= 'z') {
		end++
	}
	switch strings.ToLower(string(raw[1:end])) {
	case "a", "img", "input":
		return true
	}
	return false
}

func linkAttrs(attrs []html.Attribute, rel func(bool) string) []html.Attribute {
	out := attrs[:0]
	href, found := "", false
	for _, a := range attrs {
		if a.Namespace == "" && a.Key == "rel" {
			continue
		}
		if a.Namespace == "" && a.Key == "href" {
			href, found = a.Val, true
		}
		out = append(out, a)
	}
	if !found {
		return out
	}
	if v := rel(isExternal(href)); v != "" {
		out = append(out, html.Attribute{Key: "rel", Val: v})
	}
	return out
}

func isExternal(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	return err == nil && u.Host != ""
}

func hasAttr(attrs []html.Attribute, key string) bool {
	for _, a := range attrs {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
