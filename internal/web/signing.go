package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marquee/internal/middleware"
)

// sign appends a MAC to value so that a cookie or form field coming back
// can be trusted to be ours and unmodified.
func sign(key []byte, purpose, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + "\x00" + value))
	return value + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// verify returns the value of a signed string, or false if it was forged.
func verify(key []byte, purpose, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '.')
	if i < 0 {
		return "", false
	}
	value := signed[:i]
	return value, hmac.Equal([]byte(sign(key, purpose, value)), []byte(signed))
}

// formToken records when and for which post a reply form was served, so
// that the time a visitor took to write can be measured on submit.
func formToken(key []byte, postID int64, now time.Time) string {
	return sign(key, "form", strconv.FormatInt(postID, 10)+"-"+strconv.FormatInt(now.Unix(), 10))
}

// tokenAge returns how long ago the form was served, or false when the
// token is missing, forged or for another post.
func tokenAge(key []byte, token string, postID int64, now time.Time) (time.Duration, bool) {
	v, ok := verify(key, "form", token)
	if !ok {
		return 0, false
	}
	id, ts, ok := strings.Cut(v, "-")
	if !ok || id != strconv.FormatInt(postID, 10) {
		return 0, false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return 0, false
	}
	return now.Sub(time.Unix(sec, 0)), true
}

// Cookie names of the reply form.
const (
	commenterCookie = "marquee_commenter" // name, e-mail, website: only when "save" is ticked
	heldCookie      = "marquee_held"      // ids of the visitor's comments awaiting moderation
)

// Lifetimes of the reply form's cookies, also stated on the privacy page.
const (
	CommenterCookieDays = 365
	HeldCookieDays      = 30
)

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: middleware.IsHTTPS(r), SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: middleware.IsHTTPS(r), SameSite: http.SameSiteLaxMode})
}

// heldIDs reads the signed list of the visitor's held comments.
func heldIDs(key []byte, r *http.Request) []int64 {
	c, err := r.Cookie(heldCookie)
	if err != nil {
		return nil
	}
	v, ok := verify(key, "held", c.Value)
	if !ok {
		return nil
	}
	var ids []int64
	for _, s := range strings.Split(v, "-") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// addHeld remembers one more held comment for its author (at most 20).
func addHeld(w http.ResponseWriter, r *http.Request, key []byte, id int64) {
	ids := append(heldIDs(key, r), id)
	if len(ids) > 20 {
		ids = ids[len(ids)-20:]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	setCookie(w, r, heldCookie, sign(key, "held", strings.Join(parts, "-")), HeldCookieDays*24*time.Hour)
}
