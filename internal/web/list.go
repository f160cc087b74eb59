package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/errs"
	"marquee/internal/post"
)

type listData struct {
	Kind    string
	Heading string
	Note    string
	Empty   string
	Posts   []postView
	Pager   pager
	NoQuery bool // render the page without asking the store (an empty search)
}

// list renders a paginated listing of posts selected by q.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, q post.Query, d listData, link string, notFoundWhenEmpty bool) {
	ctx := r.Context()
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
	q.Limit, q.Offset, q.Now, q.NoTotal = st.PostsPerPage, (n-1)*st.PostsPerPage, h.Now(), true
	var posts []*post.Post
	total := 0
	if !d.NoQuery {
		posts, total, err = h.Posts.Published(ctx, q)
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(posts) == 0 && (n > 1 || notFoundWhenEmpty) {
		h.NotFound(w, r)
		return
	}
	title := d.Heading
	if n > 1 {
		title += " – page " + strconv.Itoa(n)
	}
	p := h.newPage(r, st, title)
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	p.Canonical = p.Base + link
	if n > 1 {
		p.Canonical += sep + "page=" + strconv.Itoa(n)
	}
	d.Posts = h.viewPosts(posts, p.Base, st.Location())
	d.Pager = newPagerSep(p.Base+link, sep, n, st.PostsPerPage, total)
	p.Query = q.Search
	if q.Search != "" {
		p.Robots = "noindex" // searches are not cached: their addresses are endless
	} else {
		p.CacheTags = []string{TagSite, TagPosts, TagCounts}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "list", p)
}

func newPagerSep(link, sep string, page, perPage, total int) pager {
	pg := newPager(link, page, perPage, total)
	if sep == "&" {
		pg.Prev = strings.Replace(pg.Prev, "?page=", "&page=", 1)
		pg.Next = strings.Replace(pg.Next, "?page=", "&page=", 1)
	}
	return pg
}

// GET /tag/{tag}/ — the posts of one tag.
func (h *Handler) TagShow(w http.ResponseWriter, r *http.Request) {
	t, err := h.Posts.TagBySlug(r.Context(), r.PathValue("tag"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.list(w, r, post.Query{Tag: t.Slug}, listData{Kind: "Topic", Heading: t.Name, Empty: "No posts with this tag yet."},
		tagPath(t.Slug), true)
}

// GET /{year}/{month}/ — the posts of one month.
func (h *Handler) ArchiveShow(w http.ResponseWriter, r *http.Request) {
	y, m := r.PathValue("year"), r.PathValue("month")
	t, err := time.Parse("2006/01", y+"/"+m)
	if err != nil || len(y) != 4 || len(m) != 2 {
		h.NotFound(w, r)
		return
	}
	h.list(w, r, post.Query{YearMonth: t.Format("2006-01")}, listData{Kind: "Archive", Heading: t.Format("January 2006")},
		"/"+y+"/"+m+"/", true)
}

// GET /search?q= — full-text search over published posts.
func (h *Handler) SearchShow(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		h.fail(w, r, errs.Field("q", "The search is longer than 200 characters."))
		return
	}
	d := listData{Kind: "Search", Heading: "Search", Note: "Type a few words in the search box above.", Empty: ""}
	if q != "" {
		d.Heading = "Results for “" + q + "”"
		d.Note = ""
		d.Empty = "Nothing matched your search. Try fewer or different words."
	}
	link := "/search"
	if q != "" {
		link += "?q=" + url.QueryEscape(q)
	}
	d.NoQuery = q == ""
	h.list(w, r, post.Query{Search: q}, d, link, false)
}
