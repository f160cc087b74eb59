package admin

import "net/http"

// Routes registers the admin's URL map. Every form post is parsed under a
// 2 MiB limit, uploads under 11 MiB.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/login", h.LoginShow)
	mux.HandleFunc("POST /admin/login", h.limitForm(h.Login))
	mux.HandleFunc("POST /admin/logout", h.limitForm(h.Logout))
	mux.HandleFunc("GET /admin/password/forgot", h.PasswordForgotShow)
	mux.HandleFunc("POST /admin/password/forgot", h.limitForm(h.PasswordForgot))
	mux.HandleFunc("GET /admin/password/reset", h.PasswordResetShow)
	mux.HandleFunc("POST /admin/password/reset", h.limitForm(h.PasswordReset))
	mux.HandleFunc("GET /admin/{$}", h.Dashboard)
	mux.HandleFunc("GET /admin", h.AddSlash)

	mux.HandleFunc("GET /admin/posts", h.PostsList)
	mux.HandleFunc("GET /admin/posts/new", h.PostNew)
	mux.HandleFunc("POST /admin/posts", h.limitForm(h.PostCreate))
	mux.HandleFunc("GET /admin/posts/{id}", h.PostEdit)
	mux.HandleFunc("POST /admin/posts/{id}", h.limitForm(h.PostUpdate))
	mux.HandleFunc("GET /admin/posts/{id}/delete", h.PostDeleteConfirm)
	mux.HandleFunc("POST /admin/posts/{id}/delete", h.limitForm(h.PostDelete))
	mux.HandleFunc("POST /admin/preview", h.limitForm(h.Preview))

	mux.HandleFunc("GET /admin/media", h.MediaList)
	mux.HandleFunc("POST /admin/media", limitUpload(h.MediaUpload))
	mux.HandleFunc("POST /admin/media/{id}/delete", h.limitForm(h.MediaDelete))

	mux.HandleFunc("GET /admin/comments", h.CommentsList)
	mux.HandleFunc("POST /admin/comments/bulk", h.limitForm(h.CommentsBulk))
	mux.HandleFunc("POST /admin/comments/empty", h.limitForm(h.CommentsEmpty))
	mux.HandleFunc("GET /admin/comments/{id}", h.CommentEdit)
	mux.HandleFunc("POST /admin/comments/{id}", h.limitForm(h.CommentUpdate))
	mux.HandleFunc("POST /admin/comments/{id}/reply", h.limitForm(h.CommentReply))

	mux.HandleFunc("GET /admin/settings", h.SettingsShow)
	mux.HandleFunc("POST /admin/settings", h.limitForm(h.SettingsSave))

	mux.HandleFunc("GET /admin/users", h.UsersList)
	mux.HandleFunc("POST /admin/users", h.limitForm(h.UserCreate))
	mux.HandleFunc("POST /admin/users/{id}/role", h.limitForm(h.UserRole))
	mux.HandleFunc("POST /admin/users/{id}/password", h.limitForm(h.UserResetPassword))
	mux.HandleFunc("GET /admin/users/{id}/delete", h.UserDeleteConfirm)
	mux.HandleFunc("POST /admin/users/{id}/delete", h.limitForm(h.UserDelete))

	mux.HandleFunc("GET /admin/account", h.AccountShow)
	mux.HandleFunc("POST /admin/account", h.limitForm(h.AccountSave))
	mux.HandleFunc("POST /admin/account/password", h.limitForm(h.AccountPassword))

	mux.HandleFunc("GET /admin/tokens", h.TokensList)
	mux.HandleFunc("POST /admin/tokens", h.limitForm(h.TokenCreate))
	mux.HandleFunc("POST /admin/tokens/{id}/revoke", h.limitForm(h.TokenRevoke))

	mux.HandleFunc("GET /admin/akismet", h.AkismetList)
	mux.HandleFunc("POST /admin/akismet", h.limitForm(h.AkismetCreate))
	mux.HandleFunc("GET /admin/akismet/{id}/revoke", h.AkismetRevokeConfirm)
	mux.HandleFunc("POST /admin/akismet/{id}/revoke", h.limitForm(h.AkismetRevoke))

	mux.HandleFunc("GET /admin/privacy", h.PrivacyShow)
	mux.HandleFunc("POST /admin/privacy", h.limitForm(h.PrivacySave))
	mux.HandleFunc("GET /admin/privacy/export", h.PrivacyExport)
	mux.HandleFunc("GET /admin/privacy/erase", h.PrivacyEraseConfirm)
	mux.HandleFunc("POST /admin/privacy/erase", h.limitForm(h.PrivacyErase))

	mux.HandleFunc("GET /admin/static/{file}", h.StaticShow)
	mux.HandleFunc("/admin/", h.NotFound)
}
