package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/site"
)

type settingsForm struct {
	Title        string
	Tagline      string
	BaseURL      string
	PostsPerPage string
	TimeZone     string
	Language     string
	Errors       fieldErrors
}

func newSettingsForm(st site.Settings) *settingsForm {
	return &settingsForm{Title: st.Title, Tagline: st.Tagline, BaseURL: st.BaseURL,
		PostsPerPage: strconv.Itoa(st.PostsPerPage), TimeZone: st.TimeZone, Language: st.Language}
}

// GET /admin/settings — the site's settings (administrators only).
func (h *Handler) SettingsShow(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, u, "Settings", "settings")
	p.Data = newSettingsForm(st)
	h.render(w, r, http.StatusOK, "settings", p)
}
