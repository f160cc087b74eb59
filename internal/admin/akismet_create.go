package admin

import (
	"net/http"
	"strings"

	"marquee/internal/errs"
)

// POST /admin/akismet — adds an Akismet API key for a blog's URL; the key
// is shown once, only its hash is stored. A URL that is not one shows the
// form again, 422, with what was typed.
func (h *Handler) AkismetCreate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.akismetAdmin(w, r)
	if !ok {
		return
	}
	blog := strings.TrimSpace(r.PostFormValue("blog"))
	key, _, err := h.Akismet.AddKey(r.Context(), blog) // the store checks the URL
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.showAkismet(w, r, u, blog, formStatus(err), fieldErrors{field: errs.Message(err)})
		return
	}
	p := h.newPage(r, u, "Akismet key created", "akismet")
	p.Data = secretData{
		Heading: "Akismet key created",
		Intro: "For " + blog + ". Clients send it as the api_key field to " +
			strings.TrimSuffix(p.SiteURL, "/") + "/1.1/ instead of rest.akismet.com.",
		Label: "Key", Secret: key,
		Note: "Copy it now: it is not shown again (only its hash is stored). Revoke it here when it is no longer needed.",
		Back: "Back to Akismet keys", BackTo: "/admin/akismet",
	}
	h.render(w, r, http.StatusCreated, "secret", p)
}
