package admin

import "net/http"

// GET /admin/password/forgot — the form where a writer who lost their
// password gives their e-mail address to be sent a link. Where the site
// cannot send mail (no SMTP server, or its address not configured), 404
// with a page saying to ask an administrator.
func (h *Handler) PasswordForgotShow(w http.ResponseWriter, r *http.Request) {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if _, ok := h.resetBase(st); !ok {
		status = http.StatusNotFound
	}
	h.forgotPage(w, r, status, forgotData{}, "")
}
