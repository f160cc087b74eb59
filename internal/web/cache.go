package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"marquee/internal/account"
	"marquee/internal/pagecache"
)

// Cache tags: what a cached page shows, so that a change drops exactly the
// pages that show it.
const (
	TagSite     = "site"     // settings and the page navigation: every page
	TagPosts    = "posts"    // listings, feeds, sitemap, and post pages (their previous/next links)
	TagCounts   = "counts"   // reply counts in listings
	TagComments = "comments" // the site's comment feed
)

// TagPost is the tag of one post's page and comment feed.
func TagPost(id int64) string { return "post:" + strconv.FormatInt(id, 10) }

// PersonalCookies make a request personal: its pages are rendered for it
// alone and never cached.
var PersonalCookies = []string{account.SessionCookie, commenterCookie, heldCookie, postPassCookie, ownCookie}

// emit writes a rendered response, handing a 200 to the page cache first
// (with its per-request parts still as placeholders).
func (h *Handler) emit(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte, tags []string) {
	if status == http.StatusOK {
		pagecache.Store(r.Context(), ctype, body, tags...)
	}
	w.Header().Set("Content-Type", ctype)
	pagecache.WriteCompressed(w, r, status, len(body), func(out io.Writer) { h.Splice(out, r, body) })
}

// tokenMark stands for a reply form's token in rendered pages until the
// page is sent: a cached page gets a fresh token, stamped with the time it
// is served, for every reader.
const tokenMark = "__MARQUEE_FORM_TOKEN_"

func tokenPlaceholder(postID int64) string { return tokenMark + strconv.FormatInt(postID, 10) + "__" }

// Holes splits a rendered page at its token placeholders; the keys are
// the posts' ids. It is how the page cache fills fresh tokens in.
func (h *Handler) Holes(body []byte) (parts [][]byte, keys []string) {
	for {
		i := bytes.Index(body, []byte(tokenMark))
		if i < 0 {
			break
		}
		rest := body[i+len(tokenMark):]
		j := bytes.Index(rest, []byte("__"))
		if j < 0 {
			break
		}
		parts = append(parts, body[:i])
		keys = append(keys, string(rest[:j]))
		body = rest[j+2:]
	}
	return append(parts, body), keys
}

// Fill is the reply form token for post id key, stamped now.
func (h *Handler) Fill(r *http.Request, key string) string {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return ""
	}
	secret, err := h.Settings.Secret(r.Context())
	if err != nil {
		return ""
	}
	now := h.Now()
	// A token is stamped to the second: a flood of readers of one post
	// shares it rather than signing it again for each (a twentieth of a
	// cached page's cost).
	if t := h.lastToken.Load(); t != nil && t.post == id && t.sec == now.Unix() && bytes.Equal(t.secret, secret) {
		return t.token
	}
	tok := formToken(secret, id, now)
	h.lastToken.Store(&signedToken{post: id, sec: now.Unix(), secret: secret, token: tok})
	return tok
}

// signedToken is the last form token Fill made.
type signedToken struct {
	post, sec int64
	secret    []byte
	token     string
}

// Splice writes a rendered page to out with fresh tokens in its holes.
func (h *Handler) Splice(out io.Writer, r *http.Request, body []byte) {
	parts, keys := h.Holes(body)
	for i, p := range parts {
		out.Write(p)
		if i < len(keys) {
			io.WriteString(out, h.Fill(r, keys[i]))
		}
	}
}
