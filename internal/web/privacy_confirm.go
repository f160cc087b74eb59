package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"marquee/internal/errs"
	"marquee/internal/privacy"
)

// GET /privacy/confirm — the page behind the link mailed by
// /privacy/request: it says what will happen and asks before it acts, so
// that mail scanners following links change nothing.
func (h *Handler) PrivacyConfirmShow(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	l, ok := h.privacyLink(w, r)
	if !ok {
		return
	}
	d := messageData{Action: "/privacy/confirm?" + r.URL.RawQuery}
	switch l.Ask {
	case askExport:
		d.Heading, d.Button = "Download a copy of your comments?",
			"Download my comments"
		d.Message = "You will get a file (JSON) with every comment written here with " + l.Email +
			" and every detail stored with it: name, website, text, date, IP address, browser, and what the spam filter kept of them. If there are none, the file says so."
	case askAnonymize:
		d.Heading, d.Button = "Anonymise your comments?", "Anonymise my comments"
		d.Message = "Every comment written here with " + l.Email + " will be shown as by “Anonymous”: its text stays, " +
			"and your name, e-mail address, website, IP address and browser are removed, with what the spam filter kept of them. This cannot be undone."
	case askDelete:
		d.Heading, d.Button = "Delete your comments?", "Delete my comments"
		d.Message = "Every comment written here with " + l.Email + " will be deleted, with what the spam filter kept of them; " +
			"replies to them stay, moved up a level. This cannot be undone."
	}
	h.message(w, r, http.StatusOK, d)
}

// POST /privacy/confirm — runs what the link asks: a copy comes back as a
// JSON download; an erasure anonymises or deletes and says how many
// comments it touched. The privacy service logs both (without the address).
func (h *Handler) PrivacyConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	noStore(w)
	l, ok := h.privacyLink(w, r)
	if !ok {
		return
	}
	pr, ok := h.privacyRequester()
	if !ok {
		h.fail(w, r, errs.E(errs.NotFound, "Requests cannot be confirmed on this site."))
		return
	}
	if l.Ask == askExport {
		doc, err := pr.Export(ctx, l.Email, privacy.Self)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.Log.Info("privacy export by its commenter", "request", doc.RequestID)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="my-comments.json"`)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
		w.WriteHeader(http.StatusOK)
		w.Write(append(b, '\n'))
		return
	}
	mode, err := privacy.ParseMode(l.Ask)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := pr.Erase(ctx, l.Email, mode, privacy.Self)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.Info("privacy erasure by its commenter", "request", res.RequestID, "mode", mode, "comments", res.Comments)
	done := "anonymised"
	if mode == privacy.Delete {
		done = "deleted"
	}
	msg := fmt.Sprintf("%s %s.", plural(res.Comments, "comment"), done)
	if res.SpamSamples > 0 {
		msg += fmt.Sprintf(" %s kept by the spam filter deleted.", plural(res.SpamSamples, "copy", "copies"))
	}
	if res.Comments == 0 {
		msg = "No comment here was written with " + l.Email + ": there was nothing to erase."
		if res.SpamSamples > 0 {
			msg += fmt.Sprintf(" %s kept by the spam filter deleted.", plural(res.SpamSamples, "copy", "copies"))
		}
	}
	h.message(w, r, http.StatusOK, messageData{Heading: "Done", Message: msg + " Reference: " + res.RequestID + "."})
}

// privacyLink reads and checks the confirmation link of the request; when
// it is damaged, forged or expired it answers 400 with the request form, so
// that a new link is one step away.
func (h *Handler) privacyLink(w http.ResponseWriter, r *http.Request) (privacyLink, bool) {
	secret, err := h.Settings.Secret(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return privacyLink{}, false
	}
	l, err := verifyPrivacyLink(secret, r.URL.Query(), h.Now())
	if err == nil {
		return l, true
	}
	d := privacyRequestData{Ask: askExport, ErrorField: "link",
		Error: "This link is damaged or incomplete, so nothing was done. Please ask again below."}
	if errors.Is(err, errLinkExpired) {
		d.Email, d.Ask = l.Email, l.Ask
		d.Error = "This link has expired (links work for 24 hours), so nothing was done. Please ask again below."
	}
	h.privacyRequestPage(w, r, http.StatusBadRequest, d)
	return privacyLink{}, false
}

// plural says "1 comment", "3 comments"; an irregular plural is the last word.
func plural(n int64, word string, pl ...string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(pl) > 0 {
		return strconv.FormatInt(n, 10) + " " + pl[0]
	}
	return strconv.FormatInt(n, 10) + " " + word + "s"
}
