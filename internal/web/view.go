package web

import (
	"html/template"
	"net/url"
	"strconv"
	"time"

	"marquee/internal/post"
)

// postView is a post as templates show it.
type postView struct {
	Type           string
	Title          string
	URL            string
	Excerpt        string
	Body           template.HTML
	Date           string
	ISODate        string
	AuthorName     string
	ReadingMinutes int
	CommentCount   int
	Tags           []tagView
}

type tagView struct {
	Name  string
	URL   string
	Count int
}

func postPath(p *post.Post) string { return post.Path(p.Slug) }

func tagPath(slug string) string { return "/tag/" + url.PathEscape(slug) + "/" }

// formatDate shows a date as readers expect it, in the site's time zone.
func formatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("January 2, 2006")
}

func (h *Handler) viewPost(p *post.Post, base string, loc *time.Location) postView {
	v := postView{Type: string(p.Type), Title: p.Title, URL: base + postPath(p), Excerpt: p.Summary,
		// BodyHTML was sanitised when the post was saved.
		Body:       template.HTML(p.BodyHTML),
		AuthorName: p.AuthorName, ReadingMinutes: p.ReadingMinutes, CommentCount: p.CommentCount}
	if !p.PublishedAt.IsZero() {
		v.Date = formatDate(p.PublishedAt, loc)
		v.ISODate = p.PublishedAt.Format(time.RFC3339)
	}
	for _, t := range p.Tags {
		v.Tags = append(v.Tags, tagView{Name: t.Name, URL: base + tagPath(t.Slug)})
	}
	return v
}

func (h *Handler) viewPosts(ps []*post.Post, base string, loc *time.Location) []postView {
	vs := make([]postView, len(ps))
	for i, p := range ps {
		vs[i] = h.viewPost(p, base, loc)
	}
	return vs
}

// pager links to the neighbouring pages of a listing.
type pager struct {
	Prev, Next  string
	Page, Pages int
}

func newPager(link string, page, perPage, total int) pager {
	pages := (total + perPage - 1) / perPage
	if pages < 1 {
		pages = 1
	}
	pg := pager{Page: page, Pages: pages}
	at := func(n int) string {
		if n == 1 {
			return link
		}
		return link + "?page=" + strconv.Itoa(n)
	}
	if page > 1 {
		pg.Prev = at(page - 1)
	}
	if page < pages {
		pg.Next = at(page + 1)
	}
	return pg
}
