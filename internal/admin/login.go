package admin

import (
	"net/http"

	"marquee/internal/errs"
)

// POST /admin/login — checks the e-mail address and password and starts a
// new session. Wrong credentials show the form again, 401, keeping the
// address; the message does not tell which of the two was wrong.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) {
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, msg string) {
		p := h.newPage(r, nil, "Log in", "login")
		p.Error = msg
		p.Data = loginData{Email: email, Next: next}
		h.render(w, r, status, "login", p)
	}
	u, err := h.Accounts.Authenticate(r.Context(), email, pw)
	if errs.Is(err, errs.Unauthorized) {
		h.Log.Info("failed admin login", "email", email)
		again(http.StatusUnauthorized, "Wrong e-mail address or password.")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if u.MustSetPassword {
		again(http.StatusForbidden, "This account has no password yet: ask an administrator to set one, then log in with it.")
		return
	}
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
