package web

import (
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/feed"
	"marquee/internal/post"
)

func commentFeedPath(p *post.Post) string { return post.CommentFeedPath(p.Slug) }

// commentEntries turns approved comments into feed entries; titles name the
// commenter and the post, as WordPress's do.
func (h *Handler) commentEntries(r *http.Request, cs []*comment.Comment, base string, post func(id int64) *post.Post) []feed.Entry {
	es := make([]feed.Entry, 0, len(cs))
	for _, c := range cs {
		p := post(c.PostID)
		if p == nil || p.Password != "" {
			continue // the discussion of a protected post is protected too
		}
		// Feed readers differ on whether titles are text or HTML: keep
		// angle brackets out of them altogether.
		author := strings.NewReplacer("<", "", ">", "").Replace(c.Author)
		if author == "" {
			author = "Anonymous"
		}
		link := base + postPath(p) + "#comment-" + strconv.FormatInt(c.ID, 10)
		es = append(es, feed.Entry{Title: "By: " + author + " on “" + p.Title + "”", Link: link, Author: author,
			Published: c.CreatedAt, Updated: c.UpdatedAt, HTML: c.ContentHTML})
	}
	return es
}

// GET /comments/feed/ — RSS of the latest approved comments on the site.
func (h *Handler) CommentFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.Comments.Recent(ctx, 0, FeedSize, h.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	posts := map[int64]*post.Post{}
	lookup := func(id int64) *post.Post {
		if p, ok := posts[id]; ok {
			return p
		}
		p, err := h.Posts.ByID(ctx, id)
		if err != nil {
			p = nil
		}
		posts[id] = p
		return p
	}
	base := h.base(r, st)
	c := feed.Channel{Title: "Comments on " + st.Title, Link: base + "/", Description: st.Tagline, Language: st.Language,
		Self: base + "/comments/feed/"}
	es := h.commentEntries(r, cs, base, lookup)
	if len(es) > 0 {
		c.Updated = es[0].Published
	}
	writeFeed(w, h, r, c, es, false, TagSite, TagComments)
}

// GET /comments/feed/{slug}/ — RSS of one post's approved comments.
func (h *Handler) PostCommentFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.Posts.BySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !p.VisibleAt(h.Now()) {
		h.fail(w, r, errs.E(errs.NotFound, "no such post"))
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.Comments.Recent(ctx, p.ID, FeedSize, h.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.base(r, st)
	c := feed.Channel{Title: "Comments on “" + p.Title + "”", Link: base + postPath(p), Description: st.Tagline,
		Language: st.Language, Self: base + commentFeedPath(p)}
	es := h.commentEntries(r, cs, base, func(int64) *post.Post { return p })
	if len(es) > 0 {
		c.Updated = es[0].Published
	}
	writeFeed(w, h, r, c, es, false, TagSite, TagPost(p.ID))
}
