package web

import (
	"bytes"
	"html"
	"net/http"

	"marquee/internal/feed"
	"marquee/internal/post"
	"marquee/internal/site"
)

// FeedSize is how many posts the feeds carry.
const FeedSize = 20

func (h *Handler) entries(posts []*post.Post, base string) []feed.Entry {
	es := make([]feed.Entry, 0, len(posts))
	for _, p := range posts {
		link := base + postPath(p)
		e := feed.Entry{Title: p.Title, Link: link, Author: p.AuthorName, Published: p.PublishedAt,
			Updated: p.UpdatedAt, Summary: p.Summary, HTML: p.BodyHTML, Comments: link + "#comments"}
		if p.Password != "" {
			e.HTML = "<p>" + html.EscapeString(post.ProtectedSummary) + "</p>"
		}
		for _, t := range p.Tags {
			e.Categories = append(e.Categories, t.Name)
		}
		es = append(es, e)
	}
	return es
}

// postFeed writes the latest posts matching q as RSS or Atom.
func (h *Handler) postFeed(w http.ResponseWriter, r *http.Request, q post.Query, atom bool, title, path string) {
	ctx := r.Context()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.Limit, q.Full, q.Now, q.NoTotal = FeedSize, true, h.Now(), true
	posts, _, err := h.Posts.Published(ctx, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.base(r, st)
	c := feed.Channel{Title: title, Link: base + "/", Description: st.Tagline, Language: st.Language, Self: base + path}
	if len(posts) > 0 {
		c.Updated = posts[0].PublishedAt
	}
	writeFeed(w, h, r, c, h.entries(posts, base), atom, TagSite, TagPosts)
}

func writeFeed(w http.ResponseWriter, h *Handler, r *http.Request, c feed.Channel, es []feed.Entry, atom bool, tags ...string) {
	var buf bytes.Buffer
	var err error
	ctype := "application/rss+xml; charset=utf-8"
	if atom {
		ctype = "application/atom+xml; charset=utf-8"
		err = feed.WriteAtom(&buf, c, es)
	} else {
		err = feed.WriteRSS(&buf, c, es)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.emit(w, r, http.StatusOK, ctype, buf.Bytes(), tags)
}

// GET /feed/ — RSS 2.0 of the latest posts, full content.
func (h *Handler) FeedRSS(w http.ResponseWriter, r *http.Request) {
	h.postFeed(w, r, post.Query{}, false, h.siteTitle(r), "/feed/")
}

// GET /feed/atom/ — Atom 1.0 of the latest posts, full content.
func (h *Handler) FeedAtom(w http.ResponseWriter, r *http.Request) {
	h.postFeed(w, r, post.Query{}, true, h.siteTitle(r), "/feed/atom/")
}

// GET /tag/{tag}/feed/ — RSS of one tag's posts.
func (h *Handler) TagFeed(w http.ResponseWriter, r *http.Request) {
	t, err := h.Posts.TagBySlug(r.Context(), r.PathValue("tag"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.postFeed(w, r, post.Query{Tag: t.Slug}, false, h.siteTitle(r)+" – "+t.Name, tagPath(t.Slug)+"feed/")
}

func (h *Handler) siteTitle(r *http.Request) string {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		return site.Defaults().Title
	}
	return st.Title
}

// GET /sitemap.xml — every visible post and page.
func (h *Handler) SitemapShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	es, err := h.Posts.Sitemap(ctx, h.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.base(r, st)
	urls := []feed.URL{{Loc: base + "/"}}
	for _, e := range es {
		urls = append(urls, feed.URL{Loc: base + postPath(&post.Post{Slug: e.Slug}), LastMod: e.UpdatedAt})
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemap(&buf, urls); err != nil {
		h.fail(w, r, err)
		return
	}
	h.emit(w, r, http.StatusOK, "application/xml; charset=utf-8", buf.Bytes(), []string{TagSite, TagPosts})
}

// GET /robots.txt — everything but the admin and the API may be indexed.
func (h *Handler) RobotsShow(w http.ResponseWriter, r *http.Request) {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		st = site.Defaults()
	}
	h.emit(w, r, http.StatusOK, "text/plain; charset=utf-8",
		[]byte("User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /search\n\nSitemap: "+h.base(r, st)+"/sitemap.xml\n"), []string{TagSite})
}

// GET /static/{file} — the theme's assets, cached for a year when the
// request carries the current version.
func (h *Handler) StaticShow(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") == h.assetVersion {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	h.static.ServeHTTP(w, r)
}

// GET /favicon.ico — browsers ask for it whatever the page says: the SVG icon.
func (h *Handler) FaviconShow(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/favicon.svg")
	if err != nil {
		h.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
}
