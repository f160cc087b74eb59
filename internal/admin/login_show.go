package admin

import "net/http"

type loginData struct {
	Email string
	Next  string
}

// GET /admin/login — the login form. A visitor already logged in goes on
// to where they were heading.
func (h *Handler) LoginShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := h.currentUser(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := h.newPage(r, nil, "Log in", "login")
	p.Data = loginData{Next: next}
	h.render(w, r, http.StatusOK, "login", p)
}
