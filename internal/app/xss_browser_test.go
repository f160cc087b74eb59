package app_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
)

// TestXSSInChromium opens pages full of payloads in headless Chromium under
// their real CSP: no dialog may open (alert, confirm, prompt: a payload ran),
// and nothing may go wrong with our own assets. CSP reports of blocked
// inline script or foreign resources are the defence working and are
// allowed, since no dialog opened.
func TestXSSInChromium(t *testing.T) {
	ctx, problems := browser(t)
	payloads := loadXSS(t)
	bg := context.Background()
	s := newXSite(t, "", app.Config{})
	st, err := s.a.Settings.Get(bg)
	if err != nil {
		t.Fatal(err)
	}
	st.Comments.PerPage = 500
	if err := s.a.Settings.Save(bg, st); err != nil {
		t.Fatal(err)
	}

	// One post holding every payload, with an approved comment per payload;
	// a post per payload for the home page; a WordPress HTML post.
	gallery := &post.Post{Title: "Gallery", Body: strings.Join(payloads, "\n\n"), Status: post.Published, CommentsOpen: true, AuthorID: s.userID}
	if err := s.a.Posts.Create(bg, gallery); err != nil {
		t.Fatal(err)
	}
	wp := &post.Post{Title: "WordPress gallery", Body: strings.Join(payloads, "\n"), Format: post.HTML, Status: post.Published,
		CommentsOpen: true, AuthorID: s.userID}
	if err := s.a.Posts.Create(bg, wp); err != nil {
		t.Fatal(err)
	}
	for i, p := range payloads {
		author := []rune(p)
		if len(author) > comment.MaxAuthor {
			author = author[:comment.MaxAuthor]
		}
		c := &comment.Comment{PostID: gallery.ID, Author: string(author), Email: "r" + strconv.Itoa(i) + "@example.org",
			Content: p, ContentHTML: s.a.Comments.Render(p), Status: comment.Approved, IP: "192.0.2.1"}
		if err := s.a.Comments.Create(bg, c, 5); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			title := []rune(p)
			if len(title) > 200 {
				title = title[:200]
			}
			hp := &post.Post{Title: string(title), Body: p, Excerpt: p, Status: post.Published, AuthorID: s.userID,
				Tags: []post.Tag{{Name: "xss"}}}
			if err := s.a.Posts.Create(bg, hp); err != nil {
				t.Fatal(err)
			}
		}
	}

	var mu sync.Mutex
	var dialogs []string
	err = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			dialogs = append(dialogs, string(e.Type)+": "+e.Message+" on "+e.URL)
			mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false}) // or the page hangs
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// The listener must see a dialog when one opens: a probe first.
	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+"/privacy/")); err != nil {
		t.Fatal(err)
	}
	chromedp.Run(ctx, chromedp.Evaluate[any](`setTimeout(() => alert("probe"), 0)`))
	for i := 0; i < 50; i++ {
		mu.Lock()
		n := len(dialogs)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	if len(dialogs) != 1 || !strings.Contains(dialogs[0], "probe") {
		t.Fatalf("the dialog listener did not see the probe: %q", dialogs)
	}
	dialogs = nil
	mu.Unlock()
	pages := 0
	visit := func(path string) {
		t.Helper()
		pages++
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, chromedp.Navigate(s.base+path), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Errorf("open %s: %v", path, err)
		}
		// Hover and focus everything a payload might have hooked.
		chromedp.Run(tctx, chromedp.Evaluate[any](`for (const el of document.querySelectorAll('*')) {
			for (const t of ['mouseover','mouseenter','focus','click']) { try { if (t !== 'click' || el.tagName !== 'A' && el.tagName !== 'BUTTON' && el.type !== 'submit') el.dispatchEvent(new Event(t)); } catch (e) {} }
		}`))
	}
	for _, p := range []string{"/" + gallery.Slug + "/", "/" + wp.Slug + "/", "/", "/tag/xss/", "/search?q=alert",
		"/feed/", "/feed/atom/", "/comments/feed/", "/comments/feed/" + gallery.Slug + "/"} {
		visit(p)
	}
	// The moderator's queue.
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/admin/login"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, xAdminEmail),
		chromedp.SendKeys(`#password`, xAdminPW),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitNotPresent(`#password`), // the login's redirect has landed
		chromedp.WaitVisible(`main`),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/admin/comments?status=all", "/admin/comments?status=approved&page=2", "/admin/", "/admin/posts",
		"/admin/posts/" + strconv.FormatInt(gallery.ID, 10)} {
		visit(p)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, d := range dialogs {
		t.Errorf("a payload ran: dialog %s", d)
	}
	blocked := 0
	for _, p := range problems() {
		ours := strings.Contains(p, "/static/") || strings.HasPrefix(p, "exception")
		switch {
		case ours:
			t.Errorf("our own page or asset failed: %s", p)
		case strings.Contains(p, "Refused to execute inline script") || strings.Contains(p, "Content Security Policy"):
			blocked++
		}
	}
	t.Logf("%d payloads on %d pages: %d dialogs, %d CSP blocks of payload script (the defence working)", len(payloads), pages, len(dialogs), blocked)
}
