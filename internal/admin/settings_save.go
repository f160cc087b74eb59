package admin

import (
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/errs"
)

// POST /admin/settings — saves the settings; errors show the form again,
// 422, with what was typed.
func (h *Handler) SettingsSave(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	f := &settingsForm{Title: v("title"), Tagline: v("tagline"), BaseURL: v("base_url"),
		PostsPerPage: strings.TrimSpace(v("posts_per_page")), TimeZone: strings.TrimSpace(v("time_zone")), Language: strings.TrimSpace(v("language"))}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st.Title, st.Tagline, st.BaseURL, st.TimeZone = f.Title, f.Tagline, f.BaseURL, f.TimeZone
	if f.Language != "" {
		st.Language = f.Language
	}
	n, err := strconv.Atoi(f.PostsPerPage)
	if err != nil {
		err = errs.Field("posts_per_page", "posts per page must be a whole number between 1 and 100")
	} else {
		st.PostsPerPage = n
		err = h.Settings.Save(r.Context(), st)
	}
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		p := h.newPage(r, u, "Settings", "settings")
		p.Error = "The settings were not saved: " + errs.Message(err)
		f.Errors = fieldErrors{field: errs.Message(err)}
		p.Data = f
		h.render(w, r, formStatus(err), "settings", p)
		return
	}
	http.Redirect(w, r, "/admin/settings?flash=settings", http.StatusSeeOther)
}
