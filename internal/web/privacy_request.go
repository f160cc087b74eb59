package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/notify"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

// mailQueue queues e-mail for sending (notify.Outbox).
type mailQueue interface {
	Enqueue(ctx context.Context, m notify.Message) error
}

// privacyRequests is what a commenter's own request needs of the privacy
// service. Deps.Privacy offers it when it is a *privacy.Service; without
// it, requests go to the site's owner by hand.
type privacyRequests interface {
	Export(ctx context.Context, email string, actor privacy.Actor) (*privacy.Document, error)
	Erase(ctx context.Context, email string, mode privacy.Mode, actor privacy.Actor) (privacy.Result, error)
}

// What a commenter may ask for: the form's choices, carried in the link.
const (
	askExport    = "export"
	askAnonymize = string(privacy.Anonymize)
	askDelete    = string(privacy.Delete)
)

// privacyLinkTTL is how long a confirmation link works.
const privacyLinkTTL = 24 * time.Hour

// maxPrivacyForm limits the request form's body.
const maxPrivacyForm = 4 << 10

type privacyRequestData struct {
	// SelfService: a link is mailed and the commenter confirms it;
	// otherwise the page says to write to the owner.
	SelfService bool
	Contact     string
	Email       string
	Ask         string // export, anonymize or delete
	Error       string
	ErrorField  string
	Sent        bool
}

// privacyRequester is the privacy service when it can run a commenter's
// own requests.
func (h *Handler) privacyRequester() (privacyRequests, bool) {
	pr, ok := h.Privacy.(privacyRequests)
	return pr, ok
}

// selfService says whether a request can be confirmed by e-mail, and the
// site's address for the link. The address must be configured (settings
// or -base-url), never taken from the request's Host header: a forged
// Host would otherwise make the mail carry a valid link to someone else's
// server, which could then act on the victim's comments.
func (h *Handler) selfService(st site.Settings) (string, bool) {
	if !h.Mail || h.Outbox == nil {
		return "", false
	}
	if _, ok := h.privacyRequester(); !ok {
		return "", false
	}
	base := st.Configured(h.BaseURL)
	return base, base != ""
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // confirmation links carry a signature
}

// GET /privacy/request — the form where commenters ask for a copy of their
// comments or their erasure, by e-mail address; without mail, who to ask.
func (h *Handler) PrivacyRequestShow(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	h.privacyRequestPage(w, r, http.StatusOK, privacyRequestData{Ask: askExport})
}

// POST /privacy/request — mails a signed link, valid for 24 hours, to the
// address given; nothing is done until it is confirmed. The answer is the
// same whether or not the address has comments here.
func (h *Handler) PrivacyRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	noStore(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxPrivacyForm)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, errs.E(errs.TooLarge, "The form is too large to send."))
			return
		}
		h.fail(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	d := privacyRequestData{Email: strings.TrimSpace(r.PostForm.Get("email")), Ask: r.PostForm.Get("ask")}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base, ok := h.selfService(st)
	if !ok {
		if h.Mail && h.Outbox != nil {
			h.Log.Warn("privacy requests by e-mail need the site's address (settings or -base-url); answered with the owner's contact")
		}
		// Nothing is sent and nothing is done: the page says whom to ask.
		h.privacyRequestPage(w, r, http.StatusOK, d)
		return
	}
	reshow := func(status int, err error) {
		d.Error = errs.Message(err)
		var e *errs.Error
		if errors.As(err, &e) {
			d.ErrorField = e.Field
		}
		errs.SetHeaders(w.Header(), err)
		h.privacyRequestPage(w, r, status, d)
	}
	if ok, wait := h.CommentLimit.Allow("privacy " + throttle.ClientKey(middleware.ClientIP(r))); !ok {
		reshow(http.StatusTooManyRequests, errs.Throttled(wait,
			"Too many requests have come from your connection. Please wait %s and ask again.", wait.Round(time.Second)))
		return
	}
	email, err := requestEmail(d.Email)
	if err != nil {
		reshow(http.StatusUnprocessableEntity, err)
		return
	}
	d.Email = email
	what, ok := askWords[d.Ask]
	if !ok {
		reshow(http.StatusUnprocessableEntity, errs.Field("ask", "Choose what you would like: a copy of your comments or their erasure."))
		return
	}
	secret, err := h.Settings.Secret(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ok, wait := h.CommentLimit.Allow("privacy-mail " + addressKey(secret, email)); !ok {
		reshow(http.StatusTooManyRequests, errs.Throttled(wait,
			"A link was sent to this address a moment ago: please look for it in your mailbox (and its spam folder), or wait %s and ask again.",
			wait.Round(time.Second)))
		return
	}
	link := base + "/privacy/confirm?" + privacyLinkQuery(secret, email, d.Ask, h.Now().Add(privacyLinkTTL))
	body := fmt.Sprintf("Someone, probably you, asked on %s (%s) for %s of the comments written with this e-mail address, %s.\n\n"+
		"To go ahead, open this link within 24 hours and confirm on the page it shows:\n\n%s\n\n"+
		"If you did not ask, ignore this message: nothing happens without your confirmation. "+
		"If no comment on this site was written with this address, there is nothing to act on.\n",
		st.Title, base, what, email, link)
	msg := notify.Message{To: email, Subject: "[" + st.Title + "] Confirm your request about your comments", Body: body}
	if err := h.Outbox.Enqueue(ctx, msg); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.Info("privacy request link queued", "ask", d.Ask) // the address stays out of the log
	d.Sent = true
	h.privacyRequestPage(w, r, http.StatusOK, d)
}

// askWords says in the mail what was asked for.
var askWords = map[string]string{
	askExport:    "a copy",
	askAnonymize: "the erasure (keeping their text as “Anonymous”)",
	askDelete:    "the erasure (deleting them)",
}

func (h *Handler) privacyRequestPage(w http.ResponseWriter, r *http.Request, status int, d privacyRequestData) {
	ctx := r.Context()
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pol, err := h.policy(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Contact = pol.Contact
	_, d.SelfService = h.selfService(st)
	p := h.newPage(r, st, "A copy or the erasure of your comments")
	p.Robots = "noindex"
	p.Data = d // no CacheTags: never cached
	h.render(w, r, status, "privacy_request", p)
}

// requestEmail checks and normalises an address as comments store it.
func requestEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", errs.Field("email", "Give the e-mail address you used when commenting.")
	}
	a, err := mail.ParseAddress(e)
	if len(e) > comment.MaxEmail || err != nil || a.Address != e {
		return "", errs.Field("email", "“%s” is not a valid e-mail address.", clip(s, 60))
	}
	return e, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// addressKey keys the per-address throttle with a keyed hash, so that no
// address is held in memory.
func addressKey(secret []byte, email string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("privacy-mail\x00" + email))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// privacyLinkValue is what a confirmation link signs: the address, what
// was asked and until when. A valid address holds no newline.
func privacyLinkValue(email, ask, expires string) string { return email + "\n" + ask + "\n" + expires }

// privacyLinkQuery is the query of a confirmation link.
func privacyLinkQuery(key []byte, email, ask string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	signed := sign(key, "privacy", privacyLinkValue(email, ask, exp))
	return url.Values{"email": {email}, "ask": {ask}, "expires": {exp},
		"sig": {signed[strings.LastIndexByte(signed, '.')+1:]}}.Encode()
}

// privacyLink is a confirmation link that was ours, unmodified and in time.
type privacyLink struct {
	Email, Ask string
	Expires    time.Time
}

var (
	errLinkForged  = errors.New("forged")
	errLinkExpired = errors.New("expired")
)

// verifyPrivacyLink checks a confirmation link's signature, then its expiry.
func verifyPrivacyLink(key []byte, q url.Values, now time.Time) (privacyLink, error) {
	l := privacyLink{Email: q.Get("email"), Ask: q.Get("ask")}
	exp, sig := q.Get("expires"), q.Get("sig")
	if sig == "" {
		return l, errLinkForged
	}
	if _, ok := verify(key, "privacy", privacyLinkValue(l.Email, l.Ask, exp)+"."+sig); !ok {
		return l, errLinkForged
	}
	if _, known := askWords[l.Ask]; !known {
		return l, errLinkForged
	}
	sec, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return l, errLinkForged
	}
	l.Expires = time.Unix(sec, 0)
	if !now.Before(l.Expires) {
		return l, errLinkExpired
	}
	return l, nil
}
