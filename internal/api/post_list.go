package api

import (
	"net/http"
	"strings"

	"marquee/internal/errs"
	"marquee/internal/post"
)

// GET /api/v1/posts — posts and pages, most recently changed first, with
// the query parameters type (post|page, default both), status
// (published|draft|scheduled|private|all, default all), search (in titles),
// limit (1–100, default 20) and offset. Authors see only their own.
func (h *Handler) PostList(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	f, err := listFilter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !u.CanModerate() {
		f.AuthorID = u.ID
	}
	posts, total, err := h.Posts.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base, err := h.base(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Now()
	out := postsJSON{Posts: make([]postJSON, 0, len(posts)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for _, p := range posts {
		out.Posts = append(out.Posts, toJSON(p, base, now))
	}
	h.reply(w, r, http.StatusOK, out)
}

// listFilter reads and checks the listing's query parameters.
func listFilter(r *http.Request) (post.Filter, error) {
	q := r.URL.Query()
	var f post.Filter
	switch t := post.Type(q.Get("type")); t {
	case "", post.TypePost, post.TypePage:
		f.Type = t
	default:
		return f, errs.Field("type", "type must be post or page, not %q", t)
	}
	switch s := post.Status(q.Get("status")); s {
	case "", "all":
	case post.Published, post.Draft, post.Scheduled, post.Private:
		f.Status = s
	default:
		return f, errs.Field("status", "status must be published, draft, scheduled, private or all, not %q", s)
	}
	if f.Search = q.Get("search"); strings.ContainsRune(f.Search, 0) {
		return f, errs.Field("search", "search must not contain NUL characters")
	}
	var err error
	if f.Limit, err = queryInt(r, "limit", 20, 1, 100); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(r, "offset", 0, 0, 0); err != nil {
		return f, err
	}
	return f, nil
}
