package akismet

import "net/http"

// /1.1/… and /1.2/… that are no call of the API — 404, "invalid".
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.invalid(w, http.StatusNotFound, "There is no Akismet call "+r.URL.Path+
		"; the calls are POST /1.1/verify-key, /1.1/comment-check, /1.1/submit-spam, /1.1/submit-ham and GET or POST /1.2/key-sites, /1.2/usage-limit.")
}

// wrongMethod answers a known call made with the wrong method — 405, "invalid".
func (h *Handler) wrongMethod(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		h.invalid(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use "+allow+".")
	}
}
