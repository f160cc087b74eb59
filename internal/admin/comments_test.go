package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// publishedPost stores a published post open to comments.
func (e *env) publishedPost(title string) *post.Post {
	e.t.Helper()
	p := &post.Post{Type: post.TypePost, Title: title, Body: "Body of " + title, Status: post.Published,
		AuthorID: e.admin.ID, CommentsOpen: true, PublishedAt: time.Now().Add(-time.Hour).UTC()}
	if err := e.posts.Create(context.Background(), p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

var commentClock = time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)

// addComment stores a comment as the public form would have, a second after
// the previous one.
func (e *env) addComment(postID int64, status comment.Status, author, content string, with ...func(*comment.Comment)) *comment.Comment {
	e.t.Helper()
	commentClock = commentClock.Add(time.Second)
	c := &comment.Comment{PostID: postID, Author: author, Email: strings.ToLower(strings.ReplaceAll(author, " ", ".")) + "@example.org",
		Content: content, IP: "192.0.2.10", UserAgent: "Mozilla/5.0 (Test)", Referrer: "https://ref.example/page",
		Status: status, CreatedAt: commentClock}
	for _, f := range with {
		f(c)
	}
	if err := e.comments.Create(context.Background(), c, 10); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) commentStatus(id int64) comment.Status {
	e.t.Helper()
	c, err := e.comments.ByID(context.Background(), id)
	if err != nil {
		e.t.Fatalf("comment %d: %v", id, err)
	}
	return c.Status
}

func ids(cs ...*comment.Comment) []string {
	var s []string
	for _, c := range cs {
		s = append(s, strconv.FormatInt(c.ID, 10))
	}
	return s
}

func TestCommentQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		a, b := e.publishedPost("Alpha post"), e.publishedPost("Beta post")
		e.addComment(a.ID, comment.Pending, "Pat Pending", "First held comment.")
		e.addComment(a.ID, comment.Pending, "Polly Pending", "Second held comment.", func(c *comment.Comment) {
			c.IP = "203.0.113.77"
			c.HasScore, c.SpamScore, c.SpamReasons = true, 0.42, "link density (0.80)\nnew e-mail address (0.30)"
		})
		e.addComment(b.ID, comment.Pending, "Penny Pending", "Third held comment, on beta.")
		ok := e.addComment(b.ID, comment.Approved, "Amy Approved", "A published comment.")
		e.addComment(a.ID, comment.Spam, "Sam Spam", "Buy cheap pills.")
		e.addComment(a.ID, comment.Spam, "Sid Spam", "Casino bonus.")
		e.addComment(a.ID, comment.Trash, "Tess Trash", "Trashed words.")

		c := e.loggedIn("admin@example.org", adminPass)
		r := e.get(c, "/admin/comments")
		expect(t, r, 200, "Comments (3 pending)",
			`Pending <span class="count">(3)</span>`, `Approved <span class="count">(1)</span>`,
			`Spam <span class="count">(2)</span>`, `Trash <span class="count">(1)</span>`, `All <span class="count">(7)</span>`,
			"Pat Pending", "Polly Pending", "Penny Pending", "First held comment.", "pat.pending@example.org", "192.0.2.10",
			"Spam score 0.42", "link density (0.80)", "new e-mail address (0.30)", "Mozilla/5.0 (Test)", "https://ref.example/page",
			"Alpha post", "/admin/posts/"+strconv.FormatInt(a.ID, 10), "/alpha-post/#comment-", `value="approve"`)
		for _, not := range []string{"Amy Approved", "Sam Spam", "Tess Trash", "Empty spam"} {
			if strings.Contains(r.body, not) {
				t.Errorf("the pending tab shows %q", not)
			}
		}
		if n := strings.Count(r.body, `class="pick"`); n != 3 {
			t.Errorf("%d rows on the pending tab, want 3", n)
		}
		expect(t, e.get(c, "/admin/comments?status=approved"), 200, "Amy Approved", "/beta-post/#comment-"+strconv.FormatInt(ok.ID, 10))
		r = e.get(c, "/admin/comments?status=spam")
		expect(t, r, 200, "Sam Spam", "Sid Spam", "Empty spam", `value="unspam"`, `value="delete"`)
		if strings.Contains(r.body, "Pat Pending") {
			t.Error("the spam tab shows a pending comment")
		}
		expect(t, e.get(c, "/admin/comments?status=trash"), 200, "Tess Trash", "Empty trash", `value="restore"`)

		// By post, by search (author, e-mail, content, IP).
		r = e.get(c, "/admin/comments?status=all&post_id="+strconv.FormatInt(b.ID, 10))
		expect(t, r, 200, "Penny Pending", "Amy Approved", "Showing the comments on “Beta post”")
		if strings.Contains(r.body, "Pat Pending") || strings.Count(r.body, `class="pick"`) != 2 {
			t.Errorf("the post filter lets other posts' comments through:\n%s", r.body)
		}
		for q, want := range map[string]string{"polly": "Polly Pending", "203.0.113.77": "Polly Pending",
			"casino": "Sid Spam", "amy.approved@example": "Amy Approved"} {
			r = e.get(c, "/admin/comments?status=all&q="+url.QueryEscape(q))
			expect(t, r, 200, want)
			if n := strings.Count(r.body, `class="pick"`); n != 1 {
				t.Errorf("q=%s: %d rows, want 1", q, n)
			}
		}
		expect(t, e.get(c, "/admin/comments?q=nothing-matches-this"), 200, "No comments here.")

		// The dashboard and the posts list.
		expect(t, e.get(c, "/admin/"), 200, "3 pending", `href="/admin/comments?status=pending"`)
		expect(t, e.get(c, "/admin/posts"), 200, ">1</a>", "/admin/comments?status=all&amp;post_id="+strconv.FormatInt(b.ID, 10))

		// Pagination: 50 a page.
		for i := range 50 {
			e.addComment(b.ID, comment.Pending, fmt.Sprintf("Bulk Writer %02d", i), "More.")
		}
		r = e.get(c, "/admin/comments")
		expect(t, r, 200, "Page 1 of 2", `rel="next"`, "Comments (53 pending)")
		if n := strings.Count(r.body, `class="pick"`); n != 50 {
			t.Errorf("%d rows on page 1", n)
		}
		r = e.get(c, "/admin/comments?status=pending&page=2")
		expect(t, r, 200, "Page 2 of 2", "Pat Pending")
		if n := strings.Count(r.body, `class="pick"`); n != 3 {
			t.Errorf("%d rows on page 2", n)
		}
	})
}

func TestCommentBulkActions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		p := e.publishedPost("Moderated post")
		p1 := e.addComment(p.ID, comment.Pending, "One", "first")
		p2 := e.addComment(p.ID, comment.Pending, "Two", "second")
		p3 := e.addComment(p.ID, comment.Pending, "Three", "third")
		p4 := e.addComment(p.ID, comment.Pending, "Four", "fourth")
		c := e.loggedIn("admin@example.org", adminPass)
		events := func() (int, int) {
			t.Helper()
			s, h, err := e.spam.Events(ctx, spam.SiteModel)
			if err != nil {
				t.Fatal(err)
			}
			return s, h
		}

		// Approve two: back to the same tab and filter, with the count.
		back := "/admin/comments?status=pending&post_id=" + strconv.FormatInt(p.ID, 10)
		r := e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p1, p2), "action": {"approve"}, "back": {back}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", r.StatusCode, r.body)
		}
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/admin/comments?") || !strings.Contains(loc, "post_id="+strconv.FormatInt(p.ID, 10)) ||
			!strings.Contains(loc, "status=pending") || !strings.Contains(loc, "flash=c-approve") {
			t.Fatalf("approve went to %q", loc)
		}
		expect(t, e.get(c, loc), 200, "2 comments approved.", "Comments (2 pending)")
		if e.commentStatus(p1.ID) != comment.Approved || e.commentStatus(p2.ID) != comment.Approved || e.commentStatus(p3.ID) != comment.Pending {
			t.Fatal("approve did not change exactly the chosen comments")
		}
		if got, _ := e.posts.ByID(ctx, p.ID); got.CommentCount != 2 {
			t.Errorf("comment count %d after approving 2", got.CommentCount)
		}
		_, ham0 := events()
		if ham0 != 2 {
			t.Errorf("approving taught %d ham events, want 2", ham0)
		}

		// Spam through the admin teaches the filter.
		spam0, _ := events()
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p3), "action": {"spam"}})
		if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "flash=c-spam&n=1") {
			t.Fatalf("spam: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200, "1 comment marked as spam.")
		if e.commentStatus(p3.ID) != comment.Spam {
			t.Fatal("not marked as spam")
		}
		if s, _ := events(); s != spam0+1 {
			t.Errorf("spam events %d, want %d", s, spam0+1)
		}
		// "Not spam" restores it to approved and teaches ham; it ignores
		// comments that are not spam.
		_, ham1 := events()
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p3, p4), "action": {"unspam"}})
		expect(t, e.get(c, r.Header.Get("Location")), 200, "1 comment restored from spam.")
		if e.commentStatus(p3.ID) != comment.Approved || e.commentStatus(p4.ID) != comment.Pending {
			t.Fatal("not spam changed the wrong comments")
		}
		if _, h := events(); h != ham1+1 {
			t.Errorf("ham events %d, want %d", h, ham1+1)
		}

		// Trash, restore (to pending).
		e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p1, p4), "action": {"trash"}})
		if e.commentStatus(p1.ID) != comment.Trash || e.commentStatus(p4.ID) != comment.Trash {
			t.Fatal("not trashed")
		}
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p1), "action": {"restore"}, "back": {"/admin/comments?status=trash"}})
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/comments?") || !strings.Contains(loc, "status=trash") {
			t.Fatalf("restore went to %q", loc)
		}
		if e.commentStatus(p1.ID) != comment.Pending {
			t.Fatal("restore did not go back to pending")
		}

		// Delete permanently: only from spam or the trash, after a question.
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p4, p2), "action": {"delete"}, "back": {"/admin/comments?status=trash"}})
		expect(t, r, 200, "Delete 1 comment permanently?", `name="confirm" value="yes"`, `name="ids" value="`+ids(p4)[0]+`"`)
		if strings.Contains(r.body, `name="ids" value="`+ids(p2)[0]+`"`) {
			t.Error("the question offers to delete an approved comment")
		}
		e.commentStatus(p4.ID) // still there
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p4, p2), "action": {"delete"}, "confirm": {"yes"}, "back": {"/admin/comments?status=trash"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200, "1 comment deleted permanently.")
		if _, err := e.comments.ByID(ctx, p4.ID); err == nil {
			t.Error("the trashed comment survived deletion")
		}
		if e.commentStatus(p2.ID) != comment.Approved {
			t.Error("an approved comment was deleted")
		}

		// Nothing chosen, no action, a foreign back address.
		r = e.post(c, "/admin/comments/bulk", url.Values{"action": {"approve"}, "back": {"/admin/comments?status=spam"}})
		if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "flash=no-selection") {
			t.Fatalf("no selection: %d %q", r.StatusCode, loc)
		}
		r = e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p1), "action": {"approve"}, "back": {"https://evil.example/admin/comments"}})
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/comments?") {
			t.Fatalf("foreign back address followed: %q", loc)
		}
		expect(t, e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(p1), "action": {"explode"}}), http.StatusBadRequest)

		// Empty spam: every spam comment goes, nothing else.
		s1 := e.addComment(p.ID, comment.Spam, "Spammer A", "pills")
		s2 := e.addComment(p.ID, comment.Spam, "Spammer B", "casino")
		tr := e.addComment(p.ID, comment.Trash, "Trashed", "meh")
		r = e.post(c, "/admin/comments/empty?status=spam", nil)
		if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "status=spam") {
			t.Fatalf("empty spam: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200, "2 comments deleted permanently.", `Spam <span class="count">(0)</span>`)
		for _, x := range []*comment.Comment{s1, s2} {
			if _, err := e.comments.ByID(ctx, x.ID); err == nil {
				t.Errorf("spam comment %d survived emptying", x.ID)
			}
		}
		if e.commentStatus(tr.ID) != comment.Trash || e.commentStatus(p1.ID) != comment.Approved {
			t.Error("emptying spam touched other comments")
		}
		e.post(c, "/admin/comments/empty?status=trash", nil)
		if _, err := e.comments.ByID(ctx, tr.ID); err == nil {
			t.Error("emptying the trash left a comment")
		}
		expect(t, e.post(c, "/admin/comments/empty?status=approved", nil), http.StatusBadRequest)
	})
}

func TestCommentEdit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		p := e.publishedPost("Edited post")
		cm := e.addComment(p.ID, comment.Pending, "Edna Editme", "Original *text*.", func(c *comment.Comment) {
			c.HasScore, c.SpamScore, c.SpamReasons = true, 0.91, "many links (1.20)"
		})
		c := e.loggedIn("admin@example.org", adminPass)
		path := "/admin/comments/" + strconv.FormatInt(cm.ID, 10)
		expect(t, e.get(c, path), 200, `value="Edna Editme"`, `value="edna.editme@example.org"`, "Original *text*.",
			"192.0.2.10", "Mozilla/5.0 (Test)", "https://ref.example/page", "0.91", "many links (1.20)",
			"<em>text</em>", "Approve and reply", "Edited post")

		// A mistake: 422, everything typed kept.
		bad := url.Values{"author": {"New Name"}, "email": {"not an address"}, "url": {"example.net/me"},
			"content": {"Changed text, kept."}, "status": {"approved"}}
		expect(t, e.post(c, path, bad), http.StatusUnprocessableEntity, `id="email-error"`, `value="New Name"`,
			`value="not an address"`, `value="example.net/me"`, "Changed text, kept.", `<option value="approved" selected>`)
		bad.Set("email", "new@example.org")
		bad.Set("content", "   ")
		expect(t, e.post(c, path, bad), http.StatusUnprocessableEntity, `id="content-error"`, `value="New Name"`)
		if got, _ := e.comments.ByID(ctx, cm.ID); got.Author != "Edna Editme" || got.Status != comment.Pending {
			t.Fatalf("a refused edit was saved: %+v", got)
		}

		// Saved; moving it to spam teaches the filter.
		spam0, _, _ := e.spam.Events(ctx, spam.SiteModel)
		good := url.Values{"author": {"New Name"}, "email": {"New@Example.org"}, "url": {"example.net/me"},
			"content": {"Changed **text**."}, "status": {"spam"}}
		r := e.post(c, path, good)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != path+"?flash=comment-saved" {
			t.Fatalf("save: %d %q %s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		got, _ := e.comments.ByID(ctx, cm.ID)
		if got.Author != "New Name" || got.Email != "new@example.org" || got.URL != "https://example.net/me" ||
			got.Content != "Changed **text**." || !strings.Contains(got.ContentHTML, "<strong>text</strong>") || got.Status != comment.Spam {
			t.Fatalf("saved %+v", got)
		}
		if s, _, _ := e.spam.Events(ctx, spam.SiteModel); s != spam0+1 {
			t.Errorf("spam events %d, want %d", s, spam0+1)
		}
		expect(t, e.get(c, path+"?flash=comment-saved"), 200, "The comment has been saved.", `<option value="spam" selected>`)
		expect(t, e.get(c, "/admin/comments/999999"), http.StatusNotFound)
	})
}

func TestCommentReply(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		st := site.Defaults()
		st.Comments.ThreadDepth = 2
		if err := e.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		p := e.publishedPost("Replied post")
		held := e.addComment(p.ID, comment.Pending, "Hal Held", "Is anyone there?")
		c := e.loggedIn("admin@example.org", adminPass)
		back := "/admin/comments?status=pending"

		r := e.post(c, "/admin/comments/"+strconv.FormatInt(held.ID, 10)+"/reply", url.Values{"content": {"Yes, *here*."}, "back": {back}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/comments?") ||
			!strings.Contains(r.Header.Get("Location"), "flash=replied") {
			t.Fatalf("reply: %d %q %s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200, "Your reply has been published.")
		if e.commentStatus(held.ID) != comment.Approved {
			t.Error("replying did not approve the pending comment")
		}
		cs, _, err := e.comments.List(ctx, comment.Filter{Status: comment.Approved, PostID: p.ID})
		if err != nil || len(cs) != 2 {
			t.Fatalf("%d approved comments, %v", len(cs), err)
		}
		reply := cs[0] // newest first
		if reply.ParentID != held.ID || reply.UserID != e.admin.ID || reply.Author != e.admin.DisplayName() ||
			reply.Email != e.admin.Email || reply.Status != comment.Approved || !strings.Contains(reply.ContentHTML, "<em>here</em>") {
			t.Fatalf("reply %+v", reply)
		}
		if got, _ := e.posts.ByID(ctx, p.ID); got.CommentCount != 2 {
			t.Errorf("comment count %d", got.CommentCount)
		}

		// A reply to the reply is attached within the site's thread depth (2).
		r = e.post(c, "/admin/comments/"+strconv.FormatInt(reply.ID, 10)+"/reply", url.Values{"content": {"And again."}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/comments/"+strconv.FormatInt(reply.ID, 10)+"?flash=replied" {
			t.Fatalf("second reply: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		cs, _, _ = e.comments.List(ctx, comment.Filter{Status: comment.Approved, PostID: p.ID})
		if cs[0].Content != "And again." || cs[0].ParentID != held.ID {
			t.Errorf("deep reply attached under %d, want %d", cs[0].ParentID, held.ID)
		}

		// Mistakes show the comment's page with the reply kept.
		expect(t, e.post(c, "/admin/comments/"+strconv.FormatInt(held.ID, 10)+"/reply", url.Values{"content": {"  "}}),
			http.StatusUnprocessableEntity, `id="reply-error"`, "Please type a comment.")
		junk := e.addComment(p.ID, comment.Spam, "Junk", "spam spam")
		expect(t, e.post(c, "/admin/comments/"+strconv.FormatInt(junk.ID, 10)+"/reply", url.Values{"content": {"Kept reply text"}}),
			http.StatusUnprocessableEntity, "marked as spam")
		if e.commentStatus(junk.ID) != comment.Spam {
			t.Error("replying to spam changed it")
		}
	})
}

func TestCommentsNeedModerator(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		p := e.publishedPost("Guarded post")
		cm := e.addComment(p.ID, comment.Pending, "Guarded", "hello")
		if _, err := e.accounts.Create(ctx, "author@example.org", "Ann Author", account.Author, adminPass); err != nil {
			t.Fatal(err)
		}
		if _, err := e.accounts.Create(ctx, "editor@example.org", "Ed Editor", account.Editor, adminPass); err != nil {
			t.Fatal(err)
		}
		a := e.loggedIn("author@example.org", adminPass)
		id := strconv.FormatInt(cm.ID, 10)
		expect(t, e.get(a, "/admin/comments"), http.StatusForbidden)
		expect(t, e.get(a, "/admin/comments/"+id), http.StatusForbidden)
		expect(t, e.post(a, "/admin/comments/bulk", url.Values{"ids": {id}, "action": {"approve"}}), http.StatusForbidden)
		expect(t, e.post(a, "/admin/comments/"+id, url.Values{"content": {"x"}, "status": {"approved"}}), http.StatusForbidden)
		expect(t, e.post(a, "/admin/comments/"+id+"/reply", url.Values{"content": {"x"}}), http.StatusForbidden)
		expect(t, e.post(a, "/admin/comments/empty?status=trash", nil), http.StatusForbidden)
		r := e.get(a, "/admin/")
		expect(t, r, 200)
		if strings.Contains(r.body, "/admin/comments") {
			t.Error("an author's dashboard links to the comments")
		}
		if e.commentStatus(cm.ID) != comment.Pending {
			t.Fatal("an author moderated a comment")
		}
		// Logged out: to the login form.
		if r := e.get(e.client(), "/admin/comments"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("logged out: %d", r.StatusCode)
		}

		ed := e.loggedIn("editor@example.org", adminPass)
		expect(t, e.get(ed, "/admin/comments"), 200, "Comments (1 pending)", "Guarded")
		if r := e.post(ed, "/admin/comments/bulk", url.Values{"ids": {id}, "action": {"approve"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("editor approve: %d", r.StatusCode)
		}
		if e.commentStatus(cm.ID) != comment.Approved {
			t.Error("an editor could not approve")
		}
	})
}

// TestCommentHTMLInert puts markup in every field a commenter controls and
// checks that no admin screen turns it into elements.
func TestCommentHTMLInert(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, false)
		p := e.publishedPost("Hostile <script>alert('title')</script> post")
		evil := e.addComment(p.ID, comment.Pending, `<script>alert("author")</script>`, "Hi <script>alert('content')</script>"+
			`<img src=x onerror="alert('img')"> <a href="javascript:alert('link')">x</a>`, func(c *comment.Comment) {
			c.Email = `x@example.org"><script>alert('email')</script>`
			c.URL = `javascript:alert('url')//"><script>alert('url')</script>`
			c.IP = `<script>alert('ip')</script>`
			c.UserAgent = `<script>alert('ua')</script>`
			c.Referrer = `"><script>alert('ref')</script>`
			c.HasScore, c.SpamScore, c.SpamReasons = true, 0.5, "<script>alert('reason')</script> (1.0)"
		})
		trashed := e.addComment(p.ID, comment.Trash, `<b onmouseover="alert(1)">bold</b>`, "<script>alert('trash')</script>")
		parent := e.addComment(p.ID, comment.Approved, "Parent", "parent")
		e.addComment(p.ID, comment.Approved, `<script>alert("child")</script>`, "child", func(c *comment.Comment) { c.ParentID = parent.ID })
		c := e.loggedIn("admin@example.org", adminPass)
		id := strconv.FormatInt(evil.ID, 10)

		pages := map[string]resp{
			"pending":   e.get(c, "/admin/comments"),
			"all":       e.get(c, "/admin/comments?status=all&q=script"),
			"trash":     e.get(c, "/admin/comments?status=trash"),
			"edit":      e.get(c, "/admin/comments/"+id),
			"dashboard": e.get(c, "/admin/"),
			"posts":     e.get(c, "/admin/posts"),
			"invalid": e.post(c, "/admin/comments/"+id, url.Values{"author": {"<script>alert('typed')</script>"},
				"email": {"<script>alert('typed')</script>"}, "url": {"<script>"}, "content": {"<script>alert('typed')</script>"}, "status": {"pending"}}),
			"reply-error": e.post(c, "/admin/comments/"+id+"/reply", url.Values{"content": {strings.Repeat("<script>x</script>", 1000)}}),
			"confirm":     e.post(c, "/admin/comments/bulk", url.Values{"ids": ids(trashed), "action": {"delete"}}),
		}
		for name, r := range pages {
			want := http.StatusOK
			if name == "invalid" || name == "reply-error" {
				want = http.StatusUnprocessableEntity
			}
			if r.StatusCode != want {
				t.Errorf("%s: status %d, want %d", name, r.StatusCode, want)
				continue
			}
			checkInert(t, name, r.body)
		}
		expect(t, pages["pending"], 200, "&lt;script&gt;alert(&#34;author&#34;)&lt;/script&gt;")
	})
}

// checkInert fails when a page holds a script other than the admin's own,
// an event handler attribute, or a javascript: address.
func checkInert(t *testing.T, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" {
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if !strings.HasPrefix(src, "/admin/static/admin.js") || n.FirstChild != nil {
					t.Errorf("%s: a script element (src %q) made it onto the page", name, src)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func TestDiscussionSettings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/settings"), 200, "Discussion", `name="comments_require_name_email" type="checkbox" value="1" checked`,
			`name="comments_thread_depth" type="number" min="1" max="10" value="5"`, `name="comments_moderation_words"`,
			`name="comments_disallowed_words"`, `name="comments_max_length" type="number" min="100" max="100000" value="5000"`,
			`name="comments_spam_filter" type="checkbox" value="1" checked`, `name="comments_discard_blatant" type="checkbox" value="1">`)

		form := url.Values{"title": {"Talky"}, "tagline": {""}, "base_url": {""}, "posts_per_page": {"10"}, "time_zone": {"UTC"},
			"language": {"en"}, "discussion": {"1"},
			"comments_hold_all": {"1"}, "comments_newest_first": {"1"}, "comments_discard_blatant": {"1"}, "comments_max_links": {"4"},
			"comments_moderation_words": {"viagra\r\ncasino"}, "comments_disallowed_words": {"badword"},
			"comments_close_after_days": {"30"}, "comments_thread_depth": {"3"}, "comments_per_page": {"20"}, "comments_max_length": {"2000"}}
		if r := e.post(c, "/admin/settings", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		st, _ := e.settings.Get(ctx)
		want := site.CommentRules{RequireNameEmail: false, HoldFirstTime: false, HoldAll: true, MaxLinks: 4,
			ModerationWords: "viagra\ncasino", DisallowedWords: "badword", CloseAfterDays: 30, ThreadDepth: 3, PerPage: 20,
			NewestFirst: true, MaxLength: 2000, DiscardBlatant: true, SpamFilter: false}
		if st.Comments != want {
			t.Fatalf("saved %+v\nwant  %+v", st.Comments, want)
		}
		expect(t, e.get(c, "/admin/settings"), 200, `name="comments_hold_all" type="checkbox" value="1" checked`, "viagra\ncasino")

		// Errors: 422 at the field, everything typed kept, nothing saved.
		form.Set("comments_thread_depth", "11")
		form.Set("comments_moderation_words", "kept\nwords")
		expect(t, e.post(c, "/admin/settings", form), http.StatusUnprocessableEntity, `id="comments_thread_depth-error"`,
			"reply depth must be between 1 and 10", `value="11"`, "kept\nwords", `value="Talky"`)
		form.Set("comments_thread_depth", "3")
		form.Set("comments_max_links", "lots")
		expect(t, e.post(c, "/admin/settings", form), http.StatusUnprocessableEntity, `id="comments_max_links-error"`, `value="lots"`)
		if st, _ := e.settings.Get(ctx); st.Comments != want {
			t.Errorf("a refused form changed the settings: %+v", st.Comments)
		}

		// A form without the discussion section leaves it alone.
		r := e.post(c, "/admin/settings", url.Values{"title": {"Quiet"}, "posts_per_page": {"10"}, "time_zone": {"UTC"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d %s", r.StatusCode, r.body)
		}
		if st, _ := e.settings.Get(ctx); st.Title != "Quiet" || st.Comments != want {
			t.Errorf("%+v", st)
		}
	})
}
