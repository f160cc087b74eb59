package api

import (
	"net/http"
	"strings"

	"marquee/internal/errs"
	"marquee/internal/privacy"
)

// privacyErase is the body of an erasure request.
type privacyErase struct {
	Email string `json:"email"`
	Mode  string `json:"mode"`
}

func (in *privacyErase) check() error {
	if strings.TrimSpace(in.Email) == "" {
		return errs.Field("email", "email is required: the address whose data is to be erased")
	}
	_, err := privacy.ParseMode(in.Mode)
	return err
}

// POST /api/v1/privacy/erase {email, mode} — erase what is stored about a
// commenter's e-mail address (any case). mode "anonymize" (the default)
// keeps the comments' text under the name "Anonymous" and removes the
// address, website, IP address, user agent and referrer; "delete" deletes
// the comments (replies move up). Either way reply notifications stop and
// the spam filter's samples of the address are deleted. Administrators
// only. Answers 200 with what was done; the erasure is logged without the
// address.
func (h *Handler) PrivacyErase(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	if err := canHandlePersonalData(u); err != nil {
		h.fail(w, r, err)
		return
	}
	var in privacyErase
	if err := decode(w, r, &in, in.check); err != nil {
		h.fail(w, r, err)
		return
	}
	mode, _ := privacy.ParseMode(in.Mode)
	res, err := h.Privacy.Erase(r.Context(), in.Email, mode, privacy.APIUser(u.ID))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, r, http.StatusOK, res)
}
