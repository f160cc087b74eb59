package api

import (
	"net/http"

	"marquee/internal/errs"
)

// DELETE /api/v1/comments/{id} — delete a comment for good; its replies
// move up to its parent. Editors and admins only. Answers 204.
func (h *Handler) CommentDelete(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	if err := canModerate(u); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r, "comment")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Comments.Delete(r.Context(), []int64{id})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if n == 0 {
		h.fail(w, r, errs.E(errs.NotFound, "no such comment"))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
