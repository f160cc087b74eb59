package admin

import "net/http"

// GET /admin/static/{file} — the admin's stylesheet and scripts. Links carry
// ?v=<hash of the files>, so they may be cached for long.
func (h *Handler) StaticShow(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") == h.assetVersion {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	h.static.ServeHTTP(w, r)
}
