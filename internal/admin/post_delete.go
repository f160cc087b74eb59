package admin

import "net/http"

// POST /admin/posts/{id}/delete — deletes a post or page with its comments.
func (h *Handler) PostDelete(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	p, ok := h.editablePost(w, r, u)
	if !ok {
		return
	}
	if err := h.Posts.Delete(r.Context(), p.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/posts?flash=deleted", http.StatusSeeOther)
}
