package web

import (
	"net/http"
	"time"

	"marquee/internal/errs"
	"marquee/internal/post"
)

type postData struct {
	Post   postView
	Prev   *postView
	Next   *postView
	Notice string
}

// GET /{slug}/ — a post or a page. Drafts, private and future posts are
// shown only to the writers allowed to see them, and are 404 to everyone else.
func (h *Handler) PostShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.Posts.BySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Now()
	notice := ""
	if !p.VisibleAt(now) {
		u := h.viewer(r)
		switch {
		case p.Status == post.Private && u.CanReadPrivate(), u.CanEditPost(p.AuthorID):
			notice = "Only you can see this: it is " + string(p.EffectiveStatus(now)) + "."
		default:
			h.fail(w, r, errs.E(errs.NotFound, "no such post"))
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := h.newPage(r, st, p.Title)
	loc := st.Location()
	d := postData{Post: h.viewPost(p, pg.Base, loc), Notice: notice}
	prev, next, err := h.Posts.Adjacent(ctx, p, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if prev != nil {
		v := h.viewPost(prev, pg.Base, loc)
		d.Prev = &v
	}
	if next != nil {
		v := h.viewPost(next, pg.Base, loc)
		d.Next = &v
	}
	pg.Canonical = d.Post.URL
	pg.Description = p.Excerpt
	if notice != "" {
		pg.Robots = "noindex"
	}
	if p.Type == post.TypePost {
		pg.OGType = "article"
		ld := map[string]any{
			"@context": "https://schema.org", "@type": "BlogPosting",
			"headline": p.Title, "url": d.Post.URL, "mainEntityOfPage": d.Post.URL,
			"description": p.Excerpt, "wordCount": p.ReadingMinutes * 220,
			"dateModified": p.UpdatedAt.Format(time.RFC3339),
			"publisher":    map[string]any{"@type": "Organization", "name": st.Title, "url": pg.Base + "/"},
		}
		if !p.PublishedAt.IsZero() {
			ld["datePublished"] = p.PublishedAt.Format(time.RFC3339)
		}
		if p.AuthorName != "" {
			ld["author"] = map[string]any{"@type": "Person", "name": p.AuthorName}
		}
		if len(p.Tags) > 0 {
			var kw []string
			for _, t := range p.Tags {
				kw = append(kw, t.Name)
			}
			ld["keywords"] = kw
		}
		pg.JSONLD = ld
	}
	pg.Data = d
	h.render(w, r, http.StatusOK, "post", pg)
}

// GET /{slug} — the same post, at its canonical address with a slash.
func (h *Handler) AddSlash(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Posts.BySlug(r.Context(), r.PathValue("slug")); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, r.URL.EscapedPath()+"/", http.StatusMovedPermanently)
}
