// Package post owns posts and pages: their rules (slugs, statuses, when a
// post is visible), their tags and their SQL.
package post

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"marquee/internal/errs"
)

// Type tells posts (dated, in feeds) from pages (timeless, e.g. About).
type Type string

const (
	TypePost Type = "post"
	TypePage Type = "page"
)

// Status is where a post is in its life.
type Status string

const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled" // published automatically at PublishedAt
	Published Status = "published"
	Private   Status = "private" // visible to editors and admins only
)

// Format is the language of a body: Markdown for what is written here,
// HTML for what came from WordPress.
type Format string

const (
	Markdown Format = "markdown"
	HTML     Format = "html"
)

// Post is a post or a page.
type Post struct {
	ID             int64
	Type           Type
	Title          string
	Slug           string
	Format         Format
	Body           string // as written
	BodyHTML       string // rendered and sanitised at save time
	Excerpt        string // as written; may be empty
	Summary        string // what listings show: the excerpt, or derived from the body
	AuthorID       int64
	AuthorName     string
	Status         Status
	PublishedAt    time.Time // zero for drafts without a date
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CommentsOpen   bool
	ReadingMinutes int
	Tags           []Tag
	CommentCount   int // approved comments, filled by listings

	// ParentID is the page this page sits under (0: none); MenuOrder sorts
	// siblings. Both come from WordPress's page hierarchy.
	ParentID  int64
	MenuOrder int
	// Sticky posts are kept at the top of the home page (WordPress's
	// "stick to the front page").
	Sticky bool
	// Password, when set, protects the body: readers must enter it to see
	// the post. Listings and feeds never show a protected body or summary.
	Password string
}

// Tag groups posts.
type Tag struct {
	ID    int64  `json:"-"`
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Count int    `json:"-"`
}

// SplitTags reads a comma-separated list as writers type it (the admin's
// tags box, the command line's -tags): names are trimmed and empty ones
// dropped; nil when there are none. Validate checks and slugs the names.
func SplitTags(s string) []Tag {
	var tags []Tag
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, Tag{Name: t})
		}
	}
	return tags
}

// ParseType validates a type name, as written: "post" or "page".
func ParseType(s string) (Type, error) {
	switch t := Type(s); t {
	case TypePost, TypePage:
		return t, nil
	}
	return "", errs.Field("type", "type must be post or page")
}

// ParseStatus validates a status name, as written.
func ParseStatus(s string) (Status, error) {
	switch st := Status(s); st {
	case Draft, Scheduled, Published, Private:
		return st, nil
	}
	return "", errs.Field("status", "status must be published, draft, scheduled or private")
}

// VisibleAt reports whether anonymous readers may see p at time now.
func (p *Post) VisibleAt(now time.Time) bool {
	return (p.Status == Published || p.Status == Scheduled) && !p.PublishedAt.IsZero() && !p.PublishedAt.After(now)
}

// EffectiveStatus is the status readers observe: a scheduled post whose
// time has come is published, even before the background job flips it.
func (p *Post) EffectiveStatus(now time.Time) Status {
	if p.Status == Scheduled && !p.PublishedAt.IsZero() && !p.PublishedAt.After(now) {
		return Published
	}
	return p.Status
}

// Limits on what a post may hold.
const (
	MaxTitle   = 300
	MaxSlug    = 200
	MaxBody    = 1 << 20
	MaxExcerpt = 2000
	MaxTags    = 50
	// MaxPassword is WordPress's limit on a post password.
	MaxPassword = 255
)

// reservedSlugs are the first path segments the site itself uses.
var reservedSlugs = map[string]bool{
	"admin": true, "api": true, "feed": true, "tag": true, "page": true, "search": true,
	"comments": true, "media": true, "static": true, "healthz": true, "privacy": true,
	"sitemap.xml": true, "archive": true, "robots.txt": true, "category": true, "author": true, "login": true,
	"wp-admin": true, "wp-content": true, "wp-login.php": true, "favicon.ico": true, "1.1": true, "1.2": true,
}

// Reserved reports whether slug is a first path segment the site itself
// uses, which no post or page may take.
func Reserved(slug string) bool { return reservedSlugs[slug] }

// Validate normalises p and checks every field. All the problems found
// are joined (errors.Join), each an errs.Field: a form can mark every wrong
// field at once, and errs.Message gives the first.
func (p *Post) Validate() error { return p.validate(MaxTags) }

func (p *Post) validate(maxTags int) error {
	if len(p.Body) > MaxBody { // the request was too large, not mistyped
		return &errs.Error{Kind: errs.TooLarge, Field: "body", Message: "the body is larger than 1 MiB"}
	}
	var problems []error
	bad := func(field, format string, args ...any) {
		problems = append(problems, errs.Field(field, format, args...))
	}
	p.Title = strings.TrimSpace(p.Title)
	if p.Type == "" {
		p.Type = TypePost
	}
	if _, err := ParseType(string(p.Type)); err != nil {
		problems = append(problems, err)
	}
	if p.Format == "" {
		p.Format = Markdown
	}
	if p.Format != Markdown && p.Format != HTML {
		bad("format", "format must be markdown or html")
	}
	if p.Title == "" {
		bad("title", "a title is required")
	} else if utf8.RuneCountInString(p.Title) > MaxTitle {
		bad("title", "the title is longer than %d characters", MaxTitle)
	}
	for _, f := range []struct{ name, v string }{{"title", p.Title}, {"body", p.Body}, {"excerpt", p.Excerpt}, {"slug", p.Slug}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			bad(f.name, "the %s is not valid UTF-8 text (it contains a NUL or invalid bytes)", f.name)
		}
	}
	if utf8.RuneCountInString(p.Excerpt) > MaxExcerpt {
		bad("excerpt", "the excerpt is longer than %d characters", MaxExcerpt)
	}
	if p.Status == "" {
		p.Status = Draft
	} else if _, err := ParseStatus(string(p.Status)); err != nil {
		problems = append(problems, err)
	}
	if p.Status == Published && p.PublishedAt.After(time.Now().Add(time.Minute)) {
		p.Status = Scheduled // a publication date in the future schedules the post
	}
	if p.Status == Scheduled && p.PublishedAt.IsZero() {
		bad("published_at", "a scheduled post needs published_at, the time to publish it")
	}
	if p.Slug != "" {
		if !ValidSlug(p.Slug) {
			bad("slug", "a slug may hold only lower-case letters, digits and hyphens (at most %d characters)", MaxSlug)
		} else if reservedSlugs[p.Slug] {
			bad("slug", "the slug %q is used by the site itself; choose another", p.Slug)
		}
	}
	if len(p.Tags) > maxTags {
		bad("tags", "a post may have at most %d tags", maxTags)
	}
	if utf8.RuneCountInString(p.Password) > MaxPassword || !utf8.ValidString(p.Password) || strings.ContainsRune(p.Password, 0) {
		bad("password", "the password must be text of at most %d characters", MaxPassword)
	}
	if p.ParentID != 0 && p.ParentID == p.ID {
		bad("parent_id", "a page cannot be its own parent")
	}
	if p.ParentID < 0 {
		bad("parent_id", "no such parent page")
	}
	for i, t := range p.Tags {
		t.Name = strings.TrimSpace(t.Name)
		if t.Name == "" || utf8.RuneCountInString(t.Name) > 100 || strings.ContainsRune(t.Name, 0) || !utf8.ValidString(t.Name) {
			bad("tags", "each tag needs 1 to 100 characters")
			break
		}
		t.Slug = Slugify(t.Name)
		if t.Slug == "" {
			bad("tags", "the tag %q has no letters or digits", t.Name)
			break
		}
		p.Tags[i] = t
	}
	return errors.Join(problems...)
}
