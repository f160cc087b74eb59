package admin

import "net/http"

// POST /admin/tokens/{id}/revoke — deletes a token; programs using it are
// refused from then on.
func (h *Handler) TokenRevoke(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.admin(w, r); !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Accounts.RevokeToken(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/tokens?flash=revoked", http.StatusSeeOther)
}
