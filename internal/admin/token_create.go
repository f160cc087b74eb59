package admin

import (
	"net/http"

	"marquee/internal/errs"
)

// POST /admin/tokens — creates an API token acting as the logged-in
// administrator; its secret is shown once.
func (h *Handler) TokenCreate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	secret, err := h.Accounts.CreateToken(r.Context(), u.ID, name)
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.showTokens(w, r, u, name, formStatus(err), fieldErrors{field: errs.Message(err)})
		return
	}
	p := h.newPage(r, u, "Token created", "tokens")
	p.Data = secretData{
		Heading: "Token created", Intro: "Programs send it as “Authorization: Bearer …” to /api/v1/.",
		Label: "Token", Secret: secret,
		Note: "Copy it now: it is not shown again. Revoke it here when it is no longer needed.",
		Back: "Back to tokens", BackTo: "/admin/tokens",
	}
	h.render(w, r, http.StatusCreated, "secret", p)
}
