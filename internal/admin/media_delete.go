package admin

import (
	"net/http"

	"marquee/internal/errs"
)

// POST /admin/media/{id}/delete — deletes an image: editors and admins any,
// authors those they uploaded. Posts showing it will show a broken image.
func (h *Handler) MediaDelete(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.Media.ByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ownAll(u) && m.UploaderID != u.ID {
		h.fail(w, r, errs.E(errs.Forbidden, "You may delete only the images you uploaded."))
		return
	}
	if err := h.Media.Delete(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/media?flash=deleted", http.StatusSeeOther)
}
