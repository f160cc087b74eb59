package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb/sqldbtest"
)

// pathStat counts, for one input path, the payloads pushed through it, the
// ones the site refused (a 4xx: nothing stored), the outputs checked that
// carry them, and what was found.
type pathStat struct {
	pushed, refused, outputs int
	failures                 []string
}

type xssRun struct {
	s     *xsite
	mu    sync.Mutex
	paths map[string]*pathStat
}

func (r *xssRun) stat(path string) *pathStat {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.paths[path]
	if st == nil {
		st = &pathStat{}
		r.paths[path] = st
	}
	return st
}

// record notes that output (a page, feed …) carrying the payloads of paths
// was checked, and files its problems under each of them.
func (r *xssRun) record(output string, paths []string, probs []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range paths {
		st := r.paths[p]
		if st == nil {
			st = &pathStat{}
			r.paths[p] = st
		}
		st.outputs++
		for _, pr := range probs {
			st.failures = append(st.failures, output+": "+pr)
		}
	}
}

// page fetches a page with c and checks it; want is the expected status.
func (r *xssRun) page(c *http.Client, path string, paths []string, want ...int) []byte {
	status, body, _ := r.s.get(c, path)
	var probs []string
	if len(want) == 0 {
		want = []int{http.StatusOK}
	}
	okStatus := false
	for _, w := range want {
		okStatus = okStatus || status == w
	}
	if !okStatus {
		probs = append(probs, fmt.Sprintf("status %d, want %v", status, want))
	}
	if status >= 500 {
		probs = append(probs, "server error")
	}
	probs = append(probs, checkPage(body, r.s.base)...)
	r.record(path, paths, probs)
	return body
}

// feedParts says which input paths fill which part of a feed: "channel"
// (its title), "tagline" (its description), "title" (items' titles), "summary" (RSS
// description, Atom summary), "content".
type feedParts map[string][]string

func (r *xssRun) feed(path string, parts feedParts) {
	status, body, _ := r.s.get(r.s.anon, path)
	var all []string
	for _, ps := range parts {
		all = append(all, ps...)
	}
	if status != http.StatusOK {
		r.record(path, all, []string{fmt.Sprintf("status %d", status)})
	}
	_, fp := checkFeed(body, r.s.base)
	byPart := map[string][]string{}
	for _, p := range fp {
		part := "content"
		head, _, _ := strings.Cut(p, ":")
		switch {
		case head == "channel description" || head == "feed subtitle":
			part = "tagline"
		case strings.HasPrefix(head, "channel") || strings.HasPrefix(head, "feed"):
			part = "channel"
		case strings.HasSuffix(head, " title") || strings.HasSuffix(head, " title holds markup"):
			part = "title"
		case strings.Contains(head, "description") || strings.Contains(head, "summary"):
			part = "summary"
		}
		byPart[part] = append(byPart[part], p)
	}
	seen := map[string]bool{}
	for part, ps := range parts {
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				r.record(path, []string{p}, nil)
			}
			r.fail(path, p, byPart[part])
		}
	}
}

// fail files problems under one input path without counting an output.
func (r *xssRun) fail(output, path string, probs []string) {
	if len(probs) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, pr := range probs {
		r.paths[path].failures = append(r.paths[path].failures, output+": "+pr)
	}
}

// replyFormIntact: what a post holds must not break the page around it;
// the reply form keeps its fields (an unclosed <table> in the body, say,
// would pull them out of the form, and no one could reply).
func (r *xssRun) replyFormIntact(path string, body []byte, paths []string) {
	_, v, ok := replyForm(body)
	var probs []string
	if !ok || v.Get("post_id") == "" || v.Get("token") == "" {
		probs = append(probs, fmt.Sprintf("the reply form lost its fields (post_id, token) in the parsed page: user markup is not balanced (found %v)", v))
	}
	for _, p := range paths {
		r.fail(path, p, probs)
	}
}

// listing checks a paginated listing page by page.
func (r *xssRun) listing(c *http.Client, first string, paths []string) int {
	seen := map[string]bool{first: true}
	queue := []string{first}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		body := r.page(c, p, paths)
		for _, l := range pageLinks(body, p, r.s.base) {
			if !seen[l] {
				seen[l] = true
				queue = append(queue, l)
			}
		}
	}
	return len(seen)
}

// parallel runs fn(i) for i in [0,n) on a few goroutines.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

var commentIDRe = regexp.MustCompile(`#comment-(\d+)$`)

// Input paths, as reported.
const (
	pTitle, pBody, pExcerpt, pTags = "post title (API)", "post body (API)", "post excerpt (API)", "post tags (API)"
	pPageTitle, pPageBody          = "page title (API)", "page body (API)"
	pHTML                          = "WordPress HTML body (post.Format html)"
	pAuthor, pURL, pContent        = "comment author (form)", "comment URL (form)", "comment content (form)"
	pSiteTitle, pTagline           = "site title (settings)", "tagline (settings)"
	pSearch                        = "search query (?q=)"
)

// TestXSSEverywhere pushes every payload of the corpus (fixture.XSS) through every
// input path of a running site and checks every output for anything that
// could run script. With MARQUEE_TEST_POSTGRES set, a subset (every 4th
// payload) runs on PostgreSQL too.
func TestXSSEverywhere(t *testing.T) {
	payloads := loadXSS(t)
	if len(payloads) < 200 {
		t.Fatalf("the corpus has %d payloads; want at least 200", len(payloads))
	}
	t.Run("sqlite", func(t *testing.T) { xssEverywhere(t, "", payloads) })
	if base := os.Getenv(sqldbtest.EnvPostgres); base != "" {
		var sub []string
		for i := 0; i < len(payloads); i += 4 {
			sub = append(sub, payloads[i])
		}
		t.Run("postgres", func(t *testing.T) { xssEverywhere(t, sqldbtest.PostgresSchema(t, base), sub) })
	}
}

type xEntry struct {
	postID, pageID, htmlID int64
	postSlug, pageSlug     string
	htmlSlug               string
	tagSlugs               []string
	htmlTag                string
	comments               []int64
	tagsStored             bool
}

func xssEverywhere(t *testing.T, dsn string, payloads []string) {
	start := time.Now()
	ctx := context.Background()
	// Behind a trusted proxy, each reader has an address of their own (the
	// comment throttle counts per address).
	s := newXSite(t, dsn, app.Config{TrustedProxies: "127.0.0.1/32,::1/128"})
	s.login()
	r := &xssRun{s: s, paths: map[string]*pathStat{}}

	// The checker must pass our own pages: a clean site first.
	st, err := s.a.Settings.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clean := &post.Post{Title: "Clean", Body: "Plain *words*.", Status: post.Published, CommentsOpen: true,
		Tags: []post.Tag{{Name: "clean"}}, AuthorID: s.userID}
	if err := s.a.Posts.Create(ctx, clean); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/" + clean.Slug + "/", "/tag/clean/", "/search?q=plain", "/privacy/", "/no-such-page/",
		"/admin/", "/admin/posts", "/admin/posts/" + strconv.FormatInt(clean.ID, 10), "/admin/comments", "/admin/settings"} {
		want := http.StatusOK
		if p == "/no-such-page/" {
			want = http.StatusNotFound
		}
		status, body, _ := s.get(s.admin, p)
		if status != want {
			t.Fatalf("baseline %s: status %d", p, status)
		}
		if probs := checkPage(body, s.base); len(probs) > 0 {
			t.Fatalf("the checker flags our own page %s (fix the checker or the template):\n%s", p, strings.Join(probs, "\n"))
		}
	}

	// Rules that let every comment through to the page (the filter and the
	// link limit would otherwise hold or drop some), and all posts on few
	// home pages.
	st.PostsPerPage = 100
	st.Comments.SpamFilter, st.Comments.HoldFirstTime, st.Comments.MaxLinks = false, false, 100
	st.Comments.DiscardBlatant, st.Comments.PerPage = false, 500
	if err := s.a.Settings.Save(ctx, st); err != nil {
		t.Fatal(err)
	}

	// Push.
	es := make([]xEntry, len(payloads))
	for _, p := range []string{pTitle, pBody, pExcerpt, pTags, pPageTitle, pPageBody, pHTML, pAuthor, pURL, pContent} {
		r.stat(p)
	}
	parallel(len(payloads), func(i int) {
		p := payloads[i]
		e := &es[i]
		// A post through the API: title, body, excerpt and tags.
		var out struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		}
		in := map[string]any{"title": p, "body": p + "\n\nxsscorpus", "excerpt": p, "tags": []string{p, "xss"},
			"status": "published", "type": "post", "comments_open": true}
		code := s.api("POST", "/api/v1/posts", in, &out)
		e.tagsStored = code == http.StatusCreated
		if code == http.StatusBadRequest { // a tag of no letters, say: try without it
			in["tags"] = []string{"xss"}
			code = s.api("POST", "/api/v1/posts", in, &out)
			r.stat(pTags).refused++
		}
		for _, path := range []string{pTitle, pBody, pExcerpt, pTags} {
			r.stat(path).pushed++
		}
		if code != http.StatusCreated {
			r.record("POST /api/v1/posts", []string{pTitle}, []string{fmt.Sprintf("payload %d: status %d", i, code)})
			return
		}
		e.postID, e.postSlug = out.ID, out.Slug
		if e.tagsStored {
			if sp, err := s.a.Posts.ByID(ctx, out.ID); err == nil {
				for _, tg := range sp.Tags {
					e.tagSlugs = append(e.tagSlugs, tg.Slug)
				}
			}
		}
		// A page.
		code = s.api("POST", "/api/v1/posts", map[string]any{"title": p, "body": p, "type": "page", "status": "published"}, &out)
		r.stat(pPageTitle).pushed++
		r.stat(pPageBody).pushed++
		if code == http.StatusCreated {
			e.pageID, e.pageSlug = out.ID, out.Slug
		} else {
			r.record("POST /api/v1/posts (page)", []string{pPageTitle}, []string{fmt.Sprintf("payload %d: status %d", i, code)})
		}
		// A WordPress-format HTML body.
		hp := &post.Post{Title: "WordPress " + strconv.Itoa(i), Body: p, Format: post.HTML, Excerpt: "", Status: post.Published,
			CommentsOpen: true, AuthorID: s.userID, Tags: []post.Tag{{Name: "wp " + strconv.Itoa(i)}}}
		r.stat(pHTML).pushed++
		if err := s.a.Posts.Create(ctx, hp); err != nil {
			r.record("post.Store.Create (html)", []string{pHTML}, []string{fmt.Sprintf("payload %d: %v", i, err)})
		} else {
			e.htmlID, e.htmlSlug, e.htmlTag = hp.ID, hp.Slug, hp.Tags[0].Slug
		}
		// Comments through the real reply form, as a browser sends them.
		c := newClient(t)
		for _, f := range []struct {
			paths                 []string
			author, link, content string
		}{
			{[]string{pAuthor, pContent}, p, "", p},
			{[]string{pURL}, "Uri Link " + strconv.Itoa(i), p, "A reply with a website, " + strconv.Itoa(i) + "."},
		} {
			for _, path := range f.paths {
				r.stat(path).pushed++
			}
			status, body, _ := s.get(c, "/"+e.postSlug+"/")
			action, v, ok := replyForm(body)
			if status != http.StatusOK || !ok {
				r.record("GET post for its form", f.paths, []string{fmt.Sprintf("payload %d: status %d, form found %v", i, status, ok)})
				continue
			}
			v.Set("author", f.author)
			v.Set("email", "reader"+strconv.Itoa(i)+"@example.org")
			v.Set("url", f.link)
			v.Set("comment", f.content)
			target, _ := url.Parse(s.base + "/" + e.postSlug + "/")
			au, _ := target.Parse(action)
			req, _ := http.NewRequest("POST", au.String(), strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
			res, err := c.Do(req)
			if err != nil {
				t.Error(err)
				continue
			}
			rb := readAll(res)
			switch res.StatusCode {
			case http.StatusSeeOther:
				m := commentIDRe.FindStringSubmatch(res.Header.Get("Location"))
				if m == nil {
					r.record("POST /comments", f.paths, []string{fmt.Sprintf("payload %d: redirected to %s with no comment", i, res.Header.Get("Location"))})
					continue
				}
				id, _ := strconv.ParseInt(m[1], 10, 64)
				r.mu.Lock()
				e.comments = append(e.comments, id)
				r.mu.Unlock()
			case http.StatusUnprocessableEntity, http.StatusBadRequest:
				// Refused: the form is shown again with what was typed in it.
				for _, path := range f.paths {
					r.stat(path).refused++
				}
				probs := checkPage(rb, s.base)
				r.record("POST /comments (form shown again)", f.paths, probs)
			default:
				r.record("POST /comments", f.paths, []string{fmt.Sprintf("status %q for payload %d", http.StatusText(res.StatusCode), i)})
			}
		}
	})
	var all []int64
	for _, e := range es {
		all = append(all, e.comments...)
	}
	if _, err := s.a.Comments.SetStatus(ctx, all, comment.Approved); err != nil {
		t.Fatal(err)
	}
	pushed := time.Since(start)

	// Check, payload by payload.
	postPaths := []string{pTitle, pBody, pExcerpt, pTags}
	var tagsSeen sync.Map
	commentFeed := feedParts{"channel": {pTitle}, "title": {pTitle}, "summary": {pContent, pURL}, "content": {pContent, pURL}}
	parallel(len(payloads), func(i int) {
		e := es[i]
		if e.postID == 0 {
			return
		}
		cpaths := append(append([]string(nil), postPaths...), pAuthor, pURL, pContent)
		body := r.page(s.anon, "/"+e.postSlug+"/", cpaths)
		r.replyFormIntact("/"+e.postSlug+"/", body, postPaths)
		r.page(s.admin, "/"+e.postSlug+"/", cpaths) // as its moderator sees it
		for _, tg := range e.tagSlugs {
			if _, dup := tagsSeen.LoadOrStore(tg, true); dup {
				continue // a tag many posts share ("xss"): once is enough
			}
			r.page(s.anon, "/tag/"+tg+"/", postPaths)
			r.feed("/tag/"+tg+"/feed/", feedParts{"channel": {pTags}, "title": {pTitle}, "summary": {pExcerpt}, "content": {pBody}})
		}
		r.feed("/comments/feed/"+e.postSlug+"/", commentFeed)
		r.page(s.anon, "/search?q="+url.QueryEscape(payloads[i]), []string{pSearch})
		r.page(s.admin, "/admin/posts/"+strconv.FormatInt(e.postID, 10), postPaths)
		for _, id := range e.comments {
			r.page(s.admin, "/admin/comments/"+strconv.FormatInt(id, 10), []string{pAuthor, pURL, pContent, pTitle})
		}
		if e.pageID != 0 {
			r.page(s.anon, "/"+e.pageSlug+"/", []string{pPageTitle, pPageBody})
			r.page(s.admin, "/admin/posts/"+strconv.FormatInt(e.pageID, 10), []string{pPageTitle, pPageBody})
		}
		if e.htmlID != 0 {
			body := r.page(s.anon, "/"+e.htmlSlug+"/", []string{pHTML})
			r.replyFormIntact("/"+e.htmlSlug+"/", body, []string{pHTML})
			r.feed("/tag/"+e.htmlTag+"/feed/", feedParts{"summary": {pHTML}, "content": {pHTML}})
			r.page(s.admin, "/admin/posts/"+strconv.FormatInt(e.htmlID, 10), []string{pHTML})
		}
	})
	r.stat(pSearch).pushed = len(payloads)
	every := []string{pTitle, pBody, pExcerpt, pTags, pPageTitle, pPageBody, pHTML}
	withComments := append(append([]string(nil), every...), pAuthor, pURL, pContent)
	home := r.listing(s.anon, "/", every)
	search := r.listing(s.anon, "/search?q=xsscorpus", postPaths)
	for _, f := range []string{"/feed/", "/feed/atom/"} {
		r.feed(f, feedParts{"title": {pTitle}, "summary": {pExcerpt, pHTML}, "content": {pBody, pHTML}})
	}
	r.feed("/comments/feed/", commentFeed)
	status, body, _ := s.get(s.anon, "/sitemap.xml")
	_, sp := checkSitemap(body, s.base)
	if status != http.StatusOK {
		sp = append(sp, fmt.Sprintf("status %d", status))
	}
	r.record("/sitemap.xml", every, sp)
	r.page(s.admin, "/admin/", withComments)
	adminPosts := r.listing(s.admin, "/admin/posts", every)
	adminPages := r.listing(s.admin, "/admin/posts?type=page", every)
	queue := r.listing(s.admin, "/admin/comments?status=all", withComments)
	r.listing(s.admin, "/admin/comments?status=approved", withComments)
	t.Logf("listings: %d home pages, %d search pages, %d admin post-list pages, %d page-list pages, %d comment-queue pages",
		home, search, adminPosts, adminPages, queue)

	// Settings: site title and tagline, one payload at a time.
	for _, p := range []string{pSiteTitle, pTagline} {
		r.stat(p)
	}
	for i, p := range payloads {
		st.Title, st.Tagline = p, p
		if len([]rune(p)) > 200 {
			st.Title = string([]rune(p)[:200])
		}
		r.stat(pSiteTitle).pushed++
		r.stat(pTagline).pushed++
		if err := s.a.Settings.Save(ctx, st); err != nil {
			r.stat(pSiteTitle).refused++
			r.stat(pTagline).refused++
			continue
		}
		paths := []string{pSiteTitle, pTagline}
		r.page(s.anon, "/privacy/", paths)
		r.page(s.anon, "/no-such-page-"+strconv.Itoa(i)+"/", paths, http.StatusNotFound)
		for _, f := range []string{"/feed/", "/feed/atom/", "/comments/feed/"} {
			r.feed(f, feedParts{"channel": {pSiteTitle}, "tagline": {pTagline}})
		}
		r.page(s.admin, "/admin/", paths)
		if i%25 == 0 {
			r.page(s.anon, "/", paths)
			r.page(s.anon, "/"+es[i].postSlug+"/", paths)
		}
	}

	// Report.
	names := make([]string, 0, len(r.paths))
	for n := range r.paths {
		names = append(names, n)
	}
	sort.Strings(names)
	var rep strings.Builder
	fmt.Fprintf(&rep, "%d payloads; pushed in %v, all done in %v\n", len(payloads), pushed.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(&rep, "%-40s %7s %7s %8s %8s\n", "input path", "pushed", "refused", "outputs", "failures")
	for _, n := range names {
		st := r.paths[n]
		fmt.Fprintf(&rep, "%-40s %7d %7d %8d %8d\n", n, st.pushed, st.refused, st.outputs, len(st.failures))
	}
	t.Log("\n" + rep.String())
	for _, n := range names {
		for _, g := range groupFailures(r.paths[n].failures) {
			t.Errorf("%s: %d× %s\n\te.g. %s", n, g.n, g.kind, g.example)
		}
	}
}

type failGroup struct {
	kind, example string
	n             int
}

var (
	numRe     = regexp.MustCompile(`\d+`)
	slugRe    = regexp.MustCompile(`^/(tag|comments/feed)/[^/]+/`)
	postRe    = regexp.MustCompile(`^/[^/]+/$`)
	snippetRe = regexp.MustCompile(` at [^ ]+: .*$|: ".*$|: <.*$`)
)

// groupFailures folds failures of the same kind (output pattern and
// problem, without numbers, slugs and payload) into one line each.
func groupFailures(fs []string) []failGroup {
	idx := map[string]int{}
	var out []failGroup
	for _, f := range fs {
		output, prob, _ := strings.Cut(f, ": ")
		o := output
		switch {
		case strings.HasPrefix(o, "/search?q=xsscorpus"):
		case strings.HasPrefix(o, "/search"):
			o = "/search?q={payload}"
		case strings.HasPrefix(o, "/admin/"):
		case o == "/feed/" || o == "/feed/atom/" || o == "/comments/feed/" || o == "/" || strings.HasPrefix(o, "/?"):
		case slugRe.MatchString(o):
			o = slugRe.ReplaceAllString(o, "/$1/{slug}/")
		case postRe.MatchString(o):
			o = "/{post}/"
		case strings.HasPrefix(o, "/no-such-page"):
			o = "/{404}/"
		}
		o = numRe.ReplaceAllString(o, "N")
		reason := snippetRe.ReplaceAllString(prob, "")
		if head, _, ok := strings.Cut(prob, ": "); ok && (strings.HasSuffix(head, "description") || strings.HasSuffix(head, "content") || strings.HasSuffix(head, "summary")) {
			reason = head + ": unsafe HTML" // one line for all the ways it is unsafe
		}
		k := o + " → " + numRe.ReplaceAllString(reason, "N")
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, failGroup{kind: k, example: trunc(f, 300)})
		}
		out[i].n++
	}
	return out
}

// readAll reads and closes a response body.
func readAll(res *http.Response) []byte {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return []byte(b.String())
}

var _ = site.Defaults
