package akismet

import "net/http"

// POST /1.1/submit-ham — a comment wrongly called spam: the key's model
// learns it as ham (unless is_test). "Thanks for making the web a better
// place."
func (h *Handler) SubmitHam(w http.ResponseWriter, r *http.Request) {
	h.submit(w, r, false)
}

// submit is submit-spam and submit-ham.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request, isSpam bool) {
	c := h.begin(w, r)
	if c == nil {
		return
	}
	if help := c.require("blog", "user_ip"); help != "" {
		h.invalid(w, http.StatusOK, help)
		return
	}
	if !c.isTest() {
		sm := sampleOf(c.form, c.now)
		if sm.Content != "" || sm.Author != "" || sm.Email != "" || sm.URL != "" {
			if err := h.Models.Learn(r.Context(), c.key.Model(), sm, isSpam); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		u := Usage{FalsePositives: 1}
		if isSpam {
			u = Usage{MissedSpam: 1}
		}
		h.Keys.Count(c.key.ID, Month(c.now), c.site(), u)
	}
	h.text(w, http.StatusOK, bodyThanks)
}
