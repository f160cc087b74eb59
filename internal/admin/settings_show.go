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
	Comments     discussionForm
	Errors       fieldErrors
}

// discussionForm is the discussion settings as typed: numbers stay text so
// that a wrong one is shown again as it was.
type discussionForm struct {
	RequireNameEmail bool
	HoldFirstTime    bool
	HoldAll          bool
	MaxLinks         string
	ModerationWords  string
	DisallowedWords  string
	CloseAfterDays   string
	ThreadDepth      string
	PerPage          string
	NewestFirst      bool
	MaxLength        string
	SpamFilter       bool
	DiscardBlatant   bool
}

func newSettingsForm(st site.Settings) *settingsForm {
	c := st.Comments
	return &settingsForm{Title: st.Title, Tagline: st.Tagline, BaseURL: st.BaseURL,
		PostsPerPage: strconv.Itoa(st.PostsPerPage), TimeZone: st.TimeZone, Language: st.Language,
		Comments: discussionForm{RequireNameEmail: c.RequireNameEmail, HoldFirstTime: c.HoldFirstTime, HoldAll: c.HoldAll,
			MaxLinks: strconv.Itoa(c.MaxLinks), ModerationWords: c.ModerationWords, DisallowedWords: c.DisallowedWords,
			CloseAfterDays: strconv.Itoa(c.CloseAfterDays), ThreadDepth: strconv.Itoa(c.ThreadDepth),
			PerPage: strconv.Itoa(c.PerPage), NewestFirst: c.NewestFirst, MaxLength: strconv.Itoa(c.MaxLength),
			SpamFilter: c.SpamFilter, DiscardBlatant: c.DiscardBlatant}}
}

// GET /admin/settings — the site's settings and its discussion settings
// (administrators only).
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
