package web

import (
	"html/template"
	"net/http"

	"marquee/internal/privacy"
)

// markdown renders the administrator's own text on the privacy page,
// sanitised like any post, with the site's renderer.
func (h *Handler) markdown(src string) template.HTML {
	if src == "" || h.Markup == nil {
		return ""
	}
	out, err := h.Markup.Markdown(src)
	if err != nil {
		return ""
	}
	return template.HTML(out) // sanitised by markup
}

type privacyData struct {
	Policy           privacy.Policy
	Above, Below     template.HTML
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
	pol, err := h.policy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, st, "Privacy")
	d := privacyData{Policy: pol, Contact: pol.Contact, Above: h.markdown(pol.TextAbove), Below: h.markdown(pol.TextBelow), RequireNameEmail: st.Comments.RequireNameEmail, HoldFirstTime: st.Comments.HoldFirstTime,
		HoldAll: st.Comments.HoldAll, MaxLinks: st.Comments.MaxLinks, CommenterDays: CommenterCookieDays, HeldDays: HeldCookieDays,
		SpamFilter: st.Comments.SpamFilter && h.Spam != nil, SMTP: h.Mail}
	p.Data = d
	p.CacheTags = []string{TagSite}
	h.render(w, r, http.StatusOK, "privacy", p)
}
