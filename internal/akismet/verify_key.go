package akismet

import "net/http"

// POST /1.1/verify-key — key, blog → "valid", or "invalid" with
// X-akismet-debug-help saying why.
func (h *Handler) VerifyKey(w http.ResponseWriter, r *http.Request) {
	c := h.begin(w, r)
	if c == nil {
		return
	}
	if help := c.require("blog"); help != "" {
		h.invalid(w, http.StatusOK, help)
		return
	}
	h.text(w, http.StatusOK, bodyValid)
}
