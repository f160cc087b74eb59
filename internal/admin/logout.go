package admin

import (
	"net/http"

	"marquee/internal/account"
)

// POST /admin/logout — ends the session, here and in the database.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(account.SessionCookie); err == nil && c.Value != "" {
		if err := h.Accounts.DeleteSession(r.Context(), c.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	clearSession(w, r)
	http.Redirect(w, r, "/admin/login?flash=logged-out", http.StatusSeeOther)
}
