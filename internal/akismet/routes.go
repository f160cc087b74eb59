package akismet

import "net/http"

// Routes registers the API's URL map on mux. The method-less patterns
// catch the wrong methods, so that they too are answered in Akismet's way.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /1.1/verify-key", h.VerifyKey)
	mux.HandleFunc("POST /1.1/comment-check", h.CommentCheck)
	mux.HandleFunc("POST /1.1/submit-spam", h.SubmitSpam)
	mux.HandleFunc("POST /1.1/submit-ham", h.SubmitHam)
	mux.HandleFunc("GET /1.2/key-sites", h.KeySites)
	mux.HandleFunc("POST /1.2/key-sites", h.KeySites)
	mux.HandleFunc("GET /1.2/usage-limit", h.UsageLimit)
	mux.HandleFunc("POST /1.2/usage-limit", h.UsageLimit)

	mux.HandleFunc("/1.1/verify-key", h.wrongMethod("POST"))
	mux.HandleFunc("/1.1/comment-check", h.wrongMethod("POST"))
	mux.HandleFunc("/1.1/submit-spam", h.wrongMethod("POST"))
	mux.HandleFunc("/1.1/submit-ham", h.wrongMethod("POST"))
	mux.HandleFunc("/1.2/key-sites", h.wrongMethod("GET, HEAD, POST"))
	mux.HandleFunc("/1.2/usage-limit", h.wrongMethod("GET, HEAD, POST"))
	mux.HandleFunc("/1.1/", h.NotFound)
	mux.HandleFunc("/1.2/", h.NotFound)
}

// Mux returns a new mux holding only the API's routes, to mount with
// top.Handle("/1.1/", m) and top.Handle("/1.2/", m).
func (h *Handler) Mux() *http.ServeMux {
	mux := http.NewServeMux()
	h.Routes(mux)
	return mux
}
