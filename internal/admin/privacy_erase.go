package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"marquee/internal/privacy"
)

// POST /admin/privacy/erase — erases a commenter's data (email, mode:
// anonymize or delete) and says what was done. The erasure is logged,
// without the address. A wrong address or mode shows the privacy page
// again, 422.
func (h *Handler) PrivacyErase(w http.ResponseWriter, r *http.Request) {
	u, ok := h.privacyAdmin(w, r)
	if !ok {
		return
	}
	email, modeName := r.PostFormValue("email"), r.PostFormValue("mode")
	mode, err := privacy.ParseMode(modeName)
	var res privacy.Result
	if err == nil {
		res, err = h.Privacy.Erase(r.Context(), email, mode, privacy.AdminUser(u.ID))
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.privacyFormError(w, r, u, &privacyData{EraseEmail: email, EraseMode: modeName,
			Errors: privacyFieldError("erase", err)}, err)
		return
	}
	q := url.Values{"flash": {"erased"}, "mode": {string(res.Mode)}, "n": {strconv.FormatInt(res.Comments, 10)},
		"s": {strconv.FormatInt(res.SpamSamples, 10)}, "m": {strconv.FormatInt(res.Mail, 10)}}
	http.Redirect(w, r, "/admin/privacy?"+q.Encode(), http.StatusSeeOther)
}
