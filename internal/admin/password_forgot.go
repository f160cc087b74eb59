package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/notify"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

// mailQueue queues e-mail for sending (notify.Outbox).
type mailQueue interface {
	Enqueue(ctx context.Context, m notify.Message) error
}

// Lost-password requests, per client address and per e-mail address: a
// burst of forgotBurst, then one per forgotEvery. The per-address limit
// applies whether or not the address has an account, so that it tells
// nothing.
const (
	forgotEvery = 10 * time.Minute
	forgotBurst = 3
)

type forgotData struct {
	Mail   bool // links can be sent; otherwise the page says whom to ask
	Sent   bool // the answer to a request, the same for every address
	Email  string
	Errors fieldErrors
}

// resetBase says whether password-reset links can be mailed, and the
// site's address for them. The address must be configured (settings or
// -base-url), never taken from the request's Host header: a forged Host
// would make the mail carry a working link to someone else's server.
func (h *Handler) resetBase(st site.Settings) (string, bool) {
	if !h.Mail || h.Outbox == nil {
		return "", false
	}
	base := st.Configured(h.BaseURL)
	return base, base != ""
}

// POST /admin/password/forgot — mails a link to choose a new password,
// working for account.ResetTTL and once, to the account with the address
// given. The answer is the same whether or not there is one; requests are
// throttled per client and per address (429 with Retry-After).
func (h *Handler) PasswordForgot(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := forgotData{Email: r.PostFormValue("email")}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base, ok := h.resetBase(st)
	if !ok {
		h.forgotPage(w, r, http.StatusNotFound, d, "")
		return
	}
	throttled := func(wait time.Duration, format string) {
		err := errs.Throttled(wait, format, wait.Round(time.Second))
		errs.SetHeaders(w.Header(), err)
		h.forgotPage(w, r, errs.Status(err), d, errs.Message(err))
	}
	if ok, wait := h.ForgotLimit.Allow("forgot " + throttle.ClientKey(middleware.ClientIP(r))); !ok {
		throttled(wait, "Too many requests have come from your connection. Please wait %s and ask again.")
		return
	}
	email, err := account.NormalizeEmail(d.Email)
	if err != nil {
		d.Errors = fieldErrors{"email": errs.Message(err)}
		h.forgotPage(w, r, formStatus(err), d, "")
		return
	}
	d.Email = email
	if ok, wait := h.ForgotLimit.Allow("forgot-mail " + forgotKey(email)); !ok {
		throttled(wait, "A link was sent to this address a moment ago: please look for it in your mailbox (and its spam folder), or wait %s and ask again.")
		return
	}
	if err := h.sendReset(ctx, st, base, email); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Sent = true
	h.forgotPage(w, r, http.StatusOK, d, "")
}

// sendReset queues a reset link for the account with this address, if
// there is one that may log in. Accounts that never had a password
// (imported ones) get none: an administrator decides when they may log in.
func (h *Handler) sendReset(ctx context.Context, st site.Settings, base, email string) error {
	u, err := h.Accounts.ByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		h.Log.Info("password reset asked for an address without an account") // the address stays out of the log
		return nil
	}
	if err != nil {
		return err
	}
	if u.MustSetPassword {
		h.Log.Info("password reset asked for an account without a password; no link sent", "user", u.ID)
		return nil
	}
	secret, err := h.Accounts.CreateReset(ctx, u.ID, h.Now())
	if err != nil {
		return err
	}
	link := base + "/admin/password/reset?" + url.Values{"token": {secret}}.Encode()
	body := fmt.Sprintf("Someone, probably you, asked to reset the password of your account on %s (%s), %s.\n\n"+
		"To choose a new password, open this link within an hour:\n\n%s\n\n"+
		"It works once, and only the last link sent works. Choosing a new password logs your account out everywhere.\n\n"+
		"If you did not ask, ignore this message: your password stays as it is.\n",
		st.Title, base, u.Email, link)
	msg := notify.Message{To: u.Email, Subject: "[" + st.Title + "] Choose a new password", Body: body}
	if err := h.Outbox.Enqueue(ctx, msg); err != nil {
		return err
	}
	h.Log.Info("password reset link queued", "user", u.ID)
	return nil
}

// forgotPage shows the lost-password form, or the answer to a request;
// msg, when set, is shown above it.
func (h *Handler) forgotPage(w http.ResponseWriter, r *http.Request, status int, d forgotData, msg string) {
	p := h.newPage(r, nil, "Lost your password?", "login")
	_, d.Mail = h.resetBase(p.Site)
	p.Error = msg
	p.Data = d
	h.render(w, r, status, "password_forgot", p)
}

// forgotKey keys the per-address throttle with a keyed hash, so that no
// address is held in memory (the key is random per process).
func forgotKey(email string) string {
	m := hmac.New(sha256.New, forgotHashKey[:])
	m.Write([]byte(email))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

var forgotHashKey = func() (k [32]byte) {
	rand.Read(k[:])
	return k
}()
