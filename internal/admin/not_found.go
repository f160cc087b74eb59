package admin

import (
	"net/http"

	"marquee/internal/errs"
)

// /admin/… — any other address under the admin: 404 for those logged in,
// the login form for the others.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.user(w, r); !ok {
		return
	}
	h.fail(w, r, errs.E(errs.NotFound, "There is no admin page at this address."))
}

// GET /admin — the dashboard's address has a slash.
func (h *Handler) AddSlash(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
}
