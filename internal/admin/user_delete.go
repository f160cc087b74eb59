package admin

import (
	"net/http"

	"marquee/internal/account"
)

// POST /admin/users/{id}/delete — deletes a user; the store refuses to
// delete the last administrator, and the users page says so.
func (h *Handler) UserDelete(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Accounts.Delete(r.Context(), id); err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.showUsers(w, r, u, &userForm{Role: string(account.Author)}, formStatus(err), err)
		return
	}
	if id == u.ID {
		clearSession(w, r)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/users?flash=user-deleted", http.StatusSeeOther)
}
