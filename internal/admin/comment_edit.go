package admin

import "net/http"

// GET /admin/comments/{id} — one comment: its author, e-mail address, URL,
// text and status to change, where it came from (IP address, browser,
// referrer), its times and spam score, and a reply form.
func (h *Handler) CommentEdit(w http.ResponseWriter, r *http.Request) {
	u, ok := h.moderator(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Comments.ByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showCommentForm(w, r, u, c, newCommentForm(c), http.StatusOK, nil)
}
