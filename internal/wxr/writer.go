package wxr

import (
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer writes a WXR 1.2 document. Records must come in the order
// WordPress writes them — authors, categories, tags, terms, posts — since
// WordPress's importer resolves parents and authors in that order. Errors
// are sticky: after the first, every call returns it.
type Writer struct {
	w     *bufio.Writer
	stage int
	err   error
}

const (
	stageAuthor = iota + 1
	stageCategory
	stageTag
	stageTerm
	stagePost
	stageClosed
)

var stageNames = [...]string{"", "author", "category", "tag", "term", "post"}

// header mirrors the start of WordPress's export: the namespaces its
// importer looks up by prefix, with WXR 1.2's http:// URIs.
const header = `<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS (WXR 1.2) file, an export of a site. -->
<!-- Import it into WordPress with Tools: Import, "WordPress". -->
<!-- generator="Marquee" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
`

// NewWriter writes the document header and the channel fields of site to
// w. site.WXRVersion is ignored: the Writer always writes 1.2.
func NewWriter(w io.Writer, site Site) (*Writer, error) {
	x := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(header)
	x.elem("\t", "title", site.Title)
	x.elem("\t", "link", site.Link)
	x.elem("\t", "description", site.Description)
	if site.PubDate != "" {
		x.elem("\t", "pubDate", site.PubDate)
	}
	x.elem("\t", "language", site.Language)
	x.raw("\t<wp:wxr_version>1.2</wp:wxr_version>\n")
	x.elem("\t", "wp:base_site_url", site.BaseSiteURL)
	x.elem("\t", "wp:base_blog_url", site.BaseBlogURL)
	x.raw("\n")
	return x, x.err
}

// WriteAuthor writes a <wp:author>, on one line as WordPress does.
func (x *Writer) WriteAuthor(a Author) error {
	if !x.enter(stageAuthor) {
		return x.err
	}
	x.raw("\t<wp:author>")
	x.num("", "wp:author_id", a.ID, false)
	x.cdata("", "wp:author_login", a.Login, false)
	x.cdata("", "wp:author_email", a.Email, false)
	x.cdata("", "wp:author_display_name", a.DisplayName, false)
	x.cdata("", "wp:author_first_name", a.FirstName, false)
	x.cdata("", "wp:author_last_name", a.LastName, false)
	x.raw("</wp:author>\n")
	return x.err
}

// WriteCategory writes a <wp:category>. Like WordPress, it leaves out an
// empty name or description.
func (x *Writer) WriteCategory(c Category) error {
	if !x.enter(stageCategory) {
		return x.err
	}
	x.raw("\t<wp:category>\n")
	x.num("\t\t", "wp:term_id", c.TermID, true)
	x.cdata("\t\t", "wp:category_nicename", c.Nicename, true)
	x.cdata("\t\t", "wp:category_parent", c.Parent, true)
	x.optional("\t\t", "wp:cat_name", c.Name)
	x.optional("\t\t", "wp:category_description", c.Description)
	x.meta("\t\t", "wp:termmeta", c.Meta)
	x.raw("\t</wp:category>\n")
	return x.err
}

// WriteTag writes a <wp:tag>.
func (x *Writer) WriteTag(t Tag) error {
	if !x.enter(stageTag) {
		return x.err
	}
	x.raw("\t<wp:tag>\n")
	x.num("\t\t", "wp:term_id", t.TermID, true)
	x.cdata("\t\t", "wp:tag_slug", t.Slug, true)
	x.optional("\t\t", "wp:tag_name", t.Name)
	x.optional("\t\t", "wp:tag_description", t.Description)
	x.meta("\t\t", "wp:termmeta", t.Meta)
	x.raw("\t</wp:tag>\n")
	return x.err
}

// WriteTerm writes a <wp:term> of another taxonomy (nav_menu, …).
func (x *Writer) WriteTerm(t Term) error {
	if !x.enter(stageTerm) {
		return x.err
	}
	x.raw("\t<wp:term>\n")
	x.num("\t\t", "wp:term_id", t.TermID, true)
	x.cdata("\t\t", "wp:term_taxonomy", t.Taxonomy, true)
	x.cdata("\t\t", "wp:term_slug", t.Slug, true)
	x.cdata("\t\t", "wp:term_parent", t.Parent, true)
	x.optional("\t\t", "wp:term_name", t.Name)
	x.optional("\t\t", "wp:term_description", t.Description)
	x.meta("\t\t", "wp:termmeta", t.Meta)
	x.raw("\t</wp:term>\n")
	return x.err
}

// WritePost writes an <item> with its terms, metadata and comments.
func (x *Writer) WritePost(p Post) error {
	if !x.enter(stagePost) {
		return x.err
	}
	x.raw("\n\t<item>\n")
	x.cdata("\t\t", "title", p.Title, true)
	x.elem("\t\t", "link", p.Link)
	x.elem("\t\t", "pubDate", p.PubDate)
	x.cdata("\t\t", "dc:creator", p.Creator, true)
	if p.GUIDIsPermaLink {
		x.raw("\t\t<guid isPermaLink=\"true\">")
	} else {
		x.raw("\t\t<guid isPermaLink=\"false\">")
	}
	x.escape(p.GUID)
	x.raw("</guid>\n")
	x.elem("\t\t", "description", p.Description)
	x.cdata("\t\t", "content:encoded", p.Content, true)
	x.cdata("\t\t", "excerpt:encoded", p.Excerpt, true)
	x.num("\t\t", "wp:post_id", p.ID, true)
	x.cdata("\t\t", "wp:post_date", p.PostDate, true)
	x.cdata("\t\t", "wp:post_date_gmt", p.PostDateGMT, true)
	x.cdata("\t\t", "wp:post_modified", p.PostModified, true)
	x.cdata("\t\t", "wp:post_modified_gmt", p.PostModifiedGMT, true)
	x.cdata("\t\t", "wp:comment_status", p.CommentStatus, true)
	x.cdata("\t\t", "wp:ping_status", p.PingStatus, true)
	x.cdata("\t\t", "wp:post_name", p.Name, true)
	x.cdata("\t\t", "wp:status", p.Status, true)
	x.num("\t\t", "wp:post_parent", p.Parent, true)
	x.num("\t\t", "wp:menu_order", int64(p.MenuOrder), true)
	x.cdata("\t\t", "wp:post_type", p.Type, true)
	x.cdata("\t\t", "wp:post_password", p.Password, true)
	sticky := int64(0)
	if p.Sticky {
		sticky = 1
	}
	x.num("\t\t", "wp:is_sticky", sticky, true)
	if p.Type == "attachment" || p.AttachmentURL != "" {
		x.cdata("\t\t", "wp:attachment_url", p.AttachmentURL, true)
	}
	for _, c := range p.Categories {
		x.raw("\t\t<category")
		if c.Domain != "" {
			x.raw(` domain="`)
			x.escape(c.Domain)
			x.raw(`"`)
		}
		if c.Nicename != "" {
			x.raw(` nicename="`)
			x.escape(c.Nicename)
			x.raw(`"`)
		}
		x.raw(">")
		x.cdataText(c.Name)
		x.raw("</category>\n")
	}
	x.meta("\t\t", "wp:postmeta", p.Meta)
	for _, c := range p.Comments {
		x.raw("\t\t<wp:comment>\n")
		x.num("\t\t\t", "wp:comment_id", c.ID, true)
		x.cdata("\t\t\t", "wp:comment_author", c.Author, true)
		x.cdata("\t\t\t", "wp:comment_author_email", c.AuthorEmail, true)
		x.elem("\t\t\t", "wp:comment_author_url", c.AuthorURL)
		x.cdata("\t\t\t", "wp:comment_author_IP", c.AuthorIP, true)
		x.cdata("\t\t\t", "wp:comment_date", c.Date, true)
		x.cdata("\t\t\t", "wp:comment_date_gmt", c.DateGMT, true)
		x.cdata("\t\t\t", "wp:comment_content", c.Content, true)
		x.cdata("\t\t\t", "wp:comment_approved", c.Approved, true)
		x.cdata("\t\t\t", "wp:comment_type", c.Type, true)
		x.num("\t\t\t", "wp:comment_parent", c.Parent, true)
		x.num("\t\t\t", "wp:comment_user_id", c.UserID, true)
		x.meta("\t\t\t", "wp:commentmeta", c.Meta)
		x.raw("\t\t</wp:comment>\n")
	}
	x.raw("\t</item>\n")
	return x.err
}

// Close ends the document and flushes it. It does not close the
// underlying io.Writer.
func (x *Writer) Close() error {
	if !x.enter(stageClosed) {
		return x.err
	}
	x.raw("</channel>\n</rss>\n")
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

// enter checks that a record of stage s may come now.
func (x *Writer) enter(s int) bool {
	if x.err != nil {
		return false
	}
	if x.stage == stageClosed {
		x.err = errors.New("wxr: Writer is closed")
		return false
	}
	if s < x.stage {
		x.err = errors.New("wxr: " + stageNames[s] + " written after " + stageNames[x.stage] +
			"; WXR order is authors, categories, tags, terms, posts")
		return false
	}
	x.stage = s
	return true
}

func (x *Writer) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *Writer) escape(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// elem writes an element with escaped text, for the fields WordPress
// passes through esc_* functions rather than wxr_cdata.
func (x *Writer) elem(indent, name, s string) {
	x.raw(indent + "<" + name + ">")
	x.escape(s)
	x.raw("</" + name + ">\n")
}

func (x *Writer) num(indent, name string, n int64, nl bool) {
	x.raw(indent + "<" + name + ">" + strconv.FormatInt(n, 10) + "</" + name + ">")
	if nl {
		x.raw("\n")
	}
}

func (x *Writer) cdata(indent, name, s string, nl bool) {
	x.raw(indent + "<" + name + ">")
	x.cdataText(s)
	x.raw("</" + name + ">")
	if nl {
		x.raw("\n")
	}
}

// optional writes a CDATA element only when s is not empty, as WordPress
// does for term names and descriptions.
func (x *Writer) optional(indent, name, s string) {
	if s != "" {
		x.cdata(indent, name, s, true)
	}
}

func (x *Writer) meta(indent, name string, ms []Meta) {
	for _, m := range ms {
		x.raw(indent + "<" + name + ">\n")
		x.cdata(indent+"\t", "wp:meta_key", m.Key, true)
		x.cdata(indent+"\t", "wp:meta_value", m.Value, true)
		x.raw(indent + "</" + name + ">\n")
	}
}

// cdataText writes s as WordPress's wxr_cdata() does: one CDATA section,
// split where s contains "]]>". Unlike WordPress, which would emit a file
// no XML parser accepts, it replaces invalid UTF-8 and characters XML
// forbids (control characters) with U+FFFD. As with any XML, a reader
// sees "\r\n" in s as "\n".
func (x *Writer) cdataText(s string) {
	x.raw("<![CDATA[")
	x.raw(strings.ReplaceAll(sanitize(s), "]]>", "]]]]><![CDATA[>"))
	x.raw("]]>")
}

func sanitize(s string) string {
	for i, r := range s {
		if !xmlChar(r) || (r == utf8.RuneError && isBad(s[i:])) {
			return strings.Map(func(r rune) rune {
				if !xmlChar(r) {
					return utf8.RuneError
				}
				return r
			}, strings.ToValidUTF8(s, "\uFFFD"))
		}
	}
	return s
}

func isBad(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 1
}

// xmlChar reports whether r is allowed in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
