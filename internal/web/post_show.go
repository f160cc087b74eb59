package web

import (
	"net/http"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

type postData struct {
	Post     postView
	Prev     *postView
	Next     *postView
	Notice   string
	Comments *commentsData
	// Locked: the post is password protected and this reader has not
	// entered the password; the body and the discussion are withheld.
	Locked      bool
	UnlockError string
	PostID      int64
}

// showOpts are what a POST handler re-showing the page brings along.
type showOpts struct {
	Form        *formData // a reply form coming back with an error
	UnlockError string    // a wrong post password
}

// GET /{slug}/ — a post or a page with its discussion. Drafts, private and
// future posts are shown only to the writers allowed to see them, and are
// 404 to everyone else.
func (h *Handler) PostShow(w http.ResponseWriter, r *http.Request) {
	p, viewer, err := h.readable(r, r.PathValue("slug"), 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showPost(w, r, p, viewer, showOpts{}, http.StatusOK)
}

// readable finds a post by slug (or id) and checks that this request may see it.
func (h *Handler) readable(r *http.Request, slug string, id int64) (*post.Post, *account.User, error) {
	var p *post.Post
	var err error
	if slug != "" {
		p, err = h.Posts.BySlug(r.Context(), slug)
	} else {
		p, err = h.Posts.ByID(r.Context(), id)
	}
	if err != nil {
		return nil, nil, err
	}
	viewer, err := h.mayRead(r, p)
	return p, viewer, err
}

// mayRead checks that this request may see p, and returns who makes it.
func (h *Handler) mayRead(r *http.Request, p *post.Post) (*account.User, error) {
	viewer := h.viewer(r)
	if p.VisibleAt(h.Now()) {
		return viewer, nil
	}
	if (p.Status == post.Private && viewer.CanReadPrivate()) || viewer.CanEditPost(p.AuthorID) {
		return viewer, nil
	}
	return nil, errs.E(errs.NotFound, "no such post")
}

// showPost renders p; opts bring back what a reader typed after an error.
func (h *Handler) showPost(w http.ResponseWriter, r *http.Request, p *post.Post, viewer *account.User, opts showOpts, status int) {
	form := opts.Form
	ctx := r.Context()
	now := h.Now()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pg := h.newPage(r, st, p.Title)
	loc := st.Location()
	d := postData{Post: h.viewPost(p, pg.Base, loc), PostID: p.ID, UnlockError: opts.UnlockError}
	if h.locked(r, p, viewer) {
		d.Locked, d.Post.Body = true, ""
	}
	if !p.VisibleAt(now) {
		d.Notice = "Only you can see this: it is " + string(p.EffectiveStatus(now)) + "."
		pg.Robots = "noindex"
		w.Header().Set("Cache-Control", "private, no-store")
	}
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
	if form == nil {
		f := h.newForm(r, p, st, pg.Base, viewer)
		form = &f
	}
	if form.Parent != 0 {
		form.ReplyTo = "a comment"
	}
	var cpage int
	if !d.Locked {
		d.Comments, cpage, err = h.discussion(r, p, st, pg.Base, viewer, form)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if d.Comments == nil {
			h.NotFound(w, r) // a comment page that does not exist
			return
		}
		for _, c := range d.Comments.Roots {
			if name := findAuthor(c, form.Parent); name != "" {
				d.Comments.Form.ReplyTo = name
			}
		}
	}
	pg.Canonical = d.Post.URL + pageQuery(cpage)
	pg.Description = p.Summary
	pg.Alternates = append(pg.Alternates, alternate{Type: "application/rss+xml", Title: "Comments on “" + p.Title + "”",
		Href: pg.Base + commentFeedPath(p)})
	if p.Type == post.TypePost {
		pg.OGType = "article"
		pg.JSONLD = blogPosting(p, d.Post.URL, st.Title, pg.Base)
	}
	pg.Data = d
	if p.VisibleAt(now) && (p.Password == "" || d.Locked) {
		pg.CacheTags = []string{TagSite, TagPosts, TagPost(p.ID)}
	}
	h.render(w, r, status, "post", pg)
}

// findAuthor returns the name of comment id in the subtree of c.
func findAuthor(c *commentView, id int64) string {
	if id == 0 {
		return ""
	}
	if c.ID == id {
		return c.Author
	}
	for _, k := range c.Children {
		if n := findAuthor(k, id); n != "" {
			return n
		}
	}
	return ""
}

// blogPosting is the schema.org description of a post for search engines.
func blogPosting(p *post.Post, url, siteTitle, base string) map[string]any {
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "BlogPosting",
		"headline": p.Title, "url": url, "mainEntityOfPage": url,
		"description": p.Summary, "wordCount": p.ReadingMinutes * 220,
		"dateModified": p.UpdatedAt.Format(time.RFC3339), "commentCount": p.CommentCount,
		"publisher": map[string]any{"@type": "Organization", "name": siteTitle, "url": base + "/"},
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
	return ld
}

// GET /{slug} — the same post, at its canonical address with a slash.
func (h *Handler) AddSlash(w http.ResponseWriter, r *http.Request) {
	if _, _, err := h.readable(r, r.PathValue("slug"), 0); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, r.URL.EscapedPath()+"/", http.StatusMovedPermanently)
}
