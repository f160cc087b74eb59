package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/post"
	"marquee/internal/throttle"
)

// postPassCookie remembers the password-protected posts a reader unlocked,
// as WordPress's wp-postpass cookie does.
const postPassCookie = "marquee_postpass"

// PostPassDays is how long an unlocked post stays unlocked.
const PostPassDays = 10

// passMark proves that the reader entered the post's current password: a
// new password locks the post again.
func passMark(secret []byte, p *post.Post) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("postpass\x00" + strconv.FormatInt(p.ID, 10) + "\x00" + p.Password))
	return strconv.FormatInt(p.ID, 10) + "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

// locked reports whether p's body and discussion are withheld from this
// request: p has a password, the viewer cannot edit it, and has not
// entered it.
func (h *Handler) locked(r *http.Request, p *post.Post, viewer *account.User) bool {
	return p.Password != "" && !viewer.CanEditPost(p.AuthorID) && !h.unlocked(r, p)
}

// unlocked reports whether this request may read p's body.
func (h *Handler) unlocked(r *http.Request, p *post.Post) bool {
	if p.Password == "" {
		return true
	}
	c, err := r.Cookie(postPassCookie)
	if err != nil {
		return false
	}
	secret, err := h.Settings.Secret(r.Context())
	if err != nil {
		return false
	}
	want := passMark(secret, p)
	for _, m := range strings.Split(c.Value, ".") {
		if hmac.Equal([]byte(m), []byte(want)) {
			return true
		}
	}
	return false
}

// POST /unlock — the password form of a protected post.
func (h *Handler) Unlock(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	id, err := strconv.ParseInt(r.PostForm.Get("post_id"), 10, 64)
	if err != nil {
		h.NotFound(w, r)
		return
	}
	p, viewer, err := h.readable(r, "", id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ok, wait := h.CommentLimit.Allow("unlock " + throttle.ClientKey(middleware.ClientIP(r))); !ok {
		err := errs.Throttled(wait, "Too many tries. Please wait %s.", wait.Round(time.Second))
		errs.SetHeaders(w.Header(), err)
		h.showPost(w, r, p, viewer, showOpts{UnlockError: errs.Message(err)}, http.StatusTooManyRequests)
		return
	}
	if p.Password == "" || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("post_password")), []byte(p.Password)) != 1 {
		h.showPost(w, r, p, viewer, showOpts{UnlockError: "That is not the password of this post."}, http.StatusForbidden)
		return
	}
	secret, err := h.Settings.Secret(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	marks := []string{passMark(secret, p)}
	if c, err := r.Cookie(postPassCookie); err == nil {
		for _, m := range strings.Split(c.Value, ".") {
			if m != "" && m != marks[0] && len(marks) < 20 {
				marks = append(marks, m)
			}
		}
	}
	setCookie(w, r, postPassCookie, strings.Join(marks, "."), PostPassDays*24*time.Hour)
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, h.base(r, st)+postPath(p), http.StatusSeeOther)
}
