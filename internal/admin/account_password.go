package admin

import (
	"net/http"

	"marquee/internal/errs"
)

// passwordsDiffer answers a new password and its confirmation that are not
// the same, on the account page and the reset link's page.
const passwordsDiffer = "the two new passwords differ"

// POST /admin/account/password — changes one's own password. The current
// one is required; the change ends every session of the user, everywhere,
// and this browser is logged in again with a fresh one.
func (h *Handler) AccountPassword(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	again := func(err error) {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.showAccount(w, r, u, u.Name, formStatus(err), fieldErrors{field: errs.Message(err)})
	}
	if _, err := h.Accounts.Authenticate(r.Context(), u.Email, v("current_password")); err != nil {
		if errs.Is(err, errs.Unauthorized) {
			err = errs.Field("current_password", "your current password is not right")
		}
		again(err)
		return
	}
	if v("new_password") != v("confirm_password") {
		again(errs.Field("confirm_password", passwordsDiffer))
		return
	}
	if err := h.Accounts.SetPassword(r.Context(), u.ID, v("new_password")); err != nil {
		if errs.Is(err, errs.Invalid) {
			err = &errs.Error{Kind: errs.Invalid, Field: "new_password", Message: errs.Message(err)}
		}
		again(err)
		return
	}
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/account?flash=password", http.StatusSeeOther)
}
