package admin

import (
	"net/http"
	"net/url"
	"strings"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/middleware"
)

// Request body limits.
const (
	maxForm   = 2 << 20  // every form
	maxUpload = 11 << 20 // an image upload: media.MaxBytes and the multipart envelope
)

// currentUser returns the user of the request's session cookie.
func (h *Handler) currentUser(r *http.Request) (*account.User, error) {
	c, err := r.Cookie(account.SessionCookie)
	if err != nil {
		return nil, errs.E(errs.Unauthorized, "please log in")
	}
	return h.Accounts.SessionUser(r.Context(), c.Value)
}

// user returns the logged-in user, or answers for the handler: a page
// request without a session goes to the login form, which comes back here
// afterwards; anything else is refused with 401.
func (h *Handler) user(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	u, err := h.currentUser(r)
	if err == nil {
		return u, true
	}
	if errs.Is(err, errs.Unauthorized) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return nil, false
	}
	h.fail(w, r, err)
	return nil, false
}

// admin returns the logged-in user if they may manage the site.
func (h *Handler) admin(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	u, ok := h.user(w, r)
	if !ok {
		return nil, false
	}
	if !u.CanManageSite() {
		h.fail(w, r, errs.E(errs.Forbidden, "only administrators may do this"))
		return nil, false
	}
	return u, true
}

// startSession logs u in with a new session, ending the one the request
// came with: a session id is never reused across logins.
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, u *account.User) error {
	if c, err := r.Cookie(account.SessionCookie); err == nil && c.Value != "" {
		if err := h.Accounts.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	secret, err := h.Accounts.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: account.SessionCookie, Value: secret, Path: "/",
		MaxAge: int(account.SessionTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: middleware.IsHTTPS(r),
	})
	return nil
}

// clearSession removes the session cookie from the browser.
func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: account.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: middleware.IsHTTPS(r),
	})
}

// safeNext returns where to go after logging in: next if it is a path of
// the admin on this site, else the dashboard. Absolute and scheme-relative
// URLs (https://evil.example, //evil.example, /\evil.example) are refused.
func safeNext(next string) string {
	const home = "/admin/"
	if next == "" || len(next) > 2000 || strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, "//") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	clean := u.EscapedPath()
	if !strings.HasPrefix(clean, home) || strings.Contains(clean, "/../") || strings.HasSuffix(clean, "/..") ||
		strings.HasPrefix(clean, "/admin/login") || strings.HasPrefix(clean, "/admin/logout") {
		return home
	}
	if u.RawQuery != "" {
		clean += "?" + u.RawQuery
	}
	return clean
}

// limitForm caps a form's body at maxForm and parses it, so that handlers
// read r.PostFormValue freely.
func (h *Handler) limitForm(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			if bodyError(err) != err {
				h.fail(w, r, err)
				return
			}
			h.fail(w, r, errs.Wrap(errs.Invalid, err, "the form could not be read"))
			return
		}
		next(w, r)
	}
}

// limitUpload caps an upload's body at maxUpload; the handler reads it.
func limitUpload(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
		next(w, r)
	}
}
