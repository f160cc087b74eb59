package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"marquee/internal/comment"
	"marquee/internal/privacy"
)

// GET /admin/privacy/erase?email=&mode= — asks before erasing a
// commenter's data: says what the mode does and how many comments and
// spam-filter samples the address has (counted by an export, which the
// privacy log records). A wrong address or mode shows the privacy page
// again, 422.
func (h *Handler) PrivacyEraseConfirm(w http.ResponseWriter, r *http.Request) {
	u, ok := h.privacyAdmin(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	email, modeName := q.Get("email"), q.Get("mode")
	mode, err := privacy.ParseMode(modeName)
	var c privacy.Counts
	var matched string
	if err == nil {
		matched, c, err = h.Privacy.Count(r.Context(), email)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.privacyFormError(w, r, u, &privacyData{EraseEmail: email, EraseMode: modeName,
			Errors: privacyFieldError("erase", err)}, err)
		return
	}
	found := "No comment was written with this address."
	if c.Comments > 0 {
		found = plural(c.Comments, "comment was", "comments were") + " written with this address (" + byStatus(c.ByStatus) + ")"
		if c.Subscribed > 0 {
			found += fmt.Sprintf(", %d with reply notifications on", c.Subscribed)
		}
		found += "."
	}
	found += " The spam filter keeps " + plural(c.SpamSamples, "sample", "samples") + " holding it."
	var question, what, button string
	switch mode {
	case privacy.Delete:
		question, button = "Delete the comments of "+matched+"?", "Delete comments"
		what = "Its comments will be deleted for good; their replies move up a level."
	default:
		question, button = "Anonymize the comments of "+matched+"?", "Anonymize comments"
		what = "Its comments will be shown under “" + privacy.AnonymousAuthor + "”: their e-mail address, website, " +
			"IP address, user agent, referrer and the spam filter’s reasons are removed and reply notifications stop. Their text stays."
	}
	what += " The spam filter’s samples and the notification mail to the address are deleted. This cannot be undone."
	p := h.newPage(r, u, "Erase a commenter’s data", "privacy")
	p.Data = confirmData{Question: question, Detail: found + " " + what, Action: "/admin/privacy/erase", Button: button,
		Cancel: "/admin/privacy", Fields: []hiddenField{{"email", matched}, {"mode", string(mode)}}}
	h.render(w, r, http.StatusOK, "confirm", p)
}

// byStatus says how many comments are in each status, the usual ones first.
func byStatus(m map[string]int) string {
	order := []string{string(comment.Approved), string(comment.Pending), string(comment.Spam), string(comment.Trash)}
	var rest []string
	for s := range m {
		if !slices.Contains(order, s) {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	var parts []string
	for _, s := range append(order, rest...) {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
		}
	}
	return strings.Join(parts, ", ")
}
