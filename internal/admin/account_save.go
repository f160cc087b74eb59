package admin

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"marquee/internal/errs"
)

// POST /admin/account — changes one's own display name.
func (h *Handler) AccountSave(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	var err error
	if utf8.RuneCountInString(name) > 100 {
		err = errs.Field("name", "the name is longer than 100 characters")
	} else {
		err = h.Accounts.Update(r.Context(), u.ID, name, u.Role)
	}
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.showAccount(w, r, u, name, formStatus(err), fieldErrors{field: errs.Message(err)})
		return
	}
	http.Redirect(w, r, "/admin/account?flash=profile", http.StatusSeeOther)
}
