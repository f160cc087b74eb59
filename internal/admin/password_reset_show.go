package admin

import "net/http"

// GET /admin/password/reset — the page behind a mailed link (?token=…): a
// form for the new password, twice. Showing it uses nothing up, so mail
// scanners that follow links do no harm. A link that does not work
// (unknown, used, replaced by a newer one or expired) gets 400 and the
// lost-password form, to ask for a new one.
func (h *Handler) PasswordResetShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer") // the address holds the secret
	token := r.URL.Query().Get("token")
	u, err := h.Accounts.ResetUser(r.Context(), token, h.Now())
	if err != nil {
		h.resetFailed(w, r, err)
		return
	}
	h.resetPage(w, r, http.StatusOK, token, u.Email, nil)
}
