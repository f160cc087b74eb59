package admin

import "net/http"

// POST /admin/akismet/{id}/revoke — revokes an Akismet key: calls with it
// are answered "invalid" from then on. Revoking a revoked key changes
// nothing.
func (h *Handler) AkismetRevoke(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.akismetAdmin(w, r); !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Akismet.RevokeID(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/akismet?flash=key-revoked", http.StatusSeeOther)
}
