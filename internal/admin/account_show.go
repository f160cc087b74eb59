package admin

import (
	"net/http"

	"marquee/internal/account"
)

type accountData struct {
	Email     string
	Name      string
	Role      string
	MinLength int
	Errors    fieldErrors
}

// GET /admin/account — one's own name and password, for every user.
func (h *Handler) AccountShow(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	h.showAccount(w, r, u, u.Name, http.StatusOK, nil)
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request, u *account.User, name string, status int, errors fieldErrors) {
	p := h.newPage(r, u, "Your account", "account")
	p.Data = accountData{Email: u.Email, Name: name, Role: string(u.Role), MinLength: account.MinPasswordLen, Errors: errors}
	h.render(w, r, status, "account", p)
}
