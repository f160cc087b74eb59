// Package wxr reads and writes WordPress eXtended RSS (WXR), the export
// format of WordPress's Tools → Export, so Marquee can import a WordPress
// site and hand one back.
//
// The Reader streams: it returns one record (the channel header, an author,
// a term or a post with its comments) per call and never holds the whole
// document, so a multi-gigabyte export is read in constant memory. It
// accepts WXR 1.0, 1.1 and 1.2 under either http:// or https:// namespace
// URIs. The Writer produces WXR 1.2 laid out as WordPress's own exporter
// (wp-admin/includes/export.php) lays it out, so that WordPress's importer
// accepts it.
//
// Field values are kept as the text of the document (dates included) so
// that a read-write-read round trip is exact; helpers such as
// Post.PublishedGMT interpret them.
package wxr

import (
	"strings"
	"time"
)

// Item is one record of a WXR document: Site, Author, Category, Tag, Term
// or Post. Use a type switch on the value Reader.Next returns.
type Item interface {
	isItem()
}

// Site is the channel header. The Reader returns it once, before any other
// record, because importers need BaseSiteURL and BaseBlogURL to rewrite
// links while they go.
type Site struct {
	Title       string
	Link        string
	Description string
	PubDate     string // RFC 1123Z, as written by the exporter; may be empty
	Language    string
	WXRVersion  string // "1.0", "1.1" or "1.2"; the Writer always writes 1.2
	BaseSiteURL string
	BaseBlogURL string
}

// Author is a <wp:author> (WXR 1.1+). Posts refer to it by Login.
type Author struct {
	ID          int64 // 0 when absent (WordPress.com exports omit it)
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Meta is one key/value pair of post, comment or term metadata. Values
// are raw, often PHP-serialized, strings.
type Meta struct {
	Key   string
	Value string
}

// Category is a <wp:category>. Parent is the parent's Nicename, not its
// ID, because term IDs change between sites.
type Category struct {
	TermID      int64
	Nicename    string
	Parent      string
	Name        string
	Description string
	Meta        []Meta
}

// Tag is a <wp:tag> (taxonomy post_tag).
type Tag struct {
	TermID      int64
	Slug        string
	Name        string
	Description string
	Meta        []Meta
}

// Term is a <wp:term> of any other taxonomy (nav_menu, post_format,
// custom ones). Parent is the parent's Slug.
type Term struct {
	TermID      int64
	Taxonomy    string
	Slug        string
	Parent      string
	Name        string
	Description string
	Meta        []Meta
}

// PostCategory is an item's <category domain="…" nicename="…">Name</category>:
// a link from the post to a term of any taxonomy, by slug.
type PostCategory struct {
	// Domain is the taxonomy: "category", "post_tag", "nav_menu", …
	// WXR 1.0's "tag" is reported as "post_tag", as WordPress's importer
	// does. WXR 1.0 also repeats each category without domain or nicename;
	// WordPress's importer ignores those entries, and so should callers.
	Domain   string
	Nicename string
	Name     string
}

// Post is an <item>: any post type (post, page, attachment,
// nav_menu_item, …) with its terms, metadata and comments.
type Post struct {
	Title           string
	Link            string
	PubDate         string // RFC 1123Z
	Creator         string // dc:creator, an Author's Login
	GUID            string
	GUIDIsPermaLink bool // the guid's isPermaLink attribute (RSS default true)
	Description     string
	Content         string // content:encoded
	Excerpt         string // excerpt:encoded

	ID              int64
	PostDate        string // "2006-01-02 15:04:05" in the site's time zone
	PostDateGMT     string // same layout in UTC; "0000-00-00 00:00:00" for drafts
	PostModified    string
	PostModifiedGMT string
	CommentStatus   string // "open", "closed"
	PingStatus      string
	Name            string // post_name, the slug
	Status          string // "publish", "draft", "future", "pending", "private", "inherit", "trash"
	Parent          int64
	MenuOrder       int
	Type            string // post_type
	Password        string
	Sticky          bool
	AttachmentURL   string

	Categories []PostCategory
	Meta       []Meta
	Comments   []Comment
}

// Comment is a <wp:comment> of a Post.
type Comment struct {
	ID          int64
	Author      string
	AuthorEmail string
	AuthorURL   string
	AuthorIP    string
	Date        string // "2006-01-02 15:04:05" in the site's time zone
	DateGMT     string
	Content     string
	Approved    string // "1", "0", "spam", "trash" or "post-trashed"
	Type        string // "" or "comment", "pingback", "trackback", or a plugin's type
	Parent      int64  // ID of the comment this one replies to, or 0
	UserID      int64
	Meta        []Meta
}

func (Site) isItem()     {}
func (Author) isItem()   {}
func (Category) isItem() {}
func (Tag) isItem()      {}
func (Term) isItem()     {}
func (Post) isItem()     {}

// DateLayout is the layout of WordPress's post_date and comment_date fields.
const DateLayout = "2006-01-02 15:04:05"

// PublishedGMT returns when p was (or will be) published, in UTC. It uses
// post_date_gmt; when that is unset ("0000-00-00 00:00:00", as for drafts)
// it falls back to post_date read in loc (the site's time zone; nil means
// UTC), then to pubDate. ok is false when none of them is usable.
func (p Post) PublishedGMT(loc *time.Location) (t time.Time, ok bool) {
	if t, ok := parseDate(p.PostDateGMT, time.UTC); ok {
		return t, true
	}
	if t, ok := parseDate(p.PostDate, loc); ok {
		return t, true
	}
	return p.pubDate()
}

// pubDate reads the item's RSS date. WordPress derives it from
// post_date_gmt, so for an unset one it says 1970 (or the year -1, which
// does not parse): such a date is no date.
func (p Post) pubDate() (time.Time, bool) {
	s := strings.TrimSpace(p.PubDate)
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() <= 1970 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Offset returns the UTC offset of the site's time zone at p's date, as
// post_date minus post_date_gmt, when both are set.
func (p Post) Offset() (time.Duration, bool) {
	return offset(p.PostDate, p.PostDateGMT)
}

// Offset returns the UTC offset of the site's time zone at c's date, as
// comment_date minus comment_date_gmt, when both are set.
func (c Comment) Offset() (time.Duration, bool) {
	return offset(c.Date, c.DateGMT)
}

func offset(local, gmt string) (time.Duration, bool) {
	l, ok1 := parseDate(local, time.UTC)
	g, ok2 := parseDate(gmt, time.UTC)
	if !ok1 || !ok2 {
		return 0, false
	}
	d := l.Sub(g)
	// Time zones lie within UTC-12 and UTC+14; anything else is a wrong
	// date, not an offset.
	if d < -12*time.Hour || d > 14*time.Hour || d%(15*time.Minute) != 0 {
		return 0, false
	}
	return d, true
}

// ModifiedGMT returns when p was last modified, in UTC, from
// post_modified_gmt or else post_modified read in loc (nil means UTC).
func (p Post) ModifiedGMT(loc *time.Location) (time.Time, bool) {
	if t, ok := parseDate(p.PostModifiedGMT, time.UTC); ok {
		return t, true
	}
	return parseDate(p.PostModified, loc)
}

// PostedGMT returns when c was posted, in UTC, from comment_date_gmt or
// else comment_date read in loc (nil means UTC).
func (c Comment) PostedGMT(loc *time.Location) (time.Time, bool) {
	if t, ok := parseDate(c.DateGMT, time.UTC); ok {
		return t, true
	}
	return parseDate(c.Date, loc)
}

// parseDate reads a DateLayout value in loc and returns it in UTC. The
// zero date WordPress writes for "unset" is reported as not ok.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(DateLayout, s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
