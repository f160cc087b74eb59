package api

import (
	"context"
	"strings"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// postInput is the body of POST and PATCH /api/v1/posts: every field is
// optional, and an absent one (or null, except for published_at) leaves the
// post as it is, or takes the default on creation.
type postInput struct {
	Title        *string   `json:"title"`
	Body         *string   `json:"body"` // Markdown
	Slug         *string   `json:"slug"` // "" derives one from the title
	Type         *string   `json:"type"`
	Status       *string   `json:"status"`
	PublishedAt  timeField `json:"published_at"` // RFC 3339; null clears
	Tags         *[]string `json:"tags"`         // names; [] clears
	Excerpt      *string   `json:"excerpt"`
	CommentsOpen *bool     `json:"comments_open"`
	AuthorID     *int64    `json:"author_id"` // editors and admins only, for someone else
}

// check rejects what no store should be handed: NUL characters, which
// PostgreSQL refuses in text (a 500 otherwise), and dates outside years
// 1–9999.
func (in *postInput) check() error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"title", in.Title}, {"body", in.Body}, {"slug", in.Slug}, {"type", in.Type}, {"status", in.Status}, {"excerpt", in.Excerpt}} {
		if f.v != nil && strings.ContainsRune(*f.v, 0) {
			return errs.Field(f.name, "%s must not contain NUL characters (\\u0000)", f.name)
		}
	}
	if in.Tags != nil {
		for _, t := range *in.Tags {
			if strings.ContainsRune(t, 0) {
				return errs.Field("tags", "tags must not contain NUL characters (\\u0000)")
			}
		}
	}
	if y := in.PublishedAt.Time.UTC().Year(); in.PublishedAt.Set && !in.PublishedAt.Time.IsZero() && (y < 1 || y > 9999) {
		return errs.Field("published_at", "published_at must fall between the years 1 and 9999")
	}
	return nil
}

// empty reports whether in changes nothing.
func (in *postInput) empty() bool {
	return in.Title == nil && in.Body == nil && in.Slug == nil && in.Type == nil && in.Status == nil &&
		!in.PublishedAt.Set && in.Tags == nil && in.Excerpt == nil && in.CommentsOpen == nil && in.AuthorID == nil
}

// apply copies the fields present in in onto p; post.Validate, run by the
// store, judges the result.
func (in *postInput) apply(p *post.Post) {
	if in.Title != nil {
		p.Title = *in.Title
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	if in.Slug != nil {
		p.Slug = *in.Slug
	}
	if in.Type != nil {
		p.Type = post.Type(*in.Type)
	}
	if in.Status != nil {
		p.Status = post.Status(*in.Status)
	}
	if in.PublishedAt.Set {
		p.PublishedAt = in.PublishedAt.Time
	}
	if in.Tags != nil {
		p.Tags = make([]post.Tag, 0, len(*in.Tags))
		for _, name := range *in.Tags {
			p.Tags = append(p.Tags, post.Tag{Name: name})
		}
	}
	if in.Excerpt != nil {
		p.Excerpt = *in.Excerpt
	}
	if in.CommentsOpen != nil {
		p.CommentsOpen = *in.CommentsOpen
	}
	if in.AuthorID != nil {
		p.AuthorID = *in.AuthorID
	}
}

// checkAuthor verifies that u may credit a post to the author in.AuthorID,
// and that this user exists.
func (h *Handler) checkAuthor(ctx context.Context, u *account.User, in *postInput) error {
	if in.AuthorID == nil || *in.AuthorID == u.ID {
		return nil
	}
	if *in.AuthorID <= 0 {
		return errs.Field("author_id", "author_id must be the id of a user")
	}
	if !u.CanEditPost(*in.AuthorID) {
		return &errs.Error{Kind: errs.Forbidden, Field: "author_id", Message: "authors may publish only as themselves"}
	}
	if _, err := h.Accounts.ByID(ctx, *in.AuthorID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.Field("author_id", "there is no user with id %d", *in.AuthorID)
		}
		return err
	}
	return nil
}
