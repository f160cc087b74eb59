package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// reader is a browser without JavaScript: it keeps cookies, reads the reply
// form from the page and submits it.
type reader struct {
	t      *testing.T
	ts     *testSite
	client *http.Client
}

func (ts *testSite) reader(t *testing.T) *reader {
	jar, _ := cookiejar.New(nil)
	return &reader{t: t, ts: ts, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (rd *reader) get(path string) (int, string) {
	rd.t.Helper()
	res, err := rd.client.Get(rd.ts.srv.URL + path)
	if err != nil {
		rd.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// formFields reads the reply form's action and fields from a page.
func formFields(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	doc := parse(t, page)
	var form *html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" && attr(n, "id") == "commentform" {
			form = n
		}
	})
	if form == nil {
		t.Fatal("no reply form on the page")
	}
	vals := url.Values{}
	walk(form, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "input":
			if attr(n, "type") == "checkbox" && !hasAttr(n, "checked") {
				return
			}
			vals.Set(attr(n, "name"), attr(n, "value"))
		case "textarea":
			vals.Set(attr(n, "name"), text(n))
		}
	})
	return attr(form, "action"), vals
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// reply loads the post page, fills the form like a person and submits it.
func (rd *reader) reply(path string, fields map[string]string) *http.Response {
	rd.t.Helper()
	_, page := rd.get(path)
	action, vals := formFields(rd.t, page)
	rd.ts.offset.Add(int64(30 * time.Second)) // the time a person takes to write
	for k, v := range fields {
		vals.Set(k, v)
	}
	res, err := rd.client.PostForm(action, vals)
	if err != nil {
		rd.t.Fatal(err)
	}
	return res
}

func body(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func commentID(t *testing.T, res *http.Response) int64 {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply answered %d, want 303:\n%s", res.StatusCode, body(res))
	}
	loc := res.Header.Get("Location")
	_, frag, ok := strings.Cut(loc, "#comment-")
	if !ok {
		t.Fatalf("redirect %q does not point at a comment", loc)
	}
	id, _ := strconv.ParseInt(frag, 10, 64)
	res.Body.Close()
	return id
}

func TestReplyFlow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		alice, bob := ts.reader(t), ts.reader(t)

		_, page := alice.get(path)
		for _, want := range []string{"Leave a Reply", `name="author"`, `name="email"`, `name="url"`, `name="comment"`, `name="comment_parent"`,
			"Save my name, email, and website in this browser for the next time I comment",
			`Learn how your comment data is processed</a>`, `href="` + ts.srv.URL + `/privacy/"`} {
			if !strings.Contains(page, want) {
				t.Errorf("post page lacks %q", want)
			}
		}

		// A first-time commenter is held, sees their comment marked, and nobody else sees it.
		id := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "First *thoughts*."}))
		c, err := ts.comments.ByID(ctx, id)
		if err != nil || c.Status != comment.Pending || c.IP == "" {
			t.Fatalf("first comment: %+v %v", c, err)
		}
		_, page = alice.get(path)
		if !strings.Contains(page, `id="comment-`+fmt.Sprint(id)+`"`) || !strings.Contains(page, "awaiting moderation") || !strings.Contains(page, "<em>thoughts</em>") {
			t.Fatal("the author does not see their held comment")
		}
		_, page = bob.get(path)
		if strings.Contains(page, "First") {
			t.Fatal("another reader sees a held comment")
		}
		if strings.Contains(page, "alice@example.org") {
			t.Fatal("an e-mail address is shown")
		}

		// Approved: everyone sees it; Alice's next comment is approved at once.
		if _, err := ts.comments.SetStatus(ctx, []int64{id}, comment.Approved); err != nil {
			t.Fatal(err)
		}
		_, page = bob.get(path)
		if !strings.Contains(page, `id="comment-`+fmt.Sprint(id)+`"`) || !strings.Contains(page, "1 reply to") {
			t.Fatal("approved comment not shown")
		}
		id2 := commentID(t, alice.reply(path, map[string]string{"author": "Alice", "email": "alice@example.org", "comment": "Again."}))
		if c, _ := ts.comments.ByID(ctx, id2); c.Status != comment.Approved {
			t.Fatalf("returning commenter held: %s", c.Status)
		}

		// Bob replies to Alice: his reply sits inside her comment's element.
		_, page = bob.get(path + "?replytocom=" + fmt.Sprint(id))
		if !strings.Contains(page, "Reply to Alice") {
			t.Error("?replytocom does not address the reply")
		}
		action, vals := formFields(t, page)
		if vals.Get("comment_parent") != fmt.Sprint(id) {
			t.Fatalf("comment_parent = %q", vals.Get("comment_parent"))
		}
		vals.Set("author", "Bob")
		vals.Set("email", "bob@example.org")
		vals.Set("comment", "I agree.")
		res, _ := bob.client.PostForm(action, vals)
		rid := commentID(t, res)
		ts.comments.SetStatus(ctx, []int64{rid}, comment.Approved)
		_, page = bob.get(path)
		doc := parse(t, page)
		var parentEl *html.Node
		walk(doc, func(n *html.Node) {
			if n.Type == html.ElementNode && attr(n, "id") == "comment-"+fmt.Sprint(id) {
				parentEl = n
			}
		})
		found := false
		if parentEl != nil {
			walk(parentEl, func(n *html.Node) {
				if n.Type == html.ElementNode && attr(n, "id") == "comment-"+fmt.Sprint(rid) {
					found = true
				}
			})
		}
		if !found {
			t.Fatal("the reply is not inside its parent's element")
		}

		// Comment feeds carry approved comments only.
		_, feedBody := bob.get("/comments/feed/")
		if !strings.Contains(feedBody, "I agree.") || !strings.Contains(feedBody, "By: Bob") {
			t.Errorf("site comment feed: %s", feedBody)
		}
		_, feedBody = bob.get("/comments/feed/" + p.Slug + "/")
		if !strings.Contains(feedBody, "Again.") {
			t.Errorf("post comment feed lacks a comment")
		}
		if !strings.Contains(page, "/comments/feed/"+p.Slug+"/") {
			t.Error("no link rel=alternate to the post's comment feed")
		}
	})
}

func TestReplyErrorsKeepTheText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "A post", Body: "Words.", CommentsOpen: true})
		other := ts.create(t, &post.Post{Title: "Other", Body: "x", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		rd := ts.reader(t)
		long := strings.Repeat("word ", 1001)
		cases := []struct {
			fields map[string]string
			status int
			msg    string
		}{
			{map[string]string{"author": "A", "email": "a@example.org", "comment": "  "}, 422, "Please type a comment"},
			{map[string]string{"author": "", "email": "a@example.org", "comment": "kept text 1"}, 422, "Please give your name"},
			{map[string]string{"author": "A", "email": "", "comment": "kept text 2"}, 422, "e-mail address"},
			{map[string]string{"author": "A", "email": "not-an-address", "comment": "kept text 3"}, 422, "not a valid e-mail address"},
			{map[string]string{"author": "A", "email": "a@example.org", "url": "javascript:alert(1)", "comment": "kept text 4"}, 422, "http://"},
			{map[string]string{"author": "A", "email": "a@example.org", "comment": long}, 422, "the limit is 5000"},
			{map[string]string{"author": strings.Repeat("n", 101), "email": "a@example.org", "comment": "kept text 5"}, 422, "longer than 100"},
		}
		for _, c := range cases {
			res := rd.reply(path, c.fields)
			b := body(res)
			if res.StatusCode != c.status || !strings.Contains(b, c.msg) {
				t.Errorf("%v: %d, want %d with %q", c.fields, res.StatusCode, c.status, c.msg)
			}
			if txt := strings.TrimSpace(c.fields["comment"]); txt != "" && !strings.Contains(b, html.EscapeString(txt[:min(len(txt), 20)])) {
				t.Errorf("%v: the visitor's text is lost", c.fields)
			}
		}

		// Replying to a comment of another post, or to a held one.
		ctx := context.Background()
		oc := &comment.Comment{PostID: other.ID, Author: "X", Email: "x@example.org", Content: "elsewhere", Status: comment.Approved}
		ts.comments.Create(ctx, oc, 5)
		held := &comment.Comment{PostID: p.ID, Author: "Y", Email: "y@example.org", Content: "held", Status: comment.Pending}
		ts.comments.Create(ctx, held, 5)
		for _, parent := range []int64{oc.ID, held.ID, 999999} {
			res := rd.reply(path, map[string]string{"author": "A", "email": "a@example.org", "comment": "reply text kept", "comment_parent": fmt.Sprint(parent)})
			b := body(res)
			if res.StatusCode != 400 || !strings.Contains(b, "reply text kept") {
				t.Errorf("reply to %d: %d", parent, res.StatusCode)
			}
		}

		// Closed comments: no form, and a forced POST is refused with the text kept.
		closed := ts.create(t, &post.Post{Title: "Closed", Body: "x", CommentsOpen: false})
		_, page := rd.get("/" + closed.Slug + "/")
		if !strings.Contains(page, "Comments are closed") || strings.Contains(page, `id="commentform"`) {
			t.Error("closed post still shows a form")
		}
		res, _ := rd.client.PostForm(ts.srv.URL+"/comments", url.Values{"post_id": {fmt.Sprint(closed.ID)}, "author": {"A"}, "email": {"a@example.org"}, "comment": {"closed but kept"}})
		if b := body(res); res.StatusCode != 400 || !strings.Contains(b, "closed but kept") || !strings.Contains(b, "Comments are closed") {
			t.Errorf("comment on a closed post: %d", res.StatusCode)
		}
		// A post that does not exist, or a draft.
		draft := ts.create(t, &post.Post{Title: "Draft", Body: "x", Status: post.Draft, CommentsOpen: true})
		for _, id := range []string{"0", "abc", "424242", fmt.Sprint(draft.ID)} {
			res, _ := rd.client.PostForm(ts.srv.URL+"/comments", url.Values{"post_id": {id}, "author": {"A"}, "email": {"a@example.org"}, "comment": {"x"}})
			if res.StatusCode != 404 {
				t.Errorf("comment on post %s: %d, want 404", id, res.StatusCode)
			}
			res.Body.Close()
		}
	})
}

func TestModerationRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		st := site.Defaults()
		st.Comments.ModerationWords = "casino\n"
		st.Comments.DisallowedWords = "viagra\n10.66.0.1"
		st.Comments.ThreadDepth = 2
		if err := ts.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		p := ts.create(t, &post.Post{Title: "Rules", Body: "x", CommentsOpen: true})
		path := "/" + p.Slug + "/"
		rd := ts.reader(t)
		// Make Carol a known commenter.
		known := &comment.Comment{PostID: p.ID, Author: "Carol", Email: "carol@example.org", Content: "hello", Status: comment.Approved}
		ts.comments.Create(ctx, known, 2)
		carol := map[string]string{"author": "Carol", "email": "carol@example.org"}
		with := func(m map[string]string, k, v string) map[string]string {
			out := map[string]string{}
			for a, b := range m {
				out[a] = b
			}
			out[k] = v
			return out
		}
		status := func(res *http.Response) comment.Status {
			t.Helper()
			id := commentID(t, res)
			c, err := ts.comments.ByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Status
		}
		if s := status(rd.reply(path, with(carol, "comment", "Plain words."))); s != comment.Approved {
			t.Errorf("known commenter: %s", s)
		}
		if s := status(rd.reply(path, with(carol, "comment", "See https://a.example https://b.example https://c.example"))); s != comment.Pending {
			t.Errorf("three links: %s, want pending", s)
		}
		if s := status(rd.reply(path, with(carol, "comment", "Best CASINO bonus"))); s != comment.Pending {
			t.Errorf("moderation word: %s, want pending", s)
		}
		res := rd.reply(path, with(carol, "comment", "cheap viagra"))
		if res.StatusCode != 303 || strings.Contains(res.Header.Get("Location"), "#comment-") {
			t.Errorf("disallowed word: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res.Body.Close()
		trash, _, _ := ts.comments.List(ctx, comment.Filter{Status: comment.Trash})
		if len(trash) != 1 || !strings.Contains(trash[0].Content, "viagra") {
			t.Errorf("disallowed word did not go to the trash: %d", len(trash))
		}
		// Depth 2: a reply to a reply attaches at the deepest level.
		r1 := &comment.Comment{PostID: p.ID, ParentID: known.ID, Author: "D", Email: "d@example.org", Content: "level 2", Status: comment.Approved}
		if err := ts.comments.Create(ctx, r1, 2); err != nil {
			t.Fatal(err)
		}
		id := commentID(t, rd.reply(path, with(with(carol, "comment", "level 3?"), "comment_parent", fmt.Sprint(r1.ID))))
		c, _ := ts.comments.ByID(ctx, id)
		if c.ParentID != known.ID {
			t.Errorf("deep reply parent = %d, want %d (attached at the deepest level)", c.ParentID, known.ID)
		}
		// Honeypot: nothing stored.
		before, _ := ts.comments.Counts(ctx)
		res = rd.reply(path, with(with(carol, "comment", "bot"), "website_url", "http://spam.example"))
		res.Body.Close()
		after, _ := ts.comments.Counts(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) || res.StatusCode != 303 {
			t.Errorf("honeypot comment stored: %v → %v", before, after)
		}
	})
}

func TestCommenterCookieOnlyWhenTicked(t *testing.T) {
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	p := ts.create(t, &post.Post{Title: "Cookies", Body: "x", CommentsOpen: true})
	path := "/" + p.Slug + "/"
	rd := ts.reader(t)
	res := rd.reply(path, map[string]string{"author": "Eve", "email": "eve@example.org", "comment": "no cookie please"})
	for _, c := range res.Cookies() {
		if c.Name == "marquee_commenter" && c.MaxAge >= 0 {
			t.Fatal("remember-me cookie set without the box ticked")
		}
	}
	res.Body.Close()
	res = rd.reply(path, map[string]string{"author": "Eve", "email": "eve@example.org", "comment": "remember me", "remember": "1"})
	var got *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "marquee_commenter" {
			got = c
		}
	}
	if got == nil || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.MaxAge < 300*24*3600 {
		t.Fatalf("remember-me cookie: %+v", got)
	}
	res.Body.Close()
	_, page := rd.get(path)
	if !strings.Contains(page, `value="Eve"`) || !strings.Contains(page, `value="eve@example.org"`) {
		t.Error("saved details not filled in")
	}
}

func TestCommentsPaged(t *testing.T) {
	ctx := context.Background()
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	st := site.Defaults()
	st.Comments.PerPage = 2
	ts.settings.Save(ctx, st)
	p := ts.create(t, &post.Post{Title: "Long thread", Body: "x", CommentsOpen: true})
	base := time.Now().Add(-time.Hour)
	for i := range 5 {
		c := &comment.Comment{PostID: p.ID, Author: fmt.Sprint("C", i), Email: "c@example.org", Content: fmt.Sprint("number ", i),
			Status: comment.Approved, CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		if err := ts.comments.Create(ctx, c, 5); err != nil {
			t.Fatal(err)
		}
	}
	rd := ts.reader(t)
	_, page := rd.get("/" + p.Slug + "/")
	if !strings.Contains(page, "number 0") || !strings.Contains(page, "number 1") || strings.Contains(page, "number 2") || !strings.Contains(page, "cpage=2") {
		t.Fatal("page 1 of comments wrong")
	}
	_, page = rd.get("/" + p.Slug + "/?cpage=3")
	if !strings.Contains(page, "number 4") || strings.Contains(page, "number 3") {
		t.Fatal("page 3 of comments wrong")
	}
	if code, _ := rd.get("/" + p.Slug + "/?cpage=9"); code != 404 {
		t.Errorf("comment page 9: %d", code)
	}
}

func TestHostileCommentFieldsAreInert(t *testing.T) {
	ts := newSite(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]))
	ctx := context.Background()
	p := ts.create(t, &post.Post{Title: "XSS", Body: "x", CommentsOpen: true})
	c := &comment.Comment{PostID: p.ID, Author: `<script>alert(1)</script>"><img src=x onerror=alert(2)>`, Email: "x@example.org",
		URL: `https://example.org/"onmouseover="alert(3)`, Content: "<script>alert(4)</script> [x](javascript:alert(5)) <img src=x onerror=alert(6)>",
		Status: comment.Approved}
	if err := ts.comments.Create(ctx, c, 5); err != nil {
		t.Fatal(err)
	}
	rd := ts.reader(t)
	for _, path := range []string{"/" + p.Slug + "/", "/comments/feed/", "/comments/feed/" + p.Slug + "/"} {
		_, page := rd.get(path)
		if strings.Contains(path, "feed") {
			// Feeds carry HTML escaped inside XML: check the decoded content
			// as HTML, and titles as text without markup.
			var rss rssDoc
			if err := xml.Unmarshal([]byte(page), &rss); err != nil {
				t.Fatal(err)
			}
			page = ""
			for _, it := range rss.Channel.Items {
				if strings.ContainsAny(it.Title, "<>") {
					t.Errorf("%s: markup in a title: %q", path, it.Title)
				}
				page += it.Content
			}
		}
		doc := parse(t, page)
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			if n.Data == "script" && attr(n, "type") != "application/ld+json" {
				t.Errorf("%s: a script element from user input", path)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: event handler attribute %s=%q", path, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: javascript: URL", path)
				}
			}
		})
	}
}
