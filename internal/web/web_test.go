package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/fixture"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
)

type testSite struct {
	srv      *httptest.Server
	handler  http.Handler
	comments *comment.Store
	spam     *spam.Store
	offset   atomic.Int64 // added to the clock: readers "type" by moving it
	posts    *post.Store
	accounts *account.Store
	settings *site.Store
	author   *account.User
}

func newSite(t *testing.T, db *sqldb.DB) *testSite { return newSiteTB(t, db) }

func newSiteTB(t testing.TB, db *sqldb.DB) *testSite {
	t.Helper()
	ctx := context.Background()
	md := markup.New(markup.Options{})
	ts := &testSite{posts: post.NewStore(db, md), accounts: account.NewStore(db), settings: site.NewStore(db), comments: comment.NewStore(db, md)}
	var err error
	ts.author, err = ts.accounts.Create(ctx, "ada@example.com", "Ada Lovelace", account.Author, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	ts.spam = spam.NewStore(db)
	ts.comments.Learner = ts.spam
	h, err := web.New(web.Deps{Posts: ts.posts, Settings: ts.settings, Sessions: ts.accounts, Comments: ts.comments, Spam: ts.spam,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Now().Add(time.Duration(ts.offset.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	ts.handler = mux
	ts.srv = httptest.NewServer(mux)
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *testSite) create(t *testing.T, p *post.Post) *post.Post { return ts.createTB(t, p) }

func (ts *testSite) createTB(t testing.TB, p *post.Post) *post.Post {
	t.Helper()
	if p.AuthorID == 0 {
		p.AuthorID = ts.author.ID
	}
	if p.Status == "" {
		p.Status = post.Published
	}
	if err := ts.posts.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (ts *testSite) get(t *testing.T, path string, cookies ...*http.Cookie) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.srv.URL+path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestPublicPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		now := time.Now().UTC()
		pub := ts.create(t, &post.Post{Title: "Jazz & <Dreams>", Body: "One line\nnext line\n\nSecond paragraph.", PublishedAt: now.Add(-2 * time.Hour),
			Tags: []post.Tag{{Name: "Film"}}})
		older := ts.create(t, &post.Post{Title: "An older post", Body: "Old.", PublishedAt: now.Add(-48 * time.Hour)})
		ts.create(t, &post.Post{Title: "About me", Body: "Hi.", Type: post.TypePage})
		draft := ts.create(t, &post.Post{Title: "Secret draft", Body: "draft body", Status: post.Draft})
		future := ts.create(t, &post.Post{Title: "Future post", Body: "later", Status: post.Scheduled, PublishedAt: now.Add(time.Hour)})
		private := ts.create(t, &post.Post{Title: "Private post", Body: "private", Status: post.Private, PublishedAt: now.Add(-time.Hour)})

		code, body, hdr := ts.get(t, "/")
		if code != 200 || !strings.Contains(body, "Jazz &amp; &lt;Dreams&gt;") || !strings.Contains(body, "An older post") {
			t.Fatalf("home: %d\n%s", code, body)
		}
		if strings.Contains(hdr.Get("Content-Type"), "html") == false {
			t.Errorf("home content type %q", hdr.Get("Content-Type"))
		}
		for _, hidden := range []string{"Secret draft", "Future post", "Private post"} {
			if strings.Contains(body, hidden) {
				t.Errorf("home shows %q", hidden)
			}
		}
		if !strings.Contains(body, `href="`+ts.srv.URL+`/about-me/"`) {
			t.Errorf("home does not link the page in the navigation")
		}

		code, body, _ = ts.get(t, "/"+pub.Slug+"/")
		if code != 200 {
			t.Fatalf("post page: %d", code)
		}
		doc := parse(t, body)
		if got := text(find(doc, "h1")); got != "Jazz & <Dreams>" {
			t.Errorf("post h1 = %q", got)
		}
		for _, want := range []string{"One line<br", "<p>Second paragraph.</p>", `rel="canonical" href="` + ts.srv.URL + "/" + pub.Slug + `/"`,
			`"@type":"BlogPosting"`, `property="og:type" content="article"`, "Ada Lovelace", "1 min read", `href="` + ts.srv.URL + `/tag/film/"`,
			`rel="prev"`, older.Title} {
			if !strings.Contains(body, want) {
				t.Errorf("post page lacks %q", want)
			}
		}

		for _, p := range []*post.Post{draft, future, private} {
			if code, _, _ := ts.get(t, "/"+p.Slug+"/"); code != 404 {
				t.Errorf("%s (%s) answered %d to an anonymous reader, want 404", p.Title, p.Status, code)
			}
		}
		// The author sees their own draft, marked as such.
		secret, _ := ts.accounts.CreateSession(context.Background(), ts.author.ID)
		code, body, hdr = ts.get(t, "/"+draft.Slug+"/", &http.Cookie{Name: account.SessionCookie, Value: secret})
		if code != 200 || !strings.Contains(body, "Only you can see this") || !strings.Contains(hdr.Get("Cache-Control"), "no-store") {
			t.Errorf("author viewing own draft: %d", code)
		}

		code, body, _ = ts.get(t, "/tag/film/")
		if code != 200 || !strings.Contains(body, "Jazz &amp;") || strings.Contains(body, "An older post") {
			t.Errorf("tag page: %d", code)
		}
		ym := pub.PublishedAt.Format("2006/01")
		if code, body, _ = ts.get(t, "/"+ym+"/"); code != 200 || !strings.Contains(body, "Jazz &amp;") {
			t.Errorf("archive %s: %d", ym, code)
		}
		if code, body, _ = ts.get(t, "/search?q=paragraph"); code != 200 || !strings.Contains(body, "Jazz &amp;") {
			t.Errorf("search: %d", code)
		}
		if code, body, _ = ts.get(t, "/search?q=secret"); code != 200 || strings.Contains(body, "Secret draft") {
			t.Errorf("search finds a draft: %d", code)
		}
		if code, _, _ = ts.get(t, "/search?q="); code != 200 {
			t.Errorf("empty search: %d", code)
		}
		for _, path := range []string{"/no-such-post/", "/tag/nope/", "/2019/13/", "/a/b/c/d", "/?page=abc", "/?page=99"} {
			code, body, _ := ts.get(t, path)
			if code != 404 || !strings.Contains(body, "Page not found") || !strings.Contains(body, `class="site-header"`) {
				t.Errorf("%s: %d, want the themed 404", path, code)
			}
		}
		if code, _, hdr := ts.get(t, "/"+pub.Slug); code != 301 || hdr.Get("Location") != "/"+pub.Slug+"/" {
			t.Errorf("missing slash: %d %q", code, hdr.Get("Location"))
		}
		if code, body, _ := ts.get(t, "/robots.txt"); code != 200 || !strings.Contains(body, "Sitemap: "+ts.srv.URL+"/sitemap.xml") {
			t.Errorf("robots.txt: %d %s", code, body)
		}
		if code, body, hdr := ts.get(t, "/static/style.css"); code != 200 || !strings.Contains(body, "prefers-color-scheme: dark") || !strings.HasPrefix(hdr.Get("Content-Type"), "text/css") {
			t.Errorf("style.css: %d", code)
		}
	})
}

func TestPagination(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		st := site.Defaults()
		st.PostsPerPage = 2
		if err := ts.settings.Save(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		base := time.Now().UTC().Add(-time.Hour)
		for i := range 5 {
			ts.create(t, &post.Post{Title: "Post " + string(rune('A'+i)), Body: "x", PublishedAt: base.Add(time.Duration(i) * time.Minute)})
		}
		_, body, _ := ts.get(t, "/")
		if !strings.Contains(body, "Post E") || !strings.Contains(body, "Post D") || strings.Contains(body, "Post C") || !strings.Contains(body, "?page=2") {
			t.Fatalf("page 1 wrong:\n%s", body)
		}
		_, body, _ = ts.get(t, "/?page=3")
		if !strings.Contains(body, "Post A") || strings.Contains(body, "Post B") || !strings.Contains(body, "Page 3") || strings.Contains(body, "Older posts") {
			t.Fatalf("page 3 wrong")
		}
	})
}

type rssDoc struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			GUID    string `xml:"guid"`
			PubDate string `xml:"pubDate"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomDoc struct {
	Entries []struct {
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func TestFeedsAndSitemap(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		ts.create(t, &post.Post{Title: "Fish & chips", Body: "Line\nbreak and <script>alert(1)</script>", Tags: []post.Tag{{Name: "Food"}}})
		ts.create(t, &post.Post{Title: "Second", Body: "Two."})
		ts.create(t, &post.Post{Title: "Draft", Body: "no", Status: post.Draft})

		code, body, hdr := ts.get(t, "/feed/")
		if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/rss+xml") {
			t.Fatalf("/feed/: %d %s", code, hdr.Get("Content-Type"))
		}
		var rss rssDoc
		if err := xml.Unmarshal([]byte(body), &rss); err != nil {
			t.Fatalf("RSS does not parse: %v", err)
		}
		if len(rss.Channel.Items) != 2 {
			t.Fatalf("RSS has %d items, want 2 (no draft)", len(rss.Channel.Items))
		}
		for _, it := range rss.Channel.Items {
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
				t.Errorf("pubDate %q: %v", it.PubDate, err)
			}
			u, _ := url.Parse(it.Link)
			if code, _, _ := ts.get(t, u.Path); code != 200 {
				t.Errorf("feed link %s answers %d", it.Link, code)
			}
		}
		fish := rss.Channel.Items[1]
		if fish.Title != "Fish & chips" || !strings.Contains(fish.Content, "Line<br") || strings.Contains(fish.Content, "<script") {
			t.Errorf("RSS item: %+v", fish)
		}

		_, body, _ = ts.get(t, "/feed/atom/")
		var atom atomDoc
		if err := xml.Unmarshal([]byte(body), &atom); err != nil || len(atom.Entries) != 2 || atom.Entries[0].Content == "" {
			t.Fatalf("Atom: %v %+v", err, atom)
		}
		for _, e := range atom.Entries {
			u, _ := url.Parse(e.Link.Href)
			if code, _, _ := ts.get(t, u.Path); code != 200 {
				t.Errorf("atom link %s answers %d", e.Link.Href, code)
			}
		}
		_, body, _ = ts.get(t, "/tag/food/feed/")
		rss = rssDoc{}
		if err := xml.Unmarshal([]byte(body), &rss); err != nil || len(rss.Channel.Items) != 1 {
			t.Fatalf("tag feed: %v %d", err, len(rss.Channel.Items))
		}

		code, body, _ = ts.get(t, "/sitemap.xml")
		var sm struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if code != 200 || xml.Unmarshal([]byte(body), &sm) != nil || len(sm.URLs) != 3 {
			t.Fatalf("sitemap: %d %s", code, body)
		}
		for _, u := range sm.URLs {
			pu, _ := url.Parse(u.Loc)
			if code, _, _ := ts.get(t, pu.Path); code != 200 {
				t.Errorf("sitemap URL %s answers %d", u.Loc, code)
			}
		}
	})
}

// TestReviewPublishedFaithfully publishes the film review the product comes
// from and checks what a reader gets: its paragraphs, its curly apostrophes
// and the closing verse's line breaks.
func TestReviewPublishedFaithfully(t *testing.T) {
	raw, err := os.ReadFile(fixture.Path(t, "fixtures/posts/la-la-land-review.txt"))
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	body = strings.TrimSpace(body)
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	p := ts.create(t, &post.Post{Title: strings.TrimSpace(title), Body: body})
	code, page, _ := ts.get(t, "/"+p.Slug+"/")
	if code != 200 {
		t.Fatalf("review page: %d", code)
	}
	doc := parse(t, page)
	content := findClass(doc, "entry-content")
	if content == nil {
		t.Fatal("no entry-content")
	}
	var paras []*html.Node
	for c := content.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "p" {
			paras = append(paras, c)
		}
	}
	blocks := strings.Split(body, "\n\n")
	var nonEmpty []string
	for _, b := range blocks {
		if strings.TrimSpace(b) != "" {
			nonEmpty = append(nonEmpty, b)
		}
	}
	if len(paras) != len(nonEmpty) {
		t.Fatalf("%d paragraphs rendered, the review has %d", len(paras), len(nonEmpty))
	}
	if strings.Count(body, "’") > 0 && !strings.Contains(page, "’") {
		t.Error("curly apostrophes lost")
	}
	// Every single newline inside a block is a <br> in the rendered paragraph.
	for i, b := range nonEmpty {
		lines := len(strings.Split(strings.TrimSpace(b), "\n"))
		brs := 0
		walk(paras[i], func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "br" {
				brs++
			}
		})
		if brs != lines-1 {
			t.Errorf("paragraph %d has %d lines but %d <br>", i+1, lines, brs)
		}
	}
}

func parse(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func find(n *html.Node, tag string) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) {
		if found == nil && x.Type == html.ElementNode && x.Data == tag {
			found = x
		}
	})
	return found
}

func findClass(n *html.Node, class string) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) {
		if found != nil || x.Type != html.ElementNode {
			return
		}
		for _, a := range x.Attr {
			if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
				found = x
			}
		}
	})
	return found
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
	})
	return strings.TrimSpace(b.String())
}
