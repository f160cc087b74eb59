package web

import "net/http"

type privacyData struct {
	RequireNameEmail bool
	HoldFirstTime    bool
	HoldAll          bool
	MaxLinks         int
	CommenterDays    int
	HeldDays         int
	SpamFilter       bool
	SMTP             bool
	Contact          string
}

// GET /privacy/ — what happens to commenters' data, written from the
// site's live settings rather than a generic policy.
func (h *Handler) PrivacyShow(w http.ResponseWriter, r *http.Request) {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, st, "Privacy")
	p.Data = privacyData{RequireNameEmail: st.Comments.RequireNameEmail, HoldFirstTime: st.Comments.HoldFirstTime,
		HoldAll: st.Comments.HoldAll, MaxLinks: st.Comments.MaxLinks, CommenterDays: CommenterCookieDays, HeldDays: HeldCookieDays,
		SpamFilter: st.Comments.SpamFilter && h.Spam != nil, SMTP: h.Mail}
	h.render(w, r, http.StatusOK, "privacy", p)
}
