package markup

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"marquee/internal/fixture"
)

// loadXSS is the project's payload corpus (fixture.XSS).
func loadXSS(testing.TB) []string { return fixture.XSS() }

var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "object": true, "embed": true, "base": true,
	"form": true, "style": true, "meta": true, "link": true, "frame": true,
	"frameset": true, "applet": true, "svg": true, "math": true, "template": true,
	"noscript": true, "textarea": true, "select": true, "button": true,
}

var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "srcset": true,
	"poster": true, "background": true, "cite": true, "data": true, "codebase": true,
	"dynsrc": true, "lowsrc": true, "xlink:href": true,
}

// unsafeReason parses out as a browser would and says what in it could run
// script, or "" when nothing can.
func unsafeReason(out string) string {
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return "unparseable: " + err.Error()
	}
	var reason string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if reason != "" {
			return
		}
		if n.Type == html.ElementNode {
			if forbiddenElements[n.Data] {
				reason = "element <" + n.Data + ">"
				return
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if a.Namespace != "" {
					key = a.Namespace + ":" + key
				}
				switch {
				case strings.HasPrefix(strings.ToLower(a.Key), "on"):
					reason = "event handler " + key + " on <" + n.Data + ">"
				case key == "style":
					reason = "style attribute on <" + n.Data + ">"
				case urlAttrs[key] || urlAttrs[strings.ToLower(a.Key)]:
					if s := scheme(a.Val); s == "javascript" || s == "vbscript" || s == "data" {
						reason = s + ": URL in " + key + " on <" + n.Data + ">"
					}
				}
				if reason != "" {
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return reason
}

// scheme returns a URL's scheme as a browser reads it: entities are already
// decoded by the parser; whitespace and control characters anywhere are dropped.
func scheme(v string) string {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	if i := strings.IndexByte(v, ':'); i > 0 {
		return strings.ToLower(v[:i])
	}
	return ""
}

func TestXSSCorpus(t *testing.T) {
	r := New(Options{})
	payloads := loadXSS(t)
	if len(payloads) < 60 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	renderers := map[string]func(string) string{
		"Markdown": func(s string) string {
			out, err := r.Markdown(s)
			if err != nil {
				t.Fatal(err)
			}
			return out
		},
		"HTML":    r.HTML,
		"Comment": r.Comment,
	}
	for _, p := range payloads {
		for name, render := range renderers {
			out := render(p)
			if why := unsafeReason(out); why != "" {
				t.Errorf("%s(%q) = %q: %s", name, p, out, why)
			}
			// Wrapped in text, as payloads usually arrive.
			out = render("Hello " + p + " world\n\nmore " + p)
			if why := unsafeReason(out); why != "" {
				t.Errorf("%s(wrapped %q) = %q: %s", name, p, out, why)
			}
		}
	}
}

// The checker must catch what it is meant to, or the corpus proves nothing.
func TestUnsafeReasonCatches(t *testing.T) {
	for _, s := range []string{
		`<script>x</script>`, `<img src=x onerror=y>`, `<a href="java&#x09;script:x">`,
		`<a href=" JAVASCRIPT:x">`, `<a href="&#1;vbscript:x">`, `<img src="data:image/png,x">`,
		`<p style="color:red">`, `<svg><a xlink:href="javascript:x">`, `<form action=x>`,
		`<button formaction="javascript:x">`, `<link href=x>`, `<meta charset=x>`,
	} {
		if unsafeReason(s) == "" {
			t.Errorf("unsafeReason(%q) found nothing", s)
		}
	}
	// Unsanitised, most of the corpus must be caught.
	trusted, caught := New(Options{TrustedHTML: true}), 0
	payloads := loadXSS(t)
	for _, p := range payloads {
		if unsafeReason(trusted.HTML(p)) != "" {
			caught++
		}
	}
	if caught < len(payloads)/2 {
		t.Errorf("only %d of %d raw payloads flagged", caught, len(payloads))
	}
	if why := unsafeReason(`<p><a href="https://x.example/javascript:">javascript:</a></p>`); why != "" {
		t.Errorf("false positive: %s", why)
	}
}

func fuzzSeeds(f *testing.F) {
	for _, p := range loadXSS(f) {
		f.Add(p)
	}
	f.Add("# Title\n\nSome *text* with a [link](https://example.com) and a footnote[^1].\n\n[^1]: Note.")
	f.Add("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n```go\nx := 1\n```")
	f.Add("line one\nline two\n\n<pre>\nkeep\n</pre>\n<!--more-->\n<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->")
}

func fuzzCheck(t *testing.T, in, out string) {
	if why := unsafeReason(out); why != "" {
		t.Fatalf("input %q gave %q: %s", in, out, why)
	}
}

func FuzzMarkdown(f *testing.F) {
	fuzzSeeds(f)
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		out, err := r.Markdown(s)
		if err != nil {
			t.Fatal(err)
		}
		fuzzCheck(t, s, out)
	})
}

func FuzzHTML(f *testing.F) {
	fuzzSeeds(f)
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, s, r.HTML(s)) })
}

func FuzzComment(f *testing.F) {
	fuzzSeeds(f)
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, s, r.Comment(s)) })
}
