package akismet

import "net/http"

// POST /1.1/submit-spam — a comment comment-check let through: the key's
// model learns it as spam (unless is_test), so that the same campaign is
// caught next time. "Thanks for making the web a better place."
func (h *Handler) SubmitSpam(w http.ResponseWriter, r *http.Request) {
	h.submit(w, r, true)
}
