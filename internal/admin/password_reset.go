package admin

import (
	"net/http"

	"marquee/internal/account"
	"marquee/internal/errs"
)

type resetData struct {
	Token     string
	Email     string
	MinLength int
	Errors    fieldErrors
}

// POST /admin/password/reset — sets the new password of the link's
// account (the rules of every password; typed twice), ends every session
// of that account and uses the link up, then goes to the login form. A
// refused password shows the form again (422) and leaves the link working;
// a link that no longer works gets 400, as on the form.
func (h *Handler) PasswordReset(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	ctx := r.Context()
	v := r.PostFormValue
	token := v("token")
	u, err := h.Accounts.ResetUser(ctx, token, h.Now())
	if err != nil {
		h.resetFailed(w, r, err)
		return
	}
	if v("new_password") != v("confirm_password") {
		h.resetPage(w, r, http.StatusUnprocessableEntity, token, u.Email, fieldErrors{"confirm_password": passwordsDiffer})
		return
	}
	if _, err := h.Accounts.ResetPassword(ctx, token, v("new_password"), h.Now()); err != nil {
		if errs.Is(err, errs.Invalid) {
			h.resetPage(w, r, formStatus(err), token, u.Email, fieldErrors{"new_password": errs.Message(err)})
			return
		}
		h.resetFailed(w, r, err)
		return
	}
	h.Log.Info("password reset by e-mail", "user", u.ID)
	clearSession(w, r) // this browser's session, if any, ended with the others
	http.Redirect(w, r, "/admin/login?flash=reset", http.StatusSeeOther)
}

func (h *Handler) resetPage(w http.ResponseWriter, r *http.Request, status int, token, email string, errors fieldErrors) {
	p := h.newPage(r, nil, "Choose a new password", "login")
	p.Data = resetData{Token: token, Email: email, MinLength: account.MinPasswordLen, Errors: errors}
	h.render(w, r, status, "password_reset", p)
}

// resetFailed answers a reset link that does not work with 400 and the
// lost-password form, so that a new link is one step away; other errors
// as usual.
func (h *Handler) resetFailed(w http.ResponseWriter, r *http.Request, err error) {
	if !errs.Is(err, errs.NotFound) {
		h.fail(w, r, err)
		return
	}
	h.forgotPage(w, r, http.StatusBadRequest, forgotData{},
		"This link to choose a new password is no longer valid: a link works for an hour, once, and only the last one sent works. Ask for a new one below.")
}
