package api

import (
	"net/http"
	"strings"

	"marquee/internal/errs"
)

// /api/ — every other address under /api/: a JSON 404, or a 405 naming the
// allowed methods when the address exists but not for this method.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	if allow := allowed(r.URL.Path); allow != "" {
		w.Header().Set("Allow", allow)
		h.reply(w, r, http.StatusMethodNotAllowed, errorJSON{Error: r.Method + " is not allowed here; use " + allow})
		return
	}
	h.fail(w, r, errs.E(errs.NotFound, "there is no API call at %s", r.URL.Path))
}

// allowed lists the methods of the API's known resources at path, or ""
// when path is not one of them.
func allowed(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && parts[0] == "posts":
		return "GET, HEAD, POST"
	case len(parts) == 1 && parts[0] == "comments":
		return "GET, HEAD"
	case len(parts) == 2 && (parts[0] == "posts" || parts[0] == "comments") && parts[1] != "":
		return "DELETE, GET, HEAD, PATCH"
	case len(parts) == 3 && parts[0] == "posts" && parts[1] != "" && parts[2] == "comments":
		return "POST"
	}
	return ""
}
