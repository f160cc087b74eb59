package api

import (
	"context"
	"net/http"
	"strings"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/privacy"
)

// privacyService exports and erases what is stored about a commenter
// (*privacy.Service).
type privacyService interface {
	Export(ctx context.Context, email string, actor privacy.Actor) (*privacy.Document, error)
	Erase(ctx context.Context, email string, mode privacy.Mode, actor privacy.Actor) (privacy.Result, error)
}

// canHandlePersonalData lets only administrators export or erase a
// commenter's data.
func canHandlePersonalData(u *account.User) error {
	if !u.CanManageSite() {
		return errs.E(errs.Forbidden, "only administrators may export or erase a commenter's data")
	}
	return nil
}

// GET /api/v1/privacy/export?email=ADDRESS — everything stored about a
// commenter's e-mail address (any case): each of their comments with every
// stored field, the spam filter's samples of them, and counts. Nothing
// found is an empty document. Administrators only. Answers 200 with the
// document; the export is logged without the address.
func (h *Handler) PrivacyExport(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	if err := canHandlePersonalData(u); err != nil {
		h.fail(w, r, err)
		return
	}
	email := strings.TrimSpace(r.URL.Query().Get("email"))
	if email == "" {
		h.fail(w, r, errs.Field("email", "email is required: /api/v1/privacy/export?email=ADDRESS"))
		return
	}
	d, err := h.Privacy.Export(r.Context(), email, privacy.APIUser(u.ID))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, r, http.StatusOK, d)
}
