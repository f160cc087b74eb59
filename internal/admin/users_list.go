package admin

import (
	"net/http"

	"marquee/internal/account"
	"marquee/internal/errs"
)

type userRow struct {
	ID              int64
	Email           string
	Name            string
	Role            string
	MustSetPassword bool
	Created         string
	Self            bool
}

type userForm struct {
	Email  string
	Name   string
	Role   string
	Errors fieldErrors
}

type usersData struct {
	Users []userRow
	Add   *userForm
	Roles []string
}

// GET /admin/users — everyone with an account, a form to add one, and each
// one's role and delete buttons (administrators only).
func (h *Handler) UsersList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	h.showUsers(w, r, u, &userForm{Role: string(account.Author)}, http.StatusOK, nil)
}

// showUsers renders the users page; err, if any, is shown at the top (and
// next to the add form's field it names).
func (h *Handler) showUsers(w http.ResponseWriter, r *http.Request, u *account.User, add *userForm, status int, err error) {
	us, lerr := h.Accounts.List(r.Context())
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	p := h.newPage(r, u, "Users", "users")
	loc := p.Site.Location()
	d := usersData{Add: add, Roles: []string{string(account.Author), string(account.Editor), string(account.Admin)}}
	for _, x := range us {
		d.Users = append(d.Users, userRow{ID: x.ID, Email: x.Email, Name: x.Name, Role: string(x.Role),
			MustSetPassword: x.MustSetPassword, Created: formatTime(x.CreatedAt, loc), Self: x.ID == u.ID})
	}
	if err != nil {
		p.Error = errs.Message(err)
	}
	p.Data = d
	h.render(w, r, status, "users", p)
}
