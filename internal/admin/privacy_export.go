package admin

import (
	"encoding/json"
	"net/http"

	"marquee/internal/account"
	"marquee/internal/privacy"
)

// GET /admin/privacy/export?email= — everything stored about a commenter's
// e-mail address, as a JSON file to download (comments-export.json). The
// export is logged, without the address. A wrong address shows the privacy
// page again, 422.
func (h *Handler) PrivacyExport(w http.ResponseWriter, r *http.Request) {
	u, ok := h.privacyAdmin(w, r)
	if !ok {
		return
	}
	email := r.URL.Query().Get("email")
	doc, err := h.Privacy.Export(r.Context(), email, privacy.AdminUser(u.ID))
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.privacyFormError(w, r, u, &privacyData{ExportEmail: email, EraseMode: string(privacy.Anonymize),
			Errors: privacyFieldError("export", err)}, err)
		return
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Content-Disposition", `attachment; filename="comments-export.json"`)
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
}

// privacyFormError shows the privacy page again with the stored policy and
// d's export or erasure form and its error.
func (h *Handler) privacyFormError(w http.ResponseWriter, r *http.Request, u *account.User, d *privacyData, err error) {
	pol, lerr := h.Privacy.LoadPolicy(r.Context())
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	d.Policy = newPolicyForm(pol)
	h.showPrivacy(w, r, u, d, formStatus(err))
}
