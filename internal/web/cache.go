package web

import (
	"bytes"
	"net/http"
	"strconv"

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
var PersonalCookies = []string{"marquee_session", commenterCookie, heldCookie, postPassCookie}

// emit writes a rendered response, handing a 200 to the page cache first
// (with its per-request parts still as placeholders).
func (h *Handler) emit(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte, tags []string) {
	if status == http.StatusOK {
		pagecache.Store(r.Context(), ctype, body, tags...)
	}
	w.Header().Set("Content-Type", ctype)
	pagecache.WriteCompressed(w, r, status, h.Splice(r, body))
}

// tokenMark stands for a reply form's token in rendered pages until the
// page is sent: a cached page gets a fresh token, stamped with the time it
// is served, for every reader.
const tokenMark = "__MARQUEE_FORM_TOKEN_"

func tokenPlaceholder(postID int64) string { return tokenMark + strconv.FormatInt(postID, 10) + "__" }

// Splice replaces the token placeholders of a rendered page with tokens
// for this request.
func (h *Handler) Splice(r *http.Request, body []byte) []byte {
	i := bytes.Index(body, []byte(tokenMark))
	if i < 0 {
		return body
	}
	secret, err := h.Settings.Secret(r.Context())
	if err != nil {
		return body
	}
	now := h.Now()
	var out bytes.Buffer
	out.Grow(len(body) + 64)
	for i >= 0 {
		out.Write(body[:i])
		rest := body[i+len(tokenMark):]
		j := bytes.Index(rest, []byte("__"))
		id, err := strconv.ParseInt(string(rest[:max(j, 0)]), 10, 64)
		if j < 0 || err != nil {
			out.WriteString(tokenMark)
			body = rest
		} else {
			out.WriteString(formToken(secret, id, now))
			body = rest[j+2:]
		}
		i = bytes.Index(body, []byte(tokenMark))
	}
	out.Write(body)
	return out.Bytes()
}
