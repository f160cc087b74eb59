package admin

import (
	"net/http"
	"strings"

	"marquee/internal/post"
)

const postsPerPage = 20

type postsData struct {
	Rows   []postRow
	Type   string
	Status string
	Q      string
	Pager  pager
	Types  []string
	States []string
}

// GET /admin/posts — posts and pages, most recently changed first, filtered
// by ?type=, ?status= and ?q= (in the title). Authors see their own only.
func (h *Handler) PostsList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	d := postsData{Type: q.Get("type"), Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")),
		Types: []string{"post", "page"}, States: []string{"draft", "scheduled", "published", "private"}}
	if d.Type != string(post.TypePost) && d.Type != string(post.TypePage) {
		d.Type = ""
	}
	switch post.Status(d.Status) {
	case post.Draft, post.Scheduled, post.Published, post.Private:
	default:
		d.Status = ""
	}
	if len(d.Q) > 200 {
		d.Q = d.Q[:200]
	}
	page := pageParam(r)
	f := post.Filter{Type: post.Type(d.Type), Status: post.Status(d.Status), Search: d.Q,
		Limit: postsPerPage, Offset: (page - 1) * postsPerPage}
	if !ownAll(u) {
		f.AuthorID = u.ID
	}
	ps, total, err := h.Posts.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	title := "Posts and pages"
	switch d.Type {
	case "post":
		title = "Posts"
	case "page":
		title = "Pages"
	}
	p := h.newPage(r, u, title, "posts")
	d.Rows = postRows(ps, u, p.Site.Location())
	d.Pager = newPager("/admin/posts", q, page, postsPerPage, total)
	p.Data = d
	h.render(w, r, http.StatusOK, "posts", p)
}
