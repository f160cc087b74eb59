package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/notify"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/throttle"
	"marquee/internal/web"
)

// outbox stands in for the mail queue: it keeps what would be sent.
type outbox struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (o *outbox) Enqueue(_ context.Context, m notify.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

func (o *outbox) sent() []notify.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]notify.Message(nil), o.msgs...)
}

type privacyOpts struct {
	mail    bool
	noBase  bool // no site address configured
	limit   *throttle.Limiter
	contact string
}

// privacySite serves ts with the privacy service, a mail queue and the
// site's address configured. A request's X-Test-Client header stands for
// its client's IP address, so that throttling can tell clients apart.
func privacySite(t *testing.T, db *sqldb.DB, o privacyOpts) (*testSite, *outbox, *privacy.Service) {
	t.Helper()
	ts := newSite(t, db)
	svc := privacy.New(db, ts.comments, ts.spam)
	if o.contact != "" {
		pol := privacy.DefaultPolicy()
		pol.Contact = o.contact
		if err := svc.SavePolicy(context.Background(), pol); err != nil {
			t.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := r.Header.Get("X-Test-Client"); c != "" {
			r.RemoteAddr = c + ":4242"
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ob := &outbox{}
	d := web.Deps{Posts: ts.posts, Settings: ts.settings, Sessions: ts.accounts, Comments: ts.comments, Spam: ts.spam,
		Privacy: svc, Mail: o.mail, Outbox: ob, CommentLimit: o.limit, BaseURL: srv.URL,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Now().Add(time.Duration(ts.offset.Load())) }}
	if o.noBase {
		d.BaseURL = ""
	}
	h, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	h.Routes(mux)
	ts.srv, ts.handler = srv, mux
	return ts, ob, svc
}

// send posts a form as a given client (an IP address).
func send(t *testing.T, ts *testSite, path, client string, vals url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.srv.URL+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if client != "" {
		req.Header.Set("X-Test-Client", client)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func ask(t *testing.T, ts *testSite, email, what string) (*http.Response, string) {
	t.Helper()
	return send(t, ts, "/privacy/request", "", url.Values{"email": {email}, "ask": {what}})
}

var confirmLink = regexp.MustCompile(`https?://\S+/privacy/confirm\?\S+`)

// link is the confirmation link in the last message, as a path.
func link(t *testing.T, ts *testSite, ob *outbox, to string) string {
	t.Helper()
	msgs := ob.sent()
	if len(msgs) == 0 {
		t.Fatal("no message queued")
	}
	m := msgs[len(msgs)-1]
	if m.To != to {
		t.Fatalf("message to %q, want %q", m.To, to)
	}
	l := confirmLink.FindString(m.Body)
	if !strings.HasPrefix(l, ts.srv.URL+"/privacy/confirm?") {
		t.Fatalf("no confirmation link to the site in:\n%s", m.Body)
	}
	return strings.TrimPrefix(l, ts.srv.URL)
}

func seedComments(t *testing.T, ts *testSite) (*post.Post, []*comment.Comment) {
	t.Helper()
	ctx := context.Background()
	p := ts.create(t, &post.Post{Title: "Talk", Body: "x", CommentsOpen: true})
	var cs []*comment.Comment
	for _, c := range []*comment.Comment{
		{Author: "Kim", Email: "kim@example.org", Content: "Kim's first words", IP: "192.0.2.7", UserAgent: "KimBrowser"},
		{Author: "Kim", Email: "kim@example.org", Content: "Kim again", IP: "192.0.2.7", UserAgent: "KimBrowser"},
		{Author: "Lee", Email: "lee@example.org", Content: "Lee's words"},
	} {
		c.PostID, c.Status = p.ID, comment.Approved
		if err := ts.comments.Create(ctx, c, 5); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return p, cs
}

func TestPrivacyRequestExport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts, ob, svc := privacySite(t, db, privacyOpts{mail: true})
		seedComments(t, ts)

		code, page, hdr := ts.get(t, "/privacy/")
		if code != 200 || !strings.Contains(page, `href="`+ts.srv.URL+`/privacy/request"`) {
			t.Fatalf("privacy page does not link the request form: %d", code)
		}
		code, page, hdr = ts.get(t, "/privacy/request")
		if code != 200 || !strings.Contains(page, `name="email"`) || !strings.Contains(page, "Send me a copy of my comments") ||
			!strings.Contains(page, "Erase my comments: keep their text as “Anonymous”") || !strings.Contains(page, "Erase my comments: delete them") {
			t.Fatalf("request form: %d\n%s", code, page)
		}
		if !strings.Contains(hdr.Get("Cache-Control"), "no-store") {
			t.Errorf("request form Cache-Control %q", hdr.Get("Cache-Control"))
		}

		res, page := ask(t, ts, " Kim@Example.org ", "export")
		if res.StatusCode != 200 || !strings.Contains(page, "If this address has comments here, a message is on its way") {
			t.Fatalf("request: %d\n%s", res.StatusCode, page)
		}
		path := link(t, ts, ob, "kim@example.org")

		code, page, hdr = ts.get(t, path)
		if code != 200 || !strings.Contains(page, "Download my comments") || !strings.Contains(page, "kim@example.org") {
			t.Fatalf("confirm page: %d\n%s", code, page)
		}
		if !strings.Contains(hdr.Get("Cache-Control"), "no-store") {
			t.Errorf("confirm page Cache-Control %q", hdr.Get("Cache-Control"))
		}
		if log, _ := svc.Audit(ctx, 10); len(log) != 0 {
			t.Fatalf("a GET of the link acted (mail scanners follow links): %+v", log)
		}

		res, page = send(t, ts, path, "", url.Values{})
		if res.StatusCode != 200 || res.Header.Get("Content-Disposition") != `attachment; filename="my-comments.json"` ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("export: %d %q\n%s", res.StatusCode, res.Header.Get("Content-Disposition"), page)
		}
		var doc privacy.Document
		if err := json.Unmarshal([]byte(page), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Email != "kim@example.org" || len(doc.Comments) != 2 || doc.Comments[0].Content != "Kim's first words" ||
			doc.Comments[1].Content != "Kim again" || doc.Comments[0].IP != "192.0.2.7" {
			t.Fatalf("export document: %+v", doc)
		}
		if strings.Contains(page, "Lee's words") {
			t.Fatal("export holds someone else's comment")
		}
	})
}

func TestPrivacyRequestErase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts, ob, _ := privacySite(t, db, privacyOpts{mail: true})
		_, cs := seedComments(t, ts)

		ask(t, ts, "kim@example.org", "anonymize")
		path := link(t, ts, ob, "kim@example.org")
		if code, page, _ := ts.get(t, path); code != 200 || !strings.Contains(page, "Anonymise my comments") {
			t.Fatalf("confirm page: %d\n%s", code, page)
		}
		if c, _ := ts.comments.ByID(ctx, cs[0].ID); c.Author != "Kim" || c.Email != "kim@example.org" {
			t.Fatal("a GET of the link erased")
		}
		res, page := send(t, ts, path, "", url.Values{})
		if res.StatusCode != 200 || !strings.Contains(page, "2 comments anonymised") {
			t.Fatalf("anonymise: %d\n%s", res.StatusCode, page)
		}
		for _, c := range cs[:2] {
			got, err := ts.comments.ByID(ctx, c.ID)
			if err != nil || got.Author != privacy.AnonymousAuthor || got.Email != "" || got.IP != "" || got.Content != c.Content {
				t.Fatalf("comment %d after anonymising: %+v %v", c.ID, got, err)
			}
		}
		if got, _ := ts.comments.ByID(ctx, cs[2].ID); got.Author != "Lee" || got.Email != "lee@example.org" {
			t.Fatal("someone else's comment changed")
		}

		// Delete, for Lee.
		ask(t, ts, "lee@example.org", "delete")
		path = link(t, ts, ob, "lee@example.org")
		if code, page, _ := ts.get(t, path); code != 200 || !strings.Contains(page, "Delete my comments") {
			t.Fatalf("confirm page: %d\n%s", code, page)
		}
		if _, err := ts.comments.ByID(ctx, cs[2].ID); err != nil {
			t.Fatal("a GET of the link deleted")
		}
		res, page = send(t, ts, path, "", url.Values{})
		if res.StatusCode != 200 || !strings.Contains(page, "1 comment deleted") {
			t.Fatalf("delete: %d\n%s", res.StatusCode, page)
		}
		if _, err := ts.comments.ByID(ctx, cs[2].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("Lee's comment still there: %v", err)
		}
	})
}

func TestPrivacyLinkRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts, ob, _ := privacySite(t, db, privacyOpts{mail: true})
		_, cs := seedComments(t, ts)
		ask(t, ts, "kim@example.org", "delete")
		path := link(t, ts, ob, "kim@example.org")

		forged := strings.Replace(path, "kim%40example.org", "lee%40example.org", 1)
		noSig := regexp.MustCompile(`&?sig=[^&]*`).ReplaceAllString(path, "")
		otherAsk := strings.Replace(path, "ask=delete", "ask=export", 1)
		for name, p := range map[string]string{"other address": forged, "no signature": noSig, "other request": otherAsk} {
			if p == path {
				t.Fatalf("%s: the link was not changed", name)
			}
			code, page, _ := ts.get(t, p)
			if code != 400 || !strings.Contains(page, "damaged or incomplete") {
				t.Errorf("%s, GET: %d", name, code)
			}
			if res, _ := send(t, ts, p, "", url.Values{}); res.StatusCode != 400 {
				t.Errorf("%s, POST: %d", name, res.StatusCode)
			}
		}

		ts.offset.Add(int64(24*time.Hour + time.Minute))
		code, page, _ := ts.get(t, path)
		if code != 400 || !strings.Contains(page, "expired") || !strings.Contains(page, `name="email"`) {
			t.Errorf("expired link, GET: %d\n%s", code, page)
		}
		if res, _ := send(t, ts, path, "", url.Values{}); res.StatusCode != 400 {
			t.Errorf("expired link, POST: %d", res.StatusCode)
		}
		for _, c := range cs {
			if _, err := ts.comments.ByID(ctx, c.ID); err != nil {
				t.Fatalf("comment %d gone after refused links: %v", c.ID, err)
			}
		}
	})
}

// The answer does not tell whether an address has comments here.
func TestPrivacyRequestSameAnswer(t *testing.T) {
	ts, ob, _ := privacySite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), privacyOpts{mail: true})
	seedComments(t, ts)
	known, a := ask(t, ts, "kim@example.org", "export")
	unknown, b := ask(t, ts, "nobody@example.org", "export")
	a = strings.ReplaceAll(a, "kim@example.org", "ADDRESS")
	b = strings.ReplaceAll(b, "nobody@example.org", "ADDRESS")
	if known.StatusCode != unknown.StatusCode || a != b {
		t.Fatalf("answers differ: %d and %d", known.StatusCode, unknown.StatusCode)
	}
	if n := len(ob.sent()); n != 2 {
		t.Fatalf("%d messages, want one to each address", n)
	}
}

func TestPrivacyRequestWithoutMail(t *testing.T) {
	for name, o := range map[string]privacyOpts{
		"no mail":         {contact: "privacy@blog.example"},
		"no site address": {mail: true, noBase: true, contact: "privacy@blog.example"},
	} {
		t.Run(name, func(t *testing.T) {
			ts, ob, _ := privacySite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), o)
			seedComments(t, ts)
			code, page, _ := ts.get(t, "/privacy/request")
			if code != 200 || !strings.Contains(page, `href="mailto:privacy@blog.example"`) || strings.Contains(page, `name="email"`) ||
				!strings.Contains(page, "nothing is done automatically") {
				t.Fatalf("request page: %d\n%s", code, page)
			}
			res, page := ask(t, ts, "kim@example.org", "delete")
			if res.StatusCode != 200 || !strings.Contains(page, "privacy@blog.example") || strings.Contains(page, "on its way") {
				t.Fatalf("request: %d\n%s", res.StatusCode, page)
			}
			if n := len(ob.sent()); n != 0 {
				t.Fatalf("%d messages queued", n)
			}
		})
	}
	// No contact address published: the page says so.
	ts, _, _ := privacySite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), privacyOpts{})
	if _, page, _ := ts.get(t, "/privacy/request"); !strings.Contains(page, "has not published a contact address") {
		t.Fatalf("no contact:\n%s", page)
	}
}

func TestPrivacyRequestThrottled(t *testing.T) {
	ts, ob, _ := privacySite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), privacyOpts{mail: true, limit: throttle.New(time.Hour, 2)})
	form := func(email string) url.Values { return url.Values{"email": {email}, "ask": {"export"}} }
	// Per client: a third request from one client is refused, whatever the address.
	for _, e := range []string{"a@example.org", "b@example.org"} {
		if res, _ := send(t, ts, "/privacy/request", "198.51.100.1", form(e)); res.StatusCode != 200 {
			t.Fatalf("%s: %d", e, res.StatusCode)
		}
	}
	res, page := send(t, ts, "/privacy/request", "198.51.100.1", form("c@example.org"))
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || !strings.Contains(page, "Please wait") ||
		!strings.Contains(page, `value="c@example.org"`) {
		t.Fatalf("client flood: %d Retry-After=%q\n%s", res.StatusCode, res.Header.Get("Retry-After"), page)
	}
	// Per address: requests from many clients for one address.
	for _, client := range []string{"198.51.100.2", "198.51.100.3"} {
		if res, _ := send(t, ts, "/privacy/request", client, form("victim@example.org")); res.StatusCode != 200 {
			t.Fatalf("from %s: %d", client, res.StatusCode)
		}
	}
	res, page = send(t, ts, "/privacy/request", "198.51.100.4", form("victim@example.org"))
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || !strings.Contains(page, "A link was sent to this address") {
		t.Fatalf("address flood: %d Retry-After=%q\n%s", res.StatusCode, res.Header.Get("Retry-After"), page)
	}
	if n := len(ob.sent()); n != 4 {
		t.Fatalf("%d messages queued, want 4", n)
	}
}

func TestPrivacyRequestHostileInput(t *testing.T) {
	ts, ob, _ := privacySite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), privacyOpts{mail: true})
	for _, e := range []string{`<script>alert(1)</script>@example.org`, `"><img src=x onerror=alert(1)>`,
		"kim@example.org\r\nBcc: all@example.org", "Kim <kim@example.org>"} {
		res, page := ask(t, ts, e, "export")
		if res.StatusCode != 422 || strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") ||
			!strings.Contains(page, "not a valid e-mail address") {
			t.Errorf("%q: %d\n%s", e, res.StatusCode, page)
		}
	}
	if res, _ := ask(t, ts, "kim@example.org", "everything"); res.StatusCode != 422 {
		t.Errorf("unknown request: %d", res.StatusCode)
	}
	if n := len(ob.sent()); n != 0 {
		t.Fatalf("%d messages queued for invalid input", n)
	}
}
