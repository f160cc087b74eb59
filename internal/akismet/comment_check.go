package akismet

import (
	"net/http"
	"strings"

	"marquee/internal/spam"
)

// POST /1.1/comment-check — scores a comment with the key's model: "true"
// (spam; X-akismet-pro-tip: discard when blatant), "false", or "invalid"
// with X-akismet-debug-help.
//
// user_role=administrator is always "false"; comment_author=viagra-test-123
// and comment_author_email=akismet-guaranteed-spam@example.com are always
// "true" (Akismet's test triggers). is_test=1 calls are not counted.
func (h *Handler) CommentCheck(w http.ResponseWriter, r *http.Request) {
	c := h.begin(w, r)
	if c == nil {
		return
	}
	if help := c.require("blog", "user_ip"); help != "" {
		h.invalid(w, http.StatusOK, help)
		return
	}
	isSpam, discard := false, false
	switch {
	case strings.EqualFold(strings.TrimSpace(c.form.Get("user_role")), "administrator"):
	case strings.EqualFold(strings.TrimSpace(c.form.Get("comment_author")), testSpamAuthor),
		strings.EqualFold(strings.TrimSpace(c.form.Get("comment_author_email")), testSpamEmail):
		isSpam = true
	default:
		res, err := h.Models.Check(r.Context(), c.key.Model(), sampleOf(c.form, c.now), spam.History{})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		isSpam, discard = res.IsSpam(), res.Verdict == spam.Discard
	}
	if !c.isTest() {
		u := Usage{Calls: 1, Ham: 1}
		if isSpam {
			u = Usage{Calls: 1, Spam: 1}
		}
		h.Keys.Count(c.key.ID, Month(c.now), c.site(), u)
	}
	if discard {
		setHeader(w, hdrProTip, "discard")
	}
	if isSpam {
		h.text(w, http.StatusOK, bodyTrue)
	} else {
		h.text(w, http.StatusOK, bodyFalse)
	}
}
