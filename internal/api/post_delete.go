package api

import "net/http"

// DELETE /api/v1/posts/{id} — delete a post or page with its comments.
// Authors may delete only their own posts. Answers 204.
func (h *Handler) PostDelete(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	ctx := r.Context()
	p, err := h.editablePost(ctx, r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Posts.Delete(ctx, p.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
