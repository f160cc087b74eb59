package admin

import (
	"net/http"

	"marquee/internal/post"
)

// GET /admin/posts/new — an empty editor; ?type=page for a page.
func (h *Handler) PostNew(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	typ := post.TypePost
	if r.URL.Query().Get("type") == string(post.TypePage) {
		typ = post.TypePage
	}
	f := newPostForm(&post.Post{Type: typ, Status: post.Draft, Format: post.Markdown, CommentsOpen: typ == post.TypePost}, nil)
	h.showPostForm(w, r, u, f, http.StatusOK, nil)
}
