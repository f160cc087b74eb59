package admin

import (
	"net/http"
	"strings"

	"marquee/internal/account"
	"marquee/internal/errs"
)

type secretData struct {
	Heading string
	Intro   string
	Label   string
	Secret  string
	Note    string
	Back    string
	BackTo  string
}

// POST /admin/users — adds a user. With the password left empty one is
// generated and shown once.
func (h *Handler) UserCreate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	f := &userForm{Email: strings.TrimSpace(v("email")), Name: v("name"), Role: v("role")}
	pw := v("password")
	generated := pw == ""
	if generated {
		pw = account.GeneratePassword()
	}
	_, err := h.Accounts.Create(r.Context(), f.Email, f.Name, account.Role(f.Role), pw) // it checks the role too
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		f.Errors = errs.Fields(err)
		if field == "" && errs.Is(err, errs.Conflict) {
			f.Errors = fieldErrors{"email": errs.Message(err)}
		}
		h.showUsers(w, r, u, f, formStatus(err), err)
		return
	}
	if !generated {
		http.Redirect(w, r, "/admin/users?flash=user-added", http.StatusSeeOther)
		return
	}
	p := h.newPage(r, u, "User added", "users")
	p.Data = secretData{
		Heading: "User added", Intro: f.Email + " can now log in with this password.",
		Label: "Password", Secret: pw,
		Note: "Copy it now and give it to them privately: it is not shown again. They can change it on their account page.",
		Back: "Back to users", BackTo: "/admin/users",
	}
	h.render(w, r, http.StatusCreated, "secret", p)
}
