package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marquee/internal/account"
	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
)

// adminScreen is one admin page to open: a GET of path, or, with submit, a
// form on that page sent by the script (error states, one-time secrets).
type adminScreen struct {
	name    string
	path    string
	submit  string // JavaScript that submits a form of the page
	status  int    // the answer expected; 0: any 2xx
	anon    bool   // before logging in
	preview bool   // then press the editor's "Preview" (rendered in place by script)
}

// TestAdminScreensInChromium opens every admin screen in headless Chromium,
// at phone width (390 px, mobile emulation) and at desktop width, under the
// real Content-Security-Policy. A screen fails when the page is wider than
// the window (horizontal scrolling), when a script error, console error or
// CSP violation happens, or when its status is not the expected one (2xx
// unless the screen is an error state).
func TestAdminScreensInChromium(t *testing.T) {
	ctx, problems := browser(t)
	bg := context.Background()
	s := newXSite(t, "", app.Config{})
	a := s.a

	// Content for every screen: posts, a page, a draft, comments in each
	// state (with a long unbroken address), an image, a second user, an
	// Akismet key and the API token newXSite made.
	long := "https://example.org/" + strings.Repeat("a-very-long-path-segment/", 12) + "?with=query&and=more"
	p := &post.Post{Title: "A post with a long title to see how the tables and cards wrap on a phone", AuthorID: s.userID,
		Body: "Some *words*.\n\n| a | wide | table |\n|---|---|---|\n| " + strings.Repeat("cell ", 30) + " | b | c |\n\n```\n" +
			strings.Repeat("a_long_line_of_code_", 12) + "\n```\n\n" + long,
		Status: post.Published, CommentsOpen: true, Tags: []post.Tag{{Name: "news"}}}
	for _, q := range []*post.Post{p,
		{Title: "About", Type: post.TypePage, Body: "About us.", Status: post.Published, AuthorID: s.userID},
		{Title: "Half written", Body: "Draft.", Status: post.Draft, AuthorID: s.userID}} {
		if err := a.Posts.Create(bg, q); err != nil {
			t.Fatal(err)
		}
	}
	var commentID int64
	for i, st := range []comment.Status{comment.Pending, comment.Pending, comment.Approved, comment.Spam, comment.Trash} {
		c := &comment.Comment{PostID: p.ID, Author: "Bartholomew Featherstonehaugh-Worthington " + strconv.Itoa(i),
			Email: "bartholomew.featherstonehaugh-worthington" + strconv.Itoa(i) + "@a-very-long-domain-name.example.org",
			URL:   long, Content: "A comment with a long address " + long, IP: "192.0.2." + strconv.Itoa(i+1),
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
			Referrer:  long, Status: st, SpamScore: 0.8, HasScore: true, SpamReasons: "contains a link (+3.97)\nlength 256-511 (+1.39)"}
		c.ContentHTML = a.Comments.Render(c.Content)
		if err := a.Comments.Create(bg, c, 5); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			commentID = c.ID
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Media.Upload(bg, s.userID, "a-picture-with-a-rather-long-file-name-from-a-camera.png", &buf); err != nil {
		t.Fatal(err)
	}
	ed, err := a.Accounts.Create(bg, "editor.with.a.long.address@a-very-long-domain-name.example.org", "Eddie Editor", account.Editor, "editor-password-123")
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := a.AkismetKeys.AddKey(bg, "https://a-much-longer-domain-name-for-a-shop.example.co.uk/store/")
	if err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	submit := func(form, setup string) string {
		return `(() => { const f = document.querySelector('` + form + `'); f.noValidate = true; ` + setup + `; f.requestSubmit(); })()`
	}
	screens := []adminScreen{
		{name: "login", path: "/admin/login", anon: true},
		{name: "dashboard", path: "/admin/"},
		{name: "posts", path: "/admin/posts"},
		{name: "pages", path: "/admin/posts?type=page"},
		{name: "posts, nothing found", path: "/admin/posts?q=nothing-matches-this"},
		{name: "new post", path: "/admin/posts/new"},
		{name: "new page", path: "/admin/posts/new?type=page"},
		{name: "edit post", path: "/admin/posts/" + id(p.ID)},
		{name: "edit post with preview", path: "/admin/posts/" + id(p.ID), preview: true},
		{name: "post with errors", path: "/admin/posts/new", status: 422,
			submit: submit("#post-form", `document.getElementById('title').value = ''; document.getElementById('slug').value = 'Bad Slug!'`)},
		{name: "delete post", path: "/admin/posts/" + id(p.ID) + "/delete"},
		{name: "media", path: "/admin/media"},
		{name: "comments", path: "/admin/comments"},
		{name: "approved comments", path: "/admin/comments?status=approved"},
		{name: "spam", path: "/admin/comments?status=spam"},
		{name: "trash", path: "/admin/comments?status=trash"},
		{name: "all comments", path: "/admin/comments?status=all"},
		{name: "comments, nothing found", path: "/admin/comments?status=all&q=nothing-matches-this"},
		{name: "comments of a post", path: "/admin/comments?status=all&post_id=" + id(p.ID)},
		{name: "edit comment", path: "/admin/comments/" + id(commentID)},
		{name: "comment with errors", path: "/admin/comments/" + id(commentID), status: 422,
			submit: submit(`form[action="/admin/comments/`+id(commentID)+`"]`, `document.getElementById('email').value = 'not an address'`)},
		{name: "settings", path: "/admin/settings"},
		{name: "settings with errors", path: "/admin/settings", status: 422,
			submit: submit(`form[action="/admin/settings"]`, `document.getElementById('title').value = ''`)},
		{name: "privacy", path: "/admin/privacy"},
		{name: "privacy with errors", path: "/admin/privacy", status: 422,
			submit: submit(`form[action="/admin/privacy"]`, `document.getElementById('privacy_ip_retention_days').value = '-4'`)},
		{name: "erase confirmation", path: "/admin/privacy/erase?mode=anonymize&email=" +
			"bartholomew.featherstonehaugh-worthington0%40a-very-long-domain-name.example.org"},
		{name: "users", path: "/admin/users"},
		{name: "users with errors", path: "/admin/users", status: 422,
			submit: submit(`form[action="/admin/users"]`, `document.getElementById('new-email').value = 'new@example.org'; `+
				`document.getElementById('new-password').value = 'short'`)},
		{name: "delete user", path: "/admin/users/" + id(ed.ID) + "/delete"},
		{name: "tokens", path: "/admin/tokens"},
		{name: "token created", path: "/admin/tokens",
			submit: submit(`form[action="/admin/tokens"]`, `document.getElementById('token-name').value = 'a token made by the browser test'`)},
		{name: "akismet keys", path: "/admin/akismet"},
		{name: "revoke akismet key", path: "/admin/akismet/" + id(key.ID) + "/revoke"},
		{name: "account", path: "/admin/account"},
		{name: "account with errors", path: "/admin/account", status: 422,
			submit: submit(`form[action="/admin/account/password"]`, `document.getElementById('current_password').value = 'wrong'; `+
				`document.getElementById('new_password').value = 'x'; document.getElementById('confirm_password').value = 'y'`)},
		{name: "missing page", path: "/admin/no-such-screen", status: 404},
		{name: "missing post", path: "/admin/posts/99999999", status: 404},
	}
	anon, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Listen(anon, watch); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/admin/login"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, xAdminEmail),
		chromedp.SendKeys(`#password`, xAdminPW),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitNotPresent(`#password`),
		chromedp.WaitVisible(`main`),
	)
	if err != nil {
		t.Fatal(err)
	}

	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"phone", 390, 844, true}, {"desktop", 1280, 800, false}} {
		for _, c := range []context.Context{ctx, anon} {
			vp := chromedp.EmulateViewport(w.width, w.height)
			if w.mobile {
				vp = chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile)
			}
			if err := chromedp.Do(c, vp); err != nil {
				t.Fatal(err)
			}
		}
		for _, sc := range screens {
			c := ctx
			if sc.anon {
				c = anon
			}
			label := fmt.Sprintf("%s at %d px (%s)", sc.name, w.width, sc.path)
			before := len(problems())
			status, err := adminOpen(c, s.base, sc)
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			switch {
			case sc.status == 0 && (status < 200 || status > 299):
				t.Errorf("%s: status %d, want 2xx", label, status)
			case sc.status != 0 && status != sc.status:
				t.Errorf("%s: status %d, want %d", label, status, sc.status)
			}
			if sc.preview {
				err := chromedp.Do(c, adminJS(`document.getElementById('preview-button').click()`),
					chromedp.WaitVisible(`#preview-section:not([data-empty]) #preview table`))
				if err != nil {
					t.Errorf("%s: the live preview did not appear: %v", label, err)
				}
			}
			tctx, cancel := context.WithTimeout(c, 10*time.Second)
			over, err := chromedp.Run(tctx, chromedp.Evaluate[string](adminOverflowJS))
			cancel()
			if err != nil {
				t.Errorf("%s: %v", label, err)
			} else if over != "" {
				t.Errorf("%s: the page scrolls sideways: %s", label, over)
			}
			for _, p := range problems()[before:] {
				// A page answered on purpose with an error status is
				// logged by Chromium as a failed load: that one is expected.
				if sc.status != 0 && strings.Contains(p, "Failed to load resource") &&
					strings.Contains(p, "status of "+strconv.Itoa(sc.status)) && !strings.Contains(p, "/static/") {
					continue
				}
				t.Errorf("%s: %s", label, p)
			}
		}
	}
}

// adminOpen loads the screen (and sends its form), returning the status of
// the page that ends up shown.
func adminOpen(ctx context.Context, base string, sc adminScreen) (int, error) {
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.Run(tctx, chromedp.NavigateResponse(base+sc.path))
	if err != nil {
		return 0, err
	}
	if sc.submit != "" {
		if res, err = chromedp.RunResponse(tctx, adminJS(sc.submit)); err != nil {
			return 0, fmt.Errorf("submit: %w", err)
		}
	}
	// Let deferred scripts and late layout settle.
	if err := chromedp.Do(tctx, chromedp.WaitReady(`body`), chromedp.Sleep(50*time.Millisecond)); err != nil {
		return 0, err
	}
	return int(res.Status), nil
}

// adminJS runs a script in the page for its effect.
func adminJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}

// adminOverflowJS is "" when the page is no wider than the window, else
// the widths and the elements that stick out (those not inside a
// scrolling box of their own).
const adminOverflowJS = `(() => {
  const d = document.documentElement, cw = d.clientWidth;
  if (d.scrollWidth <= cw) return "";
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= cw + 1) continue;
    let p = el.parentElement, clipped = false;
    for (; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") { clipped = true; break; }
    }
    if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (typeof el.className === "string" && el.className ? "." + el.className.trim().replace(/\s+/g, ".") : "") +
      " (right edge " + Math.round(r.right) + ")");
  }
  return "document " + d.scrollWidth + " px wide in a " + cw + " px window; " + out.slice(0, 6).join(", ");
})()`
