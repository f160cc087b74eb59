package api

import (
	"strconv"
	"time"

	"marquee/internal/post"
)

// postJSON is a post or page as the API shows it, in every answer.
type postJSON struct {
	ID             int64       `json:"id"`
	Type           post.Type   `json:"type"`
	Title          string      `json:"title"`
	Slug           string      `json:"slug"`
	URL            string      `json:"url"`
	Status         post.Status `json:"status"`
	PublishedAt    *string     `json:"published_at"` // RFC 3339, null for drafts without a date
	Tags           []string    `json:"tags"`         // names, never null
	Excerpt        string      `json:"excerpt"`
	Summary        string      `json:"summary"`
	Format         post.Format `json:"format"` // markdown, or html for imported posts
	Body           string      `json:"body"`
	BodyHTML       string      `json:"body_html"`
	Author         *authorJSON `json:"author"` // null once the author's account is gone
	CommentsOpen   bool        `json:"comments_open"`
	CommentCount   int         `json:"comment_count"`
	ReadingMinutes int         `json:"reading_minutes"`
	CreatedAt      string      `json:"created_at"`
	UpdatedAt      string      `json:"updated_at"`
}

// authorJSON is the person credited with a post (and, later, a comment).
type authorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// postsJSON is the answer of a listing.
type postsJSON struct {
	Posts  []postJSON `json:"posts"`
	Total  int        `json:"total"`
	Limit  int        `json:"limit"`
	Offset int        `json:"offset"`
}

// toJSON is the one place a post's JSON shape is made. base is the site's
// absolute address without a trailing slash. The status is the one readers
// observe: a scheduled post whose time has come shows as published.
func toJSON(p *post.Post, base string, now time.Time) postJSON {
	j := postJSON{
		ID:             p.ID,
		Type:           p.Type,
		Title:          p.Title,
		Slug:           p.Slug,
		URL:            base + post.Path(p.Slug),
		Status:         p.EffectiveStatus(now),
		Tags:           make([]string, 0, len(p.Tags)),
		Excerpt:        p.Excerpt,
		Summary:        p.Summary,
		Format:         p.Format,
		Body:           p.Body,
		BodyHTML:       p.BodyHTML,
		CommentsOpen:   p.CommentsOpen,
		CommentCount:   p.CommentCount,
		ReadingMinutes: p.ReadingMinutes,
		CreatedAt:      rfc3339(p.CreatedAt),
		UpdatedAt:      rfc3339(p.UpdatedAt),
	}
	if !p.PublishedAt.IsZero() {
		s := rfc3339(p.PublishedAt)
		j.PublishedAt = &s
	}
	for _, t := range p.Tags {
		j.Tags = append(j.Tags, t.Name)
	}
	if p.AuthorID != 0 {
		j.Author = &authorJSON{ID: p.AuthorID, Name: p.AuthorName}
	}
	return j
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// postLocation is the API address of a post, for Location headers.
func postLocation(base string, id int64) string {
	return base + "/api/v1/posts/" + strconv.FormatInt(id, 10)
}
