// Package markup turns what authors and commenters type into HTML that is
// safe to serve: Markdown for posts, WordPress HTML for imported bodies and a
// small Markdown subset for comments. Everything that reaches a page passes a
// bluemonday allow-list, because the renderers alone let raw HTML through.
package markup

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options tune a Renderer.
type Options struct {
	// TrustedHTML skips the sanitiser for Markdown and HTML bodies, for sites
	// whose every author is an administrator who may embed scripts and
	// iframes on purpose. Comments are sanitised regardless.
	TrustedHTML bool
	// ReservedID names the ids the page around a body uses (web.PageID). A
	// heading or raw element of a body that would take one gets a suffix
	// ("comments-1"), or the page's links to it (the skip link's #main,
	// #comments, a comment's permalink) would jump into the post. nil:
	// none are reserved.
	ReservedID func(id string) bool
}

// Renderer holds the parsers and policies, which are costly to build, so one
// is made at start and shared; all its methods are safe for concurrent use.
type Renderer struct {
	opts    Options
	post    goldmark.Markdown
	comment goldmark.Markdown
	postP   *bluemonday.Policy
	commP   *bluemonday.Policy
}

// New builds a Renderer.
func New(opts Options) *Renderer {
	return &Renderer{
		opts:    opts,
		post:    newPostMarkdown(),
		comment: newCommentMarkdown(),
		postP:   postPolicy(),
		commP:   commentPolicy(),
	}
}

func newPostMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)), // style= is not allowed
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			extension.Footnote,
			extension.Typographer,
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		// Unsafe: raw HTML is the author's, and the sanitiser decides what stays.
		goldmark.WithRendererOptions(html.WithHardWraps(), html.WithUnsafe()),
	)
}

// newCommentMarkdown keeps only the parsers a comment needs: without the
// heading parsers "# x" stays text, and without the raw-HTML parsers tags are
// escaped and shown rather than dropped.
func newCommentMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(
				util.Prioritized(parser.NewListParser(), 300),
				util.Prioritized(parser.NewListItemParser(), 400),
				util.Prioritized(parser.NewCodeBlockParser(), 500),
				util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
				util.Prioritized(parser.NewBlockquoteParser(), 800),
				util.Prioritized(parser.NewParagraphParser(), 1000),
			),
			parser.WithInlineParsers(
				util.Prioritized(parser.NewCodeSpanParser(), 100),
				util.Prioritized(parser.NewLinkParser(), 200),
				util.Prioritized(parser.NewAutoLinkParser(), 300),
				util.Prioritized(parser.NewEmphasisParser(), 500),
			),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
			parser.WithASTTransformers(util.Prioritized(imagesToLinks{}, 100)),
		)),
		goldmark.WithExtensions(extension.Linkify),
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
}

// imagesToLinks turns comment images into links to the image, so a
// commenter cannot make readers' browsers fetch a URL of theirs.
type imagesToLinks struct{}

func (imagesToLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var imgs []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			imgs = append(imgs, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range imgs {
		parent := img.Parent()
		if inLink(img) { // a link cannot hold a link: keep the alt text
			for c := img.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, img, c)
				c = next
			}
			parent.RemoveChild(parent, img)
			continue
		}
		l := ast.NewLink()
		l.Destination, l.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			l.AppendChild(l, c)
			c = next
		}
		parent.ReplaceChild(parent, img, l)
	}
}

func inLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}

// postPolicy is bluemonday's UGC policy plus the markup our Markdown
// features emit. rel is not taken from authors: finish sets it.
func postPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false) // authors' links are editorial
	p.AllowElements("del", "ins", "kbd", "figure", "figcaption", "details", "summary")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]{1,40}$`)).OnElements("code")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(?:ref|backref)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(?:noteref|backlink|endnotes)$`)).OnElements("a", "div")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(?:|checked|disabled)$`)).OnElements("input")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(?:lazy|eager)$`)).OnElements("img")
	// WordPress's layout classes, so imported images keep their alignment.
	p.AllowAttrs("class").Matching(wpClasses).Globally()
	return p
}

var wpClasses = regexp.MustCompile(`^(?:(?:align(?:left|right|center|none|wide|full)|size-(?:thumbnail|medium|large|full)|wp-(?:caption(?:-text)?|image-\d+|block-[a-z-]+))(?:\s+|$))+$`)

// commentPolicy allows exactly what Comment's Markdown subset produces.
func commentPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}

// Markdown renders a post or page body.
func (r *Renderer) Markdown(src string) (string, error) {
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.post.Convert([]byte(normalizeNewlines(src)), &buf, parser.WithContext(parser.NewContext(parser.WithIDs(headingIDs{parser.NewContext().IDs(), r.opts.ReservedID})))); err != nil {
		return "", err
	}
	if r.opts.TrustedHTML {
		return finish(buf.String(), postRel, r.opts.ReservedID), nil
	}
	return finish(r.postP.Sanitize(buf.String()), postRel, r.opts.ReservedID), nil
}

// headingIDs is goldmark's id generator, skipping reserved ids: taken by
// the first call, the next gives the next suffix ("comments-1").
type headingIDs struct {
	parser.IDs
	reserved func(string) bool
}

func (h headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := h.IDs.Generate(value, kind)
	for h.reserved != nil && h.reserved(string(id)) {
		id = h.IDs.Generate(value, kind)
	}
	return id
}

// HTML renders a WordPress body as WordPress would show it: block comments
// dropped and, for classic (block-less) content, wpautop's paragraphs.
// Shortcodes are left as text.
func (r *Renderer) HTML(src string) string {
	src = normalizeNewlines(src)
	blocks := strings.Contains(src, "<!-- wp:") // WordPress's has_blocks: such content skips wpautop
	src = moreRe.ReplaceAllString(src, "")
	src = blockCommentRe.ReplaceAllString(src, "")
	if !blocks {
		src = wpautop(src)
	}
	if !r.opts.TrustedHTML {
		src = r.postP.Sanitize(src)
	}
	return strings.TrimSpace(finish(src, postRel, r.opts.ReservedID)) + "\n"
}

// Comment renders a reader's comment with the Markdown subset and a strict
// policy; any raw HTML is shown as text.
func (r *Renderer) Comment(src string) string {
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.comment.Convert([]byte(normalizeNewlines(src)), &buf); err != nil {
		return "" // writing to a bytes.Buffer does not fail
	}
	return finish(r.commP.Sanitize(buf.String()), commentRel, nil)
}

var blockCommentRe = regexp.MustCompile(`<!--\s*/?wp:[\s\S]*?-->`)

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
