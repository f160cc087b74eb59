package web

import "net/http"

// Routes registers the public site's URL map.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.Home)
	mux.HandleFunc("GET /{slug}/{$}", h.PostShow)
	mux.HandleFunc("GET /{slug}", h.AddSlash)
	mux.HandleFunc("GET /archive/{$}", h.ArchiveIndex)
	mux.HandleFunc("GET /tag/{tag}/{$}", h.TagShow)
	mux.HandleFunc("GET /tag/{tag}/feed/{$}", h.TagFeed)
	mux.HandleFunc("GET /{year}/{month}/{$}", h.ArchiveShow)
	mux.HandleFunc("GET /search", h.SearchShow)
	mux.HandleFunc("GET /feed/{$}", h.FeedRSS)
	mux.HandleFunc("GET /feed/atom/{$}", h.FeedAtom)
	mux.HandleFunc("POST /comments", h.CommentCreate)
	mux.HandleFunc("GET /comments/{id}/edit", h.CommentEditShow) // own comment, edit window (own.go)
	mux.HandleFunc("POST /comments/{id}/edit", h.CommentEdit)
	mux.HandleFunc("POST /comments/{id}/delete", h.CommentDelete)
	mux.HandleFunc("POST /unlock", h.Unlock)
	mux.HandleFunc("GET /comments/unsubscribe", h.UnsubscribeShow)
	mux.HandleFunc("POST /comments/unsubscribe", h.Unsubscribe)
	mux.HandleFunc("GET /comments/feed/{$}", h.CommentFeed)
	mux.HandleFunc("GET /comments/feed/{slug}/{$}", h.PostCommentFeed)
	mux.HandleFunc("GET /avatar/{key}", h.AvatarShow)
	mux.HandleFunc("GET /media/{id}/{variant}/{name}", h.MediaShow)
	mux.HandleFunc("GET /privacy/{$}", h.PrivacyShow)
	mux.HandleFunc("GET /privacy/request", h.PrivacyRequestShow) // a commenter's copy or erasure (privacy_request.go)
	mux.HandleFunc("POST /privacy/request", h.PrivacyRequest)
	mux.HandleFunc("GET /privacy/confirm", h.PrivacyConfirmShow) // the mailed link (privacy_confirm.go)
	mux.HandleFunc("POST /privacy/confirm", h.PrivacyConfirm)
	mux.HandleFunc("GET /sitemap.xml", h.SitemapShow)
	mux.HandleFunc("GET /robots.txt", h.RobotsShow)
	mux.HandleFunc("GET /static/{file}", h.StaticShow)
	mux.HandleFunc("GET /favicon.ico", h.FaviconShow)
	mux.HandleFunc("/", h.NotFound)
}
