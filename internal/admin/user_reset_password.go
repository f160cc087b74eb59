package admin

import (
	"net/http"

	"marquee/internal/account"
)

// POST /admin/users/{id}/password — gives a user a new generated password,
// shown once, and ends their sessions. This is how accounts imported
// without a password get one.
func (h *Handler) UserResetPassword(w http.ResponseWriter, r *http.Request) {
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
	pw := account.GeneratePassword()
	if err := h.Accounts.SetPassword(r.Context(), id, pw); err != nil {
		h.fail(w, r, err)
		return
	}
	if id == u.ID { // their own sessions ended with the change, this one too
		if err := h.startSession(w, r, u); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p := h.newPage(r, u, "New password", "users")
	p.Data = secretData{
		Heading: "New password for " + target.Email, Intro: "Their sessions have been logged out; they can log in with this password.",
		Label: "Password", Secret: pw,
		Note: "Copy it now and give it to them privately: it is not shown again.",
		Back: "Back to users", BackTo: "/admin/users",
	}
	h.render(w, r, http.StatusOK, "secret", p)
}
