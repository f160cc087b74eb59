package admin

import (
	"net/http"

	"marquee/internal/errs"
	"marquee/internal/middleware"
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
	u, err := h.Accounts.Login(r.Context(), email, pw, middleware.ClientIP(r).String())
	if errs.Is(err, errs.TooMany) {
		h.Log.Warn("admin login throttled", "email", email)
		errs.SetHeaders(w.Header(), err)
		again(http.StatusTooManyRequests, errs.Message(err))
		return
	}
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
