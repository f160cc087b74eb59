package api

import "net/http"

// Routes registers the API's URL map on mux.
//
// The catch-all "/api/" conflicts, in net/http's rules, with wildcard
// patterns at the site's root such as "GET /{slug}/{$}"; a server that also
// serves the public site should give the API its own mux (see Mux) and
// mount it with top.Handle("/api/", apiMux).
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/posts", h.PostCreate)
	mux.HandleFunc("GET /api/v1/posts", h.PostList)
	mux.HandleFunc("GET /api/v1/posts/{id}", h.PostShow)
	mux.HandleFunc("PATCH /api/v1/posts/{id}", h.PostUpdate)
	mux.HandleFunc("DELETE /api/v1/posts/{id}", h.PostDelete)
	mux.HandleFunc("POST /api/v1/posts/{id}/comments", h.CommentCreate)
	mux.HandleFunc("GET /api/v1/comments", h.CommentList)
	mux.HandleFunc("GET /api/v1/comments/{id}", h.CommentShow)
	mux.HandleFunc("PATCH /api/v1/comments/{id}", h.CommentUpdate)
	mux.HandleFunc("DELETE /api/v1/comments/{id}", h.CommentDelete)
	mux.HandleFunc("GET /api/v1/privacy/export", h.PrivacyExport)
	mux.HandleFunc("POST /api/v1/privacy/erase", h.PrivacyErase)
	mux.HandleFunc("/api/", h.NotFound)
}

// Mux returns a new mux holding only the API's routes, to mount under
// "/api/" on the server's mux.
func (h *Handler) Mux() *http.ServeMux {
	mux := http.NewServeMux()
	h.Routes(mux)
	return mux
}
