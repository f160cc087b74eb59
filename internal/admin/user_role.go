package admin

import (
	"net/http"

	"marquee/internal/account"
	"marquee/internal/errs"
)

// POST /admin/users/{id}/role — changes a user's role. The last
// administrator cannot be demoted; the refusal is shown on the users page.
func (h *Handler) UserRole(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	target, err := h.Accounts.ByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	role, err := account.ParseRole(r.PostFormValue("role"))
	if err == nil {
		err = h.Accounts.Update(r.Context(), id, target.Name, role)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.showUsers(w, r, u, &userForm{Role: string(account.Author)}, formStatus(err), errs.Wrap(errs.KindOf(err), err,
			"The role of %s was not changed: %s", target.Email, errs.Message(err)))
		return
	}
	http.Redirect(w, r, "/admin/users?flash=role", http.StatusSeeOther)
}
