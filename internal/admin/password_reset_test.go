package admin

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/markup"
	"marquee/internal/notify"
	"marquee/internal/notify/smtptest"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// mailEnv is the admin with mail: the real outbox, delivered by the real
// mailer to a capturing SMTP server, and a clock the test moves. A
// request's X-Test-Client header stands for its client's IP address.
type mailEnv struct {
	*env
	outbox *notify.Outbox
	mailer *notify.Mailer
	smtp   *smtptest.Server
	offset atomic.Int64 // added to the handler's clock
}

type mailOpts struct {
	noMail bool // no SMTP server configured
	noBase bool // the site's address not configured
}

func newMailEnv(t *testing.T, db *sqldb.DB, o mailOpts) *mailEnv {
	t.Helper()
	m := &mailEnv{env: newEnv(t, db, false), outbox: notify.NewOutbox(db), smtp: smtptest.Start(t)}
	var err error
	if m.mailer, err = notify.ParseURL("smtp://" + m.smtp.Addr() + "?from=blog@example.org&tls=none"); err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := r.Header.Get("X-Test-Client"); c != "" {
			r.RemoteAddr = c + ":4242"
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	d := Deps{Accounts: m.accounts, Posts: m.posts, Settings: m.settings, Media: m.media, Comments: m.comments,
		Renderer: markup.New(markup.Options{}), Mail: !o.noMail, Outbox: m.outbox, BaseURL: srv.URL,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: m.now}
	if o.noBase {
		d.BaseURL = ""
	}
	h, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	handler = http.NewCrossOriginProtection().Handler(mux)
	m.srv = srv
	return m
}

func (m *mailEnv) now() time.Time { return time.Now().Add(time.Duration(m.offset.Load())) }

// deliver sends the queued mail and returns what the server received.
func (m *mailEnv) deliver() []smtptest.Message {
	m.t.Helper()
	before := len(m.smtp.Messages())
	if _, err := m.outbox.Deliver(context.Background(), m.mailer, time.Now); err != nil {
		m.t.Fatal(err)
	}
	return m.smtp.Messages()[before:]
}

// postAs submits a form from the same origin as a given client.
func (m *mailEnv) postAs(c *http.Client, client, path string, form url.Values) resp {
	m.t.Helper()
	req, _ := http.NewRequest("POST", m.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", m.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if client != "" {
		req.Header.Set("X-Test-Client", client)
	}
	return m.do(c, req)
}

func (m *mailEnv) forgot(client, email string) resp {
	m.t.Helper()
	return m.postAs(m.client(), client, "/admin/password/forgot", url.Values{"email": {email}})
}

var resetLink = regexp.MustCompile(`https?://\S+/admin/password/reset\?token=[A-Za-z0-9_-]+`)

// link is the reset link of the one message mailed, as a path.
func (m *mailEnv) link(msgs []smtptest.Message, to string) string {
	m.t.Helper()
	if len(msgs) != 1 || msgs[0].To != to {
		m.t.Fatalf("mail: %d messages, want 1 to %s: %+v", len(msgs), to, msgs)
	}
	l := resetLink.FindString(msgs[0].Data)
	if !strings.HasPrefix(l, m.srv.URL+"/admin/password/reset?token=") {
		m.t.Fatalf("no reset link to the site in:\n%s", msgs[0].Data)
	}
	return strings.TrimPrefix(l, m.srv.URL)
}

func (m *mailEnv) setPassword(c *http.Client, path, pw, again string) resp {
	m.t.Helper()
	u, _ := url.Parse(path)
	return m.postAs(c, "", "/admin/password/reset", url.Values{"token": {u.Query().Get("token")},
		"new_password": {pw}, "confirm_password": {again}})
}

const answer = "If an account exists for that address, we sent a link"

func TestPasswordResetFlow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := newMailEnv(t, db, mailOpts{})
		m.accounts.Create(ctx, "wes@example.org", "Wes", account.Author, "wes's old password")
		old := m.loggedIn("wes@example.org", "wes's old password")
		c := m.client()

		// The login form offers the way; the form asks for the address.
		expect(t, m.get(c, "/admin/login"), 200, `href="/admin/password/forgot"`, "Lost your password?")
		r := m.get(c, "/admin/password/forgot")
		expect(t, r, 200, `action="/admin/password/forgot"`, `name="email"`, `type="email"`)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}

		r = m.postAs(c, "", "/admin/password/forgot", url.Values{"email": {" Wes@Example.org "}})
		expect(t, r, 200, answer)
		path := m.link(m.deliver(), "wes@example.org")

		// Following the link shows a form and uses nothing up.
		r = m.get(c, path)
		expect(t, r, 200, "Choose a new password", "wes@example.org", `action="/admin/password/reset"`,
			`name="new_password"`, `name="confirm_password"`, `type="hidden" name="token"`)
		if r.Header.Get("Referrer-Policy") != "no-referrer" || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("headers of the reset form: %v", r.Header)
		}
		expect(t, m.get(c, path), 200, "Choose a new password")

		// The rules of every password; a refused one leaves the link working.
		expect(t, m.setPassword(c, path, "wes's new password", "something else"), 422, "the two new passwords differ")
		expect(t, m.setPassword(c, path, "short", "short"), 422, "at least 10 characters")
		if _, err := m.accounts.Authenticate(ctx, "wes@example.org", "wes's old password"); err != nil {
			t.Fatalf("a refused reset changed the password: %v", err)
		}

		r = m.setPassword(c, path, "wes's new password", "wes's new password")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/login?flash=reset" {
			t.Fatalf("reset: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		expect(t, m.get(c, "/admin/login?flash=reset"), 200, "Your password has been changed")

		// Old sessions are over; the old password fails, the new one works.
		if r := m.get(old, "/admin/"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("a session from before the reset still works: %d", r.StatusCode)
		}
		expect(t, m.login(m.client(), "wes@example.org", "wes's old password"), http.StatusUnauthorized)
		m.loggedIn("wes@example.org", "wes's new password")

		// The link works once.
		expect(t, m.get(c, path), http.StatusBadRequest, "no longer valid", `action="/admin/password/forgot"`)
		expect(t, m.setPassword(c, path, "a third password!", "a third password!"), http.StatusBadRequest, "no longer valid")
		m.loggedIn("wes@example.org", "wes's new password")
		// Damaged links, likewise.
		for _, p := range []string{"/admin/password/reset", "/admin/password/reset?token=", "/admin/password/reset?token=nonsense",
			path + "x"} {
			expect(t, m.get(c, p), http.StatusBadRequest, "no longer valid")
		}

		// The forms are refused from another site.
		for _, p := range []string{"/admin/password/forgot", "/admin/password/reset"} {
			req, _ := http.NewRequest("POST", m.srv.URL+p, strings.NewReader("email=wes%40example.org"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			if r := m.do(c, req); r.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST %s: %d", p, r.StatusCode)
			}
		}
		if msgs := m.deliver(); len(msgs) != 0 {
			t.Fatalf("mail from a cross-site post: %+v", msgs)
		}
	})
}

// TestPasswordResetExpiry: a link works for an hour, and only the last one
// sent works.
func TestPasswordResetExpiry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := newMailEnv(t, db, mailOpts{})
		m.accounts.Create(ctx, "eve@example.org", "", account.Editor, "eve's old password")
		c := m.client()

		expect(t, m.forgot("192.0.2.1", "eve@example.org"), 200, answer)
		first := m.link(m.deliver(), "eve@example.org")
		m.offset.Add(int64(time.Hour + time.Minute))
		expect(t, m.get(c, first), http.StatusBadRequest, "no longer valid")
		expect(t, m.setPassword(c, first, "eve's new password", "eve's new password"), http.StatusBadRequest, "no longer valid")

		expect(t, m.forgot("192.0.2.1", "eve@example.org"), 200, answer)
		second := m.link(m.deliver(), "eve@example.org")
		expect(t, m.forgot("192.0.2.1", "eve@example.org"), 200, answer)
		third := m.link(m.deliver(), "eve@example.org")
		expect(t, m.get(c, second), http.StatusBadRequest, "no longer valid")
		m.offset.Add(int64(59 * time.Minute))
		expect(t, m.get(c, third), 200, "Choose a new password")
		if r := m.setPassword(c, third, "eve's new password", "eve's new password"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset with the last link, in time: %d\n%s", r.StatusCode, r.body)
		}
		m.loggedIn("eve@example.org", "eve's new password")
	})
}

// TestPasswordResetNoEnumeration: an address without an account, or whose
// account has no password yet, gets the same answer and no mail.
func TestPasswordResetNoEnumeration(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := newMailEnv(t, db, mailOpts{})
		m.accounts.Create(ctx, "kim@example.org", "", account.Author, "kim's old password")
		m.accounts.Create(ctx, "imported@example.org", "", account.Author, "")

		known := m.forgot("192.0.2.1", "kim@example.org")
		expect(t, known, 200, answer)
		m.link(m.deliver(), "kim@example.org")
		for _, email := range []string{"nobody@example.org", "imported@example.org"} {
			r := m.forgot("192.0.2.2", email)
			if r.StatusCode != known.StatusCode || r.body != known.body {
				t.Errorf("%s: answer differs: %d\n%s", email, r.StatusCode, r.body)
			}
			if msgs := m.deliver(); len(msgs) != 0 {
				t.Errorf("%s: mail sent: %+v", email, msgs)
			}
		}
		if n, _ := m.outbox.Pending(ctx); n != 0 {
			t.Errorf("%d messages queued", n)
		}
		// Not an address at all: said next to the field.
		expect(t, m.forgot("192.0.2.3", "not an address"), http.StatusUnprocessableEntity, `aria-invalid="true"`, "not a valid e-mail address")
	})
}

func TestPasswordResetThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := newMailEnv(t, db, mailOpts{})
		m.accounts.Create(ctx, "lou@example.org", "", account.Author, "lou's old password")

		// Per client, whatever the address.
		for i := range forgotBurst {
			expect(t, m.forgot("192.0.2.1", fmt.Sprintf("someone%d@example.org", i)), 200, answer)
		}
		r := m.forgot("192.0.2.1", "lou@example.org")
		expect(t, r, http.StatusTooManyRequests, "Too many requests have come from your connection")
		if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Errorf("Retry-After %q", ra)
		}
		if msgs := m.deliver(); len(msgs) != 0 {
			t.Fatalf("throttled request mailed: %+v", msgs)
		}
		// Per address, whatever the client: the same for an address with
		// an account and one without.
		for _, email := range []string{"lou@example.org", "nobody@example.org"} {
			for i := range forgotBurst {
				expect(t, m.forgot(fmt.Sprintf("198.51.100.%d", i+1), email), 200, answer)
			}
			r = m.forgot("203.0.113.9", email)
			expect(t, r, http.StatusTooManyRequests, "A link was sent to this address a moment ago")
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("%s: no Retry-After", email)
			}
		}
		if msgs := m.deliver(); len(msgs) != forgotBurst {
			t.Fatalf("%d messages, want %d", len(msgs), forgotBurst)
		}
		// Time lets both ask again.
		m.offset.Add(int64(forgotEvery + time.Second))
		expect(t, m.forgot("192.0.2.1", "lou@example.org"), 200, answer)
		m.link(m.deliver(), "lou@example.org")
	})
}

// TestPasswordResetNeedsMail: without an SMTP server, or without the site's
// address configured (links never take the request's Host), nothing is
// offered and nothing is sent.
func TestPasswordResetNeedsMail(t *testing.T) {
	for name, o := range map[string]mailOpts{"no SMTP": {noMail: true}, "no address": {noBase: true}} {
		t.Run(name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				ctx := context.Background()
				m := newMailEnv(t, db, o)
				m.accounts.Create(ctx, "sam@example.org", "", account.Author, "sam's old password")
				c := m.client()
				r := m.get(c, "/admin/login")
				expect(t, r, 200, `name="password"`)
				if strings.Contains(r.body, "/admin/password/forgot") || strings.Contains(r.body, "Lost your password") {
					t.Error("the login form offers a reset")
				}
				expect(t, m.get(c, "/admin/password/forgot"), http.StatusNotFound, "cannot send e-mail")
				expect(t, m.forgot("", "sam@example.org"), http.StatusNotFound, "cannot send e-mail")
				if n, _ := m.outbox.Pending(ctx); n != 0 {
					t.Errorf("%d messages queued", n)
				}
			})
		})
	}
	// The address set in the settings opens the way.
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := newMailEnv(t, db, mailOpts{noBase: true})
		m.accounts.Create(ctx, "sam@example.org", "", account.Author, "sam's old password")
		st, _ := m.settings.Get(ctx)
		st.BaseURL = "https://blog.example.org"
		if err := m.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		expect(t, m.get(m.client(), "/admin/login"), 200, `href="/admin/password/forgot"`)
		expect(t, m.forgot("", "sam@example.org"), 200, answer)
		msgs := m.deliver()
		if len(msgs) != 1 || !strings.Contains(msgs[0].Data, "https://blog.example.org/admin/password/reset?token=") {
			t.Fatalf("mail: %+v", msgs)
		}
	})
}
