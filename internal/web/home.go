package web

import (
	"net/http"
	"strconv"
	"time"

	"marquee/internal/errs"
	"marquee/internal/post"
)

type homeData struct {
	Posts []postView
	Pager pager
}

type archiveData struct {
	Tags   []tagView
	Months []monthView
}

type monthView struct {
	Label string
	URL   string
	Count int
}

// pageNumber reads ?page=N; a malformed or out-of-range value is a 404, not a 500.
func pageNumber(r *http.Request) (int, error) {
	s := r.URL.Query().Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100000 {
		return 0, errs.E(errs.NotFound, "no such page")
	}
	return n, nil
}

// GET / — the latest posts, newest first, paginated with ?page=N.
func (h *Handler) Home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// WordPress's query-string addresses (/?p=123, /?page_id=2, /?attachment_id=4, /?cat=3).
	if q := r.URL.Query(); (q.Has("p") || q.Has("page_id") || q.Has("attachment_id") || q.Has("cat") || q.Has("tag") || q.Has("feed")) && h.redirect(w, r) {
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := pageNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Now()
	posts, total, err := h.Posts.Published(ctx, post.Query{Limit: st.PostsPerPage, Offset: (n - 1) * st.PostsPerPage, Now: now, NoTotal: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n > 1 && len(posts) == 0 {
		h.NotFound(w, r)
		return
	}
	p := h.newPage(r, st, "")
	loc := st.Location()
	d := homeData{Posts: h.viewPosts(posts, p.Base, loc), Pager: newPager(p.Base+"/", n, st.PostsPerPage, total)}
	if n > 1 {
		p.Title = "Page " + strconv.Itoa(n) + " – " + st.Title
		p.Canonical = p.Base + "/?page=" + strconv.Itoa(n)
	} else {
		p.Canonical = p.Base + "/"
	}
	p.JSONLD = map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": st.Title, "url": p.Base + "/", "description": st.Tagline}
	p.Data = d
	p.CacheTags = []string{TagSite, TagPosts, TagCounts}
	h.render(w, r, http.StatusOK, "home", p)
}

// GET /archive/ — every topic and month, with their numbers of posts. Its
// cost grows with the site, so it is kept off the home page.
func (h *Handler) ArchiveIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Now()
	p := h.newPage(r, st, "Archive")
	var d archiveData
	tags, err := h.Posts.Tags(ctx, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, t := range tags {
		d.Tags = append(d.Tags, tagView{Name: t.Name, URL: p.Base + tagPath(t.Slug), Count: t.Count})
	}
	months, err := h.Posts.Months(ctx, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, m := range months {
		t, _ := time.Parse("2006-01", m.YearMonth)
		d.Months = append(d.Months, monthView{Label: t.Format("January 2006"), URL: p.Base + "/" + t.Format("2006/01") + "/", Count: m.Count})
	}
	p.Data = d
	p.CacheTags = []string{TagSite, TagPosts}
	h.render(w, r, http.StatusOK, "archive", p)
}
