package app_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"marquee/internal/app"
	"marquee/internal/post"
)

// watch records problems of further tabs the same way.
var watch func(ev any)

// browser starts the system Chromium headless, or skips when there is none.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no chromium on this machine: skipping the browser test (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "console: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		}
	}
	if err := chromedp.Listen(ctx, listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	watch = listen
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

// TestReplyAndModerateInChromium: a reader leaves a reply through the real
// form, sees it awaiting moderation, a moderator approves it in the admin,
// and the reader then sees it published. The pages run under their real
// Content-Security-Policy; any script error or CSP violation fails the test.
func TestReplyAndModerateInChromium(t *testing.T) {
	ctx, problems := browser(t)
	bg := context.Background()
	a, err := app.Open(bg, app.Config{DB: filepath.Join(t.TempDir(), "site.db"), AdminEmail: "mod@example.org",
		AdminPassword: "moderator-password-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	if err := a.FirstRun(bg, &strings.Builder{}, srv.URL+"/admin/"); err != nil {
		t.Fatal(err)
	}
	p := &post.Post{Title: "A post to discuss", Body: "Some *words* worth a reply.", Status: post.Published, CommentsOpen: true}
	if err := a.Posts.Create(bg, p); err != nil {
		t.Fatal(err)
	}
	postURL := srv.URL + "/" + p.Slug + "/"

	// The reader.
	err = chromedp.Do(ctx,
		chromedp.Navigate(postURL),
		chromedp.WaitVisible(`#commentform`),
		chromedp.SendKeys(`#comment`, "What a lovely piece. Thank you!"),
		chromedp.SendKeys(`#author`, "Rita Reader"),
		chromedp.SendKeys(`#email`, "rita@example.org"),
		chromedp.Click(`#commentform button[type=submit]`),
		chromedp.WaitVisible(`.comment.held`),
	)
	if err != nil {
		t.Fatal(err)
	}
	held, err := chromedp.Run(ctx, chromedp.Text(`.comment.held`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(held, "awaiting moderation") || !strings.Contains(held, "What a lovely piece") {
		t.Fatalf("the reader does not see their held comment: %q", held)
	}

	// The moderator, in a separate browser profile (no shared cookies).
	mctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Listen(mctx, watch); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(mctx,
		chromedp.Navigate(srv.URL+"/admin/comments"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, "mod@example.org"),
		chromedp.SendKeys(`#password`, "moderator-password-1"),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitVisible(`form.row-actions button[value=approve]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := chromedp.Run(mctx, chromedp.Text(`main`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(mctx,
		chromedp.Click(`form.row-actions button[value=approve]`),
		chromedp.WaitNotPresent(`form.row-actions button[value=approve]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queue, "Rita Reader") {
		t.Fatalf("the queue does not show the comment:\n%s", queue)
	}

	// The reader again, and a stranger: both see it published.
	err = chromedp.Do(ctx, chromedp.Navigate(postURL), chromedp.WaitVisible(`.comment`))
	if err != nil {
		t.Fatal(err)
	}
	published, err := chromedp.Run(ctx, chromedp.Text(`#comments`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(published, "awaiting moderation") || !strings.Contains(published, "What a lovely piece") || !strings.Contains(published, "1 reply") {
		t.Fatalf("after approval the reader sees:\n%s", published)
	}
	if ps := problems(); len(ps) > 0 {
		t.Fatalf("script errors or CSP violations in the pages:\n%s", strings.Join(ps, "\n"))
	}
}
