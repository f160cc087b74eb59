package api

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// addComment stores a reader's comment on postID directly in the store.
func (e *env) addComment(postID int64, status comment.Status, content string) *comment.Comment {
	e.t.Helper()
	c := &comment.Comment{PostID: postID, Author: "Rita Reader", Email: "rita@example.net", URL: "https://rita.example",
		Content: content, IP: "192.0.2.7", Status: status}
	if err := e.comments.Create(context.Background(), c, 5); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// publish creates a published post as who and returns its id.
func (e *env) publish(who, title string, extra ...any) int64 {
	e.t.Helper()
	in := map[string]any{"title": title, "status": "published"}
	for i := 0; i+1 < len(extra); i += 2 {
		in[extra[i].(string)] = extra[i+1]
	}
	return e.create(who, in).id()
}

// events counts the spam filter's learning events.
func (e *env) events() (spamN, ham int) {
	e.t.Helper()
	s, h, err := e.spam.Events(context.Background(), spam.SiteModel)
	if err != nil {
		e.t.Fatal(err)
	}
	return s, h
}

func commentPath(id int64) string { return fmt.Sprintf("/api/v1/comments/%d", id) }

func replyPath(postID int64) string { return fmt.Sprintf("/api/v1/posts/%d/comments", postID) }

func listed(t *testing.T, a answer) (ids []int64, total int) {
	t.Helper()
	cs, ok := a.JSON["comments"].([]any)
	if !ok {
		t.Fatalf("comments is not a list: %s", a.Raw)
	}
	for _, c := range cs {
		ids = append(ids, int64(c.(map[string]any)["id"].(float64)))
	}
	tot, _ := a.JSON["total"].(float64)
	return ids, int(tot)
}

func TestCommentList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p1, p2 := e.publish("author", "First"), e.publish("author2", "Second")
		status := map[int64]comment.Status{}
		post := map[int64]int64{}
		for _, c := range []struct {
			post   int64
			status comment.Status
		}{
			{p1, comment.Approved}, {p1, comment.Approved}, {p1, comment.Pending}, {p1, comment.Spam}, {p1, comment.Trash},
			{p2, comment.Approved}, {p2, comment.Pending},
		} {
			made := e.addComment(c.post, c.status, "Comment on "+fmt.Sprint(c.post))
			status[made.ID], post[made.ID] = c.status, c.post
		}
		list := func(query string) answer {
			t.Helper()
			return e.call("GET", "/api/v1/comments"+query, "editor", nil).want(t, http.StatusOK)
		}
		for _, c := range []struct {
			query    string
			n, total int
			status   comment.Status // every comment's, when set
			post     int64          // every comment's, when set
		}{
			{"", 7, 7, "", 0},
			{"?status=all", 7, 7, "", 0},
			{"?status=pending", 2, 2, comment.Pending, 0},
			{"?status=approved", 3, 3, comment.Approved, 0},
			{"?status=spam", 1, 1, comment.Spam, 0},
			{"?status=trash", 1, 1, comment.Trash, 0},
			{fmt.Sprintf("?post_id=%d", p1), 5, 5, "", p1},
			{fmt.Sprintf("?post_id=%d", p2), 2, 2, "", p2},
			{fmt.Sprintf("?post_id=%d&status=pending", p2), 1, 1, comment.Pending, p2},
			{fmt.Sprintf("?post_id=%d&status=trash", p2), 0, 0, "", 0},
			{"?post_id=999999", 0, 0, "", 0},
			{"?limit=3", 3, 7, "", 0},
			{"?limit=3&offset=6", 1, 7, "", 0},
			{"?offset=100", 0, 7, "", 0},
		} {
			a := list(c.query)
			ids, total := listed(t, a)
			if len(ids) != c.n || total != c.total {
				t.Errorf("%q: %d comments of %d, want %d of %d", c.query, len(ids), total, c.n, c.total)
			}
			for _, id := range ids {
				if c.status != "" && status[id] != c.status {
					t.Errorf("%q: comment %d is %s", c.query, id, status[id])
				}
				if c.post != 0 && post[id] != c.post {
					t.Errorf("%q: comment %d is on post %d", c.query, id, post[id])
				}
			}
		}
		// Newest first (ties broken by id), and pages do not overlap.
		var all []int64
		for off := 0; off < 7; off += 3 {
			ids, _ := listed(t, list(fmt.Sprintf("?limit=3&offset=%d", off)))
			all = append(all, ids...)
		}
		if len(all) != 7 {
			t.Fatalf("paging saw %v", all)
		}
		for i := 1; i < len(all); i++ {
			if all[i] >= all[i-1] {
				t.Errorf("paging order %v, want newest first", all)
				break
			}
		}
		// The default limit is 20.
		for range 20 {
			e.addComment(p2, comment.Approved, "More")
		}
		if a := list(""); len(a.JSON["comments"].([]any)) != 20 || a.JSON["total"] != float64(27) || a.JSON["limit"] != float64(20) {
			t.Errorf("default page: %d comments, total %v, limit %v", len(a.JSON["comments"].([]any)), a.JSON["total"], a.JSON["limit"])
		}
		// An empty listing is [], not null.
		if a := list("?post_id=999999"); !strings.Contains(string(a.Raw), `"comments":[]`) {
			t.Errorf("empty listing: %s", a.Raw)
		}
		// Bad parameters name themselves.
		for q, field := range map[string]string{
			"?status=live": "status", "?status=Pending": "status", "?limit=0": "limit", "?limit=101": "limit", "?limit=x": "limit",
			"?offset=-1": "offset", "?post_id=0": "post_id", "?post_id=abc": "post_id", "?post_id=-3": "post_id",
		} {
			e.call("GET", "/api/v1/comments"+q, "admin", nil).wantError(t, http.StatusBadRequest, field)
		}
		// Moderators only.
		e.call("GET", "/api/v1/comments", "admin", nil).want(t, http.StatusOK)
		e.call("GET", "/api/v1/comments", "author", nil).wantError(t, http.StatusForbidden, "")
		e.call("GET", "/api/v1/comments", "", nil).wantError(t, http.StatusUnauthorized, "")
		e.call("GET", "/api/v1/comments", "not-a-token", nil).wantError(t, http.StatusUnauthorized, "")
	})
}

func TestCommentShow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.publish("author", "Commented")
		c := &comment.Comment{PostID: p, Author: "Sam Spammer", Email: "sam@spam.example", URL: "https://spam.example",
			Content: "Buy *now*", Status: comment.Spam, SpamScore: 0.97, HasScore: true,
			SpamReasons: "links to a known spam site\n\nsounds like a sales pitch\n"}
		if err := e.comments.Create(context.Background(), c, 5); err != nil {
			t.Fatal(err)
		}
		a := e.call("GET", commentPath(c.ID), "editor", nil).want(t, http.StatusOK)
		for k, want := range map[string]any{
			"id": float64(c.ID), "post_id": float64(p), "parent_id": nil, "author": "Sam Spammer", "email": "sam@spam.example",
			"url": "https://spam.example", "content": "Buy *now*", "status": "spam", "type": "comment", "user_id": nil,
			"spam_score": 0.97,
		} {
			if got, ok := a.JSON[k]; !ok || got != want {
				t.Errorf("%s = %#v, want %#v", k, got, want)
			}
		}
		if got, want := a.JSON["spam_reasons"], []any{"links to a known spam site", "sounds like a sales pitch"}; !reflect.DeepEqual(got, want) {
			t.Errorf("spam_reasons = %#v, want %#v", got, want)
		}
		if !strings.Contains(a.str("content_html"), "<em>now</em>") {
			t.Errorf("content_html = %q", a.str("content_html"))
		}
		created := parseTime(t, a.str("created_at"))
		if d := time.Since(created); d < -time.Minute || d > time.Minute {
			t.Errorf("created_at = %v", created)
		}
		parseTime(t, a.str("updated_at"))

		// Without a score: null and [].
		plain := e.addComment(p, comment.Pending, "Plain")
		a = e.call("GET", commentPath(plain.ID), "admin", nil).want(t, http.StatusOK)
		if a.JSON["spam_score"] != nil || !strings.Contains(string(a.Raw), `"spam_reasons":[]`) || a.JSON["moderated_at"] != nil {
			t.Errorf("unscored comment: %s", a.Raw)
		}

		// Moderators only, and the permission comes before existence.
		e.call("GET", commentPath(c.ID), "author", nil).wantError(t, http.StatusForbidden, "")
		e.call("GET", commentPath(999999), "author", nil).wantError(t, http.StatusForbidden, "")
		e.call("GET", commentPath(c.ID), "", nil).wantError(t, http.StatusUnauthorized, "")
		for _, path := range []string{commentPath(999999), "/api/v1/comments/abc", "/api/v1/comments/0", "/api/v1/comments/-1"} {
			e.call("GET", path, "admin", nil).wantError(t, http.StatusNotFound, "")
			e.call("PATCH", path, "admin", `{"status": "trash"}`).wantError(t, http.StatusNotFound, "")
			e.call("DELETE", path, "admin", nil).wantError(t, http.StatusNotFound, "")
		}
	})
}

func TestCommentUpdate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		ctx := context.Background()
		p := e.publish("author", "Moderated")
		c := e.addComment(p, comment.Pending, "Original")
		path := commentPath(c.ID)

		// Status.
		a := e.call("PATCH", path, "editor", map[string]any{"status": "approved"}).want(t, http.StatusOK)
		if a.str("status") != "approved" || a.str("content") != "Original" || a.JSON["moderated_at"] == nil {
			t.Errorf("approved: %s", a.Raw)
		}
		if got, err := e.comments.ByID(ctx, c.ID); err != nil || got.Status != comment.Approved {
			t.Fatalf("stored: %v, %v", got, err)
		}
		if g := e.call("GET", fmt.Sprintf("/api/v1/posts/%d", p), "author", nil).want(t, http.StatusOK); g.JSON["comment_count"] != float64(1) {
			t.Errorf("comment_count = %v after approval", g.JSON["comment_count"])
		}

		// Content: trimmed, re-rendered and stored; the status stays.
		a = e.call("PATCH", path, "admin", map[string]any{"content": "  Edited **text**\r\nline two  "}).want(t, http.StatusOK)
		if a.str("content") != "Edited **text**\nline two" || !strings.Contains(a.str("content_html"), "<strong>text</strong>") || a.str("status") != "approved" {
			t.Errorf("edited: %s", a.Raw)
		}
		got, err := e.comments.ByID(ctx, c.ID)
		if err != nil || got.Content != "Edited **text**\nline two" || !strings.Contains(got.ContentHTML, "<strong>text</strong>") {
			t.Fatalf("stored: %+v, %v", got, err)
		}
		// GET shows what PATCH answered.
		if g := e.call("GET", path, "admin", nil).want(t, http.StatusOK); string(g.Raw) != string(a.Raw) {
			t.Errorf("GET differs from PATCH:\n%s\n%s", g.Raw, a.Raw)
		}

		// Both at once.
		a = e.call("PATCH", path, "editor", map[string]any{"status": "trash", "content": "Both"}).want(t, http.StatusOK)
		if a.str("status") != "trash" || a.str("content") != "Both" {
			t.Errorf("both: %s", a.Raw)
		}

		// An empty patch, or nulls, change nothing.
		before := e.call("GET", path, "admin", nil).want(t, http.StatusOK)
		for _, body := range []string{`{}`, `{"status": null, "content": null}`} {
			if after := e.call("PATCH", path, "admin", body).want(t, http.StatusOK); string(after.Raw) != string(before.Raw) {
				t.Errorf("%s changed the comment:\n%s\n%s", body, before.Raw, after.Raw)
			}
		}

		// Bad input names the field, and changes nothing.
		for body, field := range map[string]string{
			`{"status": "all"}`:                  "status",
			`{"status": "published"}`:            "status",
			`{"status": ""}`:                     "status",
			`{"status": 3}`:                      "status",
			`{"content": ""}`:                    "content",
			`{"content": "   \n "}`:              "content",
			`{"content": ["a"]}`:                 "content",
			`{"content": "nul\u0000here"}`:       "content",
			`{"author": "Someone else"}`:         "author",
			`{"status": "spam", "parent_id": 1}`: "parent_id",
		} {
			e.call("PATCH", path, "admin", body).wantError(t, http.StatusBadRequest, field)
		}
		for _, body := range []string{`{"status": `, `not json`, `[]`, ``, `{} {}`} {
			e.call("PATCH", path, "admin", body).wantError(t, http.StatusBadRequest, "")
		}
		e.call("PATCH", path, "admin", `{"content": "x"}`, "Content-Type", "text/plain").wantError(t, http.StatusUnsupportedMediaType, "")
		huge := `{"content": "` + strings.Repeat("a", MaxBody) + `"}`
		e.call("PATCH", path, "admin", huge).wantError(t, http.StatusRequestEntityTooLarge, "")
		if after := e.call("GET", path, "admin", nil).want(t, http.StatusOK); string(after.Raw) != string(before.Raw) {
			t.Errorf("a rejected patch changed the comment:\n%s\n%s", before.Raw, after.Raw)
		}

		// Moderators only.
		e.call("PATCH", path, "author", map[string]any{"status": "approved"}).wantError(t, http.StatusForbidden, "")
		e.call("PATCH", path, "", map[string]any{"status": "approved"}).wantError(t, http.StatusUnauthorized, "")
		if got, _ := e.comments.ByID(ctx, c.ID); got.Status != comment.Trash {
			t.Errorf("a refused patch changed the status to %s", got.Status)
		}
	})
}

func TestCommentSpamTraining(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		p := e.publish("author", "Targeted")
		c := e.addComment(p, comment.Pending, "Cheap watches at https://spam.example")
		path := commentPath(c.ID)
		steps := []struct {
			to          string
			dSpam, dHam int
		}{
			{"spam", 1, 0},     // marking spam teaches spam
			{"spam", 0, 0},     // no change, no lesson
			{"approved", 0, 1}, // out of spam: ham
			{"trash", 0, 0},    // trashing teaches nothing
			{"spam", 1, 0},
			{"pending", 0, 1}, // rescued from spam to pending: ham
			{"approved", 0, 1},
		}
		for _, s := range steps {
			spam0, ham0 := e.events()
			e.call("PATCH", path, "editor", map[string]any{"status": s.to}).want(t, http.StatusOK)
			spam1, ham1 := e.events()
			if spam1-spam0 != s.dSpam || ham1-ham0 != s.dHam {
				t.Errorf("to %s: +%d spam, +%d ham events, want +%d, +%d", s.to, spam1-spam0, ham1-ham0, s.dSpam, s.dHam)
			}
		}
		// Editing the content teaches nothing.
		spam0, ham0 := e.events()
		e.call("PATCH", path, "editor", map[string]any{"content": "Reworded"}).want(t, http.StatusOK)
		if spam1, ham1 := e.events(); spam1 != spam0 || ham1 != ham0 {
			t.Errorf("a content edit taught the filter")
		}
	})
}

func TestCommentDelete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		ctx := context.Background()
		p := e.publish("author", "Pruned")
		top := e.addComment(p, comment.Approved, "Top")
		reply := &comment.Comment{PostID: p, ParentID: top.ID, Author: "Rex", Content: "Reply", Status: comment.Approved}
		if err := e.comments.Create(ctx, reply, 5); err != nil {
			t.Fatal(err)
		}
		e.call("DELETE", commentPath(top.ID), "author", nil).wantError(t, http.StatusForbidden, "")
		e.call("DELETE", commentPath(top.ID), "", nil).wantError(t, http.StatusUnauthorized, "")
		a := e.call("DELETE", commentPath(top.ID), "editor", nil).want(t, http.StatusNoContent)
		if len(a.Raw) != 0 {
			t.Errorf("204 with a body: %s", a.Raw)
		}
		e.call("GET", commentPath(top.ID), "editor", nil).wantError(t, http.StatusNotFound, "")
		e.call("DELETE", commentPath(top.ID), "editor", nil).wantError(t, http.StatusNotFound, "")
		// The reply stays, now at top level.
		r := e.call("GET", commentPath(reply.ID), "editor", nil).want(t, http.StatusOK)
		if r.JSON["parent_id"] != nil {
			t.Errorf("reply's parent_id = %v", r.JSON["parent_id"])
		}
		if g := e.call("GET", fmt.Sprintf("/api/v1/posts/%d", p), "author", nil).want(t, http.StatusOK); g.JSON["comment_count"] != float64(1) {
			t.Errorf("comment_count = %v", g.JSON["comment_count"])
		}
	})
}

func TestReplyCreate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		ctx := context.Background()
		// author replies under author2's post.
		p := e.publish("author2", "Open for discussion")
		a := e.call("POST", replyPath(p), "author", map[string]any{"content": " A *reply*\r\n"}).want(t, http.StatusCreated)
		for k, want := range map[string]any{
			"post_id": float64(p), "parent_id": nil, "user_id": float64(e.users["author"].ID), "status": "approved",
			"author": "Ann Author", "email": "author@example.org", "content": "A *reply*", "type": "comment", "spam_score": nil,
		} {
			if got := a.JSON[k]; got != want {
				t.Errorf("%s = %#v, want %#v", k, got, want)
			}
		}
		if !strings.Contains(a.str("content_html"), "<em>reply</em>") {
			t.Errorf("content_html = %q", a.str("content_html"))
		}
		if got, want := a.Header.Get("Location"), testBase+commentPath(a.id()); got != want {
			t.Errorf("Location %q, want %q", got, want)
		}
		if g := e.call("GET", commentPath(a.id()), "editor", nil).want(t, http.StatusOK); string(g.Raw) != string(a.Raw) {
			t.Errorf("GET differs from POST:\n%s\n%s", g.Raw, a.Raw)
		}
		stored, err := e.comments.ByID(ctx, a.id())
		if err != nil || stored.UserID != e.users["author"].ID || stored.Status != comment.Approved {
			t.Fatalf("stored: %+v, %v", stored, err)
		}
		if g := e.call("GET", fmt.Sprintf("/api/v1/posts/%d", p), "author2", nil).want(t, http.StatusOK); g.JSON["comment_count"] != float64(1) {
			t.Errorf("comment_count = %v", g.JSON["comment_count"])
		}

		// A reply to a reply; parent_id 0 and null are top level.
		r := e.call("POST", replyPath(p), "author2", map[string]any{"content": "Thanks!", "parent_id": a.id()}).want(t, http.StatusCreated)
		if r.JSON["parent_id"] != float64(a.id()) || r.JSON["user_id"] != float64(e.users["author2"].ID) {
			t.Errorf("reply: %s", r.Raw)
		}
		for _, body := range []string{`{"content": "zero", "parent_id": 0}`, `{"content": "null", "parent_id": null}`} {
			if z := e.call("POST", replyPath(p), "editor", body).want(t, http.StatusCreated); z.JSON["parent_id"] != nil {
				t.Errorf("%s: parent_id = %v", body, z.JSON["parent_id"])
			}
		}

		// The parent must be an approved comment of the same post.
		other := e.publish("author2", "Elsewhere")
		elsewhere := e.addComment(other, comment.Approved, "On another post")
		held := e.addComment(p, comment.Pending, "Held")
		spammy := e.addComment(p, comment.Spam, "Spam")
		for _, parent := range []int64{elsewhere.ID, held.ID, spammy.ID, 999999, -1} {
			e.call("POST", replyPath(p), "author", map[string]any{"content": "Hi", "parent_id": parent}).
				wantError(t, http.StatusBadRequest, "parent_id")
		}

		// The content is required and limited by the settings.
		st, err := e.settings.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.Comments.MaxLength = 100
		if err := e.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{`{}`, `{"parent_id": 0}`, `{"content": null}`, `{"content": ""}`, `{"content": " \n\t"}`,
			`{"content": 5}`, `{"content": "a\u0000b"}`, `{"content": "` + strings.Repeat("é", 101) + `"}`} {
			e.call("POST", replyPath(p), "author", body).wantError(t, http.StatusBadRequest, "content")
		}
		e.call("POST", replyPath(p), "author", `{"content": "`+strings.Repeat("é", 100)+`"}`).want(t, http.StatusCreated)
		e.call("POST", replyPath(p), "author", `{"content": "x", "status": "spam"}`).wantError(t, http.StatusBadRequest, "status")
		e.call("POST", replyPath(p), "author", `{"content": "x", "parent_id": "1"}`).wantError(t, http.StatusBadRequest, "parent_id")
		e.call("POST", replyPath(p), "author", `{"content": `).wantError(t, http.StatusBadRequest, "")

		// Threads deeper than the site allows hang at the deepest level.
		st.Comments.ThreadDepth = 2
		if err := e.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		deep := e.call("POST", replyPath(p), "author", map[string]any{"content": "Deep", "parent_id": r.id()}).want(t, http.StatusCreated)
		if deep.JSON["parent_id"] != float64(a.id()) {
			t.Errorf("deep reply's parent_id = %v, want %d", deep.JSON["parent_id"], a.id())
		}

		// Closed comments: authors are refused, moderators may still reply.
		e.call("PATCH", fmt.Sprintf("/api/v1/posts/%d", p), "author2", map[string]any{"comments_open": false}).want(t, http.StatusOK)
		for _, who := range []string{"author", "author2"} {
			e.call("POST", replyPath(p), who, map[string]any{"content": "Closed?"}).wantError(t, http.StatusForbidden, "")
		}
		e.call("POST", replyPath(p), "editor", map[string]any{"content": "Moderator's word"}).want(t, http.StatusCreated)
		e.call("POST", replyPath(p), "admin", map[string]any{"content": "Admin's word"}).want(t, http.StatusCreated)

		// The site closes comments on old posts too.
		st.Comments.CloseAfterDays = 30
		if err := e.settings.Save(ctx, st); err != nil {
			t.Fatal(err)
		}
		old := e.publish("author2", "Old news", "published_at", "2020-01-01T00:00:00Z")
		e.call("POST", replyPath(old), "author", map[string]any{"content": "Late"}).wantError(t, http.StatusForbidden, "")
		e.call("POST", replyPath(old), "editor", map[string]any{"content": "Late"}).want(t, http.StatusCreated)
		recent := e.publish("author2", "Fresh news")
		e.call("POST", replyPath(recent), "author", map[string]any{"content": "Early"}).want(t, http.StatusCreated)

		// The post must exist and be readable.
		for _, path := range []string{replyPath(999999), "/api/v1/posts/abc/comments", "/api/v1/posts/0/comments"} {
			e.call("POST", path, "author", map[string]any{"content": "Hello?"}).wantError(t, http.StatusNotFound, "")
		}
		draft := e.create("author2", map[string]any{"title": "Not yet"}).id()
		e.call("POST", replyPath(draft), "author", map[string]any{"content": "Sneak"}).wantError(t, http.StatusForbidden, "")
		e.call("POST", replyPath(draft), "author2", map[string]any{"content": "My own draft"}).want(t, http.StatusCreated)

		// A token is required.
		e.call("POST", replyPath(recent), "", map[string]any{"content": "Anonymous"}).wantError(t, http.StatusUnauthorized, "")
		e.call("POST", replyPath(recent), "bogus", map[string]any{"content": "Anonymous"}).wantError(t, http.StatusUnauthorized, "")
	})
}

func TestCommentRoutes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, testBase)
		for path, allow := range map[string]string{
			"/api/v1/comments":         "GET, HEAD",
			"/api/v1/comments/1":       "DELETE, GET, HEAD, PATCH",
			"/api/v1/posts/1/comments": "POST",
		} {
			a := e.call("PUT", path, "admin", `{}`).want(t, http.StatusMethodNotAllowed)
			if a.Header.Get("Allow") != allow || a.str("error") == "" {
				t.Errorf("PUT %s: Allow %q, body %s", path, a.Header.Get("Allow"), a.Raw)
			}
		}
		e.call("GET", "/api/v1/posts/1/comments", "admin", nil).want(t, http.StatusMethodNotAllowed)
		for _, path := range []string{"/api/v1/comments/", "/api/v1/comments/1/x", "/api/v1/posts/1/comments/2"} {
			e.call("GET", path, "admin", nil).wantError(t, http.StatusNotFound, "")
		}
	})
}
