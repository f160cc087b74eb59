package admin

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"marquee/internal/account"
	"marquee/internal/akismet"
	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/media"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

const adminPass = "correct horse battery"

// env is a running admin on a real database.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	accounts *account.Store
	posts    *post.Store
	settings *site.Store
	media    *media.Store
	comments *comment.Store
	spam     *spam.Store
	akismet  *akismet.Store
	privacy  *privacy.Service
	admin    *account.User
}

func newEnv(t *testing.T, db *sqldb.DB, tlsServer bool) *env {
	t.Helper()
	r := markup.New(markup.Options{})
	e := &env{t: t, accounts: account.NewStore(db), posts: post.NewStore(db, r), settings: site.NewStore(db), media: media.NewStore(db),
		comments: comment.NewStore(db, r), spam: spam.NewStore(db)}
	// Moderation through the admin teaches this filter.
	e.comments.Learner = e.spam
	e.akismet = akismet.NewStore(db)
	t.Cleanup(func() { e.akismet.Close(context.Background()) }) // before the database closes
	e.privacy = privacy.New(db, e.comments, e.spam)
	h, err := New(Deps{Accounts: e.accounts, Posts: e.posts, Settings: e.settings, Media: e.media, Comments: e.comments, Renderer: r,
		Akismet: e.akismet, Privacy: e.privacy, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	handler := http.NewCrossOriginProtection().Handler(mux)
	if tlsServer {
		e.srv = httptest.NewTLSServer(handler)
	} else {
		e.srv = httptest.NewServer(handler)
	}
	t.Cleanup(e.srv.Close)
	e.admin, err = e.accounts.Create(context.Background(), "admin@example.org", "Ada Admin", account.Admin, adminPass)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// client is a browser: a cookie jar, no automatic redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if e.srv.TLS != nil {
		c.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	return c
}

type resp struct {
	*http.Response
	body string
}

func (e *env) do(c *http.Client, req *http.Request) resp {
	e.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return resp{res, string(b)}
}

func (e *env) get(c *http.Client, path string) resp {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	return e.do(c, req)
}

// post submits a form as the browser would, from the same origin.
func (e *env) post(c *http.Client, path string, form url.Values) resp {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.do(c, req)
}

func (e *env) login(c *http.Client, email, pw string) resp {
	e.t.Helper()
	return e.post(c, "/admin/login", url.Values{"email": {email}, "password": {pw}})
}

// loggedIn returns a client logged in as the given user.
func (e *env) loggedIn(email, pw string) *http.Client {
	e.t.Helper()
	c := e.client()
	if r := e.login(c, email, pw); r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d %s", email, r.StatusCode, r.body)
	}
	return c
}

func sessionCookie(r resp) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == account.SessionCookie {
			return c
		}
	}
	return nil
}

func expect(t *testing.T, r resp, status int, contains ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
	for _, s := range contains {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s %s: body lacks %q\n%s", r.Request.Method, r.Request.URL.Path, s, r.body)
		}
	}
}

func TestLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.client()

		// The form has the contract's fields.
		r := e.get(c, "/admin/login")
		expect(t, r, 200, `name="email"`, `type="email"`, `name="password"`, `type="password"`)
		if csp := r.Header.Get("Cache-Control"); csp != "no-store" {
			t.Errorf("Cache-Control %q", csp)
		}

		// Unauthenticated pages go to the login form, and back afterwards.
		r = e.get(c, "/admin/posts?type=page")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/login?next="+url.QueryEscape("/admin/posts?type=page") {
			t.Fatalf("unauthenticated GET: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		// Unauthenticated posts are refused outright.
		r = e.post(c, "/admin/posts", url.Values{"title": {"x"}})
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unauthenticated POST: %d", r.StatusCode)
		}

		// Wrong password: the form again, 401, the address kept.
		r = e.login(c, "admin@example.org", "wrong password!")
		expect(t, r, http.StatusUnauthorized, "Wrong e-mail address or password", `value="admin@example.org"`)
		if sessionCookie(r) != nil {
			t.Error("a failed login set a cookie")
		}
		r = e.login(c, "nobody@example.org", adminPass)
		expect(t, r, http.StatusUnauthorized, "Wrong e-mail address or password")

		// Success: cookie attributes, redirect to next.
		r = e.post(c, "/admin/login", url.Values{"email": {"ADMIN@example.org"}, "password": {adminPass}, "next": {"/admin/posts?type=page"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/posts?type=page" {
			t.Fatalf("login: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		ck := sessionCookie(r)
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure ||
			ck.MaxAge != int(account.SessionTTL.Seconds()) {
			t.Fatalf("cookie %+v", ck)
		}
		expect(t, e.get(c, "/admin/"), 200, "Dashboard", "Recent drafts")

		// Rotation: a second login gets another session id.
		r2 := e.login(c, "admin@example.org", adminPass)
		ck2 := sessionCookie(r2)
		if ck2 == nil || ck2.Value == ck.Value {
			t.Fatal("the session id was not rotated")
		}
		// ...and the one it replaced is gone.
		old := e.client()
		u, _ := url.Parse(e.srv.URL)
		old.Jar.SetCookies(u, []*http.Cookie{{Name: account.SessionCookie, Value: ck.Value}})
		if r := e.get(old, "/admin/"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("replaced session still works: %d", r.StatusCode)
		}

		// Logout ends the session in the database, not only in the browser.
		r = e.post(c, "/admin/logout", nil)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout %d", r.StatusCode)
		}
		if _, err := e.accounts.SessionUser(context.Background(), ck2.Value); err == nil {
			t.Error("session survives logout")
		}
		if r := e.get(c, "/admin/"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout: %d", r.StatusCode)
		}
	})
}

func TestLoginNextIsLocal(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "/admin/",
		"/admin/posts?type=page":      "/admin/posts?type=page",
		"https://evil.example":        "/admin/",
		"https://evil.example/admin/": "/admin/",
		"//evil.example/admin/":       "/admin/",
		"/\\evil.example":             "/admin/",
		"/admin/../../x":              "/admin/",
		"/somewhere":                  "/admin/",
		"javascript:alert(1)":         "/admin/",
		"/admin/login":                "/admin/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.client()
		r := e.post(c, "/admin/login", url.Values{"email": {"admin@example.org"}, "password": {adminPass}, "next": {"https://evil.example"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/" {
			t.Fatalf("open redirect: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		// The login form does not carry a foreign next either.
		expect(t, e.get(e.client(), "/admin/login?next=https://evil.example"), 200, `name="next" value="/admin/"`)
	})
}

func TestSecureCookieOverTLS(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, true)
		r := e.login(e.client(), "admin@example.org", adminPass)
		ck := sessionCookie(r)
		if r.StatusCode != http.StatusSeeOther || ck == nil || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Fatalf("%d %+v", r.StatusCode, ck)
		}
	})
}

func TestMustSetPassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		if _, err := e.accounts.Create(context.Background(), "imported@example.org", "", account.Author, ""); err != nil {
			t.Fatal(err)
		}
		r := e.login(e.client(), "imported@example.org", "")
		expect(t, r, http.StatusUnauthorized, "cannot log in until an administrator sets one")
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		form := url.Values{"title": {"Sneaky"}, "status": {"draft"}, "action": {"save"}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/posts", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := e.do(c, req); r.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST: %d", r.StatusCode)
		}
		if _, n, _ := e.posts.List(context.Background(), post.Filter{}); n != 0 {
			t.Fatal("the cross-site post was created")
		}
		if r := e.post(c, "/admin/posts", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("same-origin POST: %d %s", r.StatusCode, r.body)
		}
	})
}

func pngFile(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload sends a file as the editor's script does.
func (e *env) upload(c *http.Client, name string, data []byte, accept string) resp {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.srv.URL)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return e.do(c, req)
}

func TestMediaUpload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)

		r := e.upload(c, "Diagram.png", pngFile(t, 1000, 600), "")
		expect(t, r, http.StatusCreated)
		var got struct {
			ID       int64
			URL      string
			Markdown string
		}
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err, r.body)
		}
		if got.ID == 0 || got.URL != media.URL(got.ID, "original", "diagram.png") || got.Markdown != "![Diagram]("+got.URL+")" && got.Markdown != "![diagram]("+got.URL+")" {
			t.Errorf("%+v", got)
		}
		for name, w := range map[string]int{"original": 1000, "medium": 800, "thumb": 320} {
			v, err := e.media.Variant(context.Background(), got.ID, name)
			if err != nil || v.Width != w || v.Name != name {
				t.Errorf("%s: %+v %v", name, v, err)
			}
		}

		// A JPEG with EXIF GPS data: stored without it, in every size.
		var jb bytes.Buffer
		if err := jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 900, 300)), nil); err != nil {
			t.Fatal(err)
		}
		seg := "Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00GPSLatitude=48.8584N"
		withExif := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, byte(len(seg) + 2)}, seg...)
		withExif = append(withExif, jb.Bytes()[2:]...)
		r = e.upload(c, "IMG_0001.JPG", withExif, "application/json")
		expect(t, r, http.StatusCreated, `"markdown":"![img 0001](/media/`)
		var jm struct{ ID int64 }
		json.Unmarshal([]byte(r.body), &jm)
		for name, w := range map[string]int{"original": 900, "medium": 800, "thumb": 320} {
			v, err := e.media.Variant(context.Background(), jm.ID, name)
			if err != nil || v.Width != w || v.ContentType != "image/jpeg" {
				t.Fatalf("%s: %+v %v", name, v, err)
			}
			if bytes.Contains(v.Data, []byte("GPS")) || bytes.Contains(v.Data, []byte("Exif")) {
				t.Errorf("%s keeps the EXIF/GPS data", name)
			}
		}

		// Not an image: refused with a clear message, whatever its name.
		r = e.upload(c, "evil.png", []byte("<html><script>alert(1)</script></html>"), "application/json")
		expect(t, r, http.StatusBadRequest, "not an image we accept")

		// A plain form goes back to the media page, which lists the snippet.
		r = e.upload(c, "photo.png", pngFile(t, 50, 40), "text/html,application/xhtml+xml")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/media?flash=uploaded" {
			t.Fatalf("form upload: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, e.get(c, "/admin/media?flash=uploaded"), 200, "The image has been uploaded", "![photo](/media/", "diagram.png")

		// Over the body limit: 413 with a page saying so.
		big := make([]byte, maxUpload+1000)
		copy(big, pngFile(t, 10, 10))
		r = e.upload(c, "big.png", big, "text/html")
		expect(t, r, http.StatusRequestEntityTooLarge, "larger than")

		// Logged out: refused.
		expect(t, e.upload(e.client(), "x.png", pngFile(t, 10, 10), ""), http.StatusUnauthorized, `"error"`)
	})
}

func TestFormBodyLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		r := e.post(c, "/admin/preview", url.Values{"body": {strings.Repeat("a", maxForm+10)}})
		expect(t, r, http.StatusRequestEntityTooLarge, "larger than the limit of 2 MiB")
	})
}
