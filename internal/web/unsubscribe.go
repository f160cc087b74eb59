package web

import (
	"net/http"

	"marquee/internal/errs"
	"marquee/internal/notify"
)

type messageData struct {
	Heading string
	Message string
	Action  string
	Button  string
	Fields  map[string]string
}

// GET /comments/unsubscribe — the page behind the link in a reply
// notification: it asks before it acts, so that mail scanners following
// links unsubscribe nobody.
func (h *Handler) UnsubscribeShow(w http.ResponseWriter, r *http.Request) {
	secret, err := h.Settings.Secret(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	email, _, ok := notify.VerifyUnsubscribe(secret, r.URL.Query())
	if !ok {
		h.fail(w, r, errs.E(errs.Invalid, "This unsubscribe link is damaged or incomplete."))
		return
	}
	h.message(w, r, http.StatusOK, messageData{Heading: "Stop reply notifications?",
		Message: "No more e-mail will go to " + email + " about replies on this post.",
		Action:  "/comments/unsubscribe?" + r.URL.RawQuery, Button: "Unsubscribe"})
}

// POST /comments/unsubscribe — one click from the page, or from a mail
// client honouring List-Unsubscribe-Post (RFC 8058).
func (h *Handler) Unsubscribe(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	secret, err := h.Settings.Secret(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	email, postID, ok := notify.VerifyUnsubscribe(secret, r.URL.Query())
	if !ok {
		h.fail(w, r, errs.E(errs.Invalid, "This unsubscribe link is damaged or incomplete."))
		return
	}
	if _, err := h.Comments.Unsubscribe(ctx, email, postID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.message(w, r, http.StatusOK, messageData{Heading: "Unsubscribed", Message: "You will get no more reply notifications for this post."})
}

func (h *Handler) message(w http.ResponseWriter, r *http.Request, status int, d messageData) {
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, st, d.Heading)
	p.Robots = "noindex"
	p.Data = d
	h.render(w, r, status, "message", p)
}
