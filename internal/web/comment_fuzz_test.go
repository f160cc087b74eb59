package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"marquee/internal/post"
	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/web"
)

// FuzzCommentForm drives the real POST /comments handler with arbitrary
// bodies, content types and field values: it must never panic nor answer
// 500, only 303 (accepted, held, dropped), 400, 404, 413 or 422.
//
//	go test -run '^$' -fuzz FuzzCommentForm -fuzztime 10m ./internal/web/
func FuzzCommentForm(f *testing.F) {
	db := sqldbtest.Open(f, filepath.Join(f.TempDir(), "fuzz.db"))
	ts := newSiteTB(f, db)
	open := ts.createTB(f, &post.Post{Title: "Open", Body: "Reply *here*.", CommentsOpen: true})
	closed := ts.createTB(f, &post.Post{Title: "Closed", Body: "No replies.", CommentsOpen: false})
	st, err := ts.settings.Get(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	st.Comments.MaxLength = 2000
	if err := ts.settings.Save(context.Background(), st); err != nil {
		f.Fatal(err)
	}
	openID := strconv.FormatInt(open.ID, 10)

	// raw, when set, is sent as it is under ctype; else the fields are
	// form-encoded. postID "" is the open post.
	f.Add("", "", "", "Ann", "ann@example.org", "https://ann.example", "Hello there.", "0", "", "")
	f.Add("", "", "", "", "", "", "", "", "", "")
	f.Add("", "", strconv.FormatInt(closed.ID, 10), "Ann", "ann@example.org", "", "Closed?", "0", "", "")
	f.Add("", "", "999999", "Ann", "ann@example.org", "", "Nowhere", "0", "", "")
	f.Add("", "", "-1", "A", "a@b.c", "javascript:alert(1)", "<script>alert(1)</script>", "1", "x", "bot")
	f.Add("", "", "", "Ann", "not an address", "ftp://x", "x", "99999999999999999999", "", "")
	f.Add("", "", "", strings.Repeat("n", 150), "ann@example.org", "", strings.Repeat("long ", 500), "0", "", "")
	f.Add("", "", "", "Ann\x00", "ann@example.org", "", "nul\x00here", "0", "", "")
	f.Add("", "", "", "Ann", "ann@example.org", "", "\xff\xfe invalid utf-8", "0", "", "")
	f.Add("author=%zz&comment=%", "application/x-www-form-urlencoded", "", "", "", "", "", "", "", "")
	f.Add("post_id="+openID+"&post_id=2&author=A&email=a%40b.c&comment=hi;x=1", "application/x-www-form-urlencoded", "", "", "", "", "", "", "", "")
	f.Add("--b\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhi\r\n--b--\r\n", "multipart/form-data; boundary=b", "", "", "", "", "", "", "", "")
	f.Add("--b\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhi", "multipart/form-data; boundary=b", "", "", "", "", "", "", "", "")
	f.Add("{\"comment\":\"hi\"}", "application/json", "", "", "", "", "", "", "", "")
	f.Add("comment=hi", "text/plain; charset=utf-16", "", "", "", "", "", "", "", "")
	f.Add("comment=hi", "application/x-www-form-urlencoded; charset=\"", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, raw, ctype, postID, author, email, link, text, parent, token, honeypot string) {
		var body string
		if raw != "" {
			body = raw
		} else {
			if postID == "" {
				postID = openID
			}
			v := url.Values{"post_id": {postID}, "author": {author}, "email": {email}, "url": {link}, "comment": {text},
				"comment_parent": {parent}, "token": {token}, web.HoneypotField: {honeypot}}
			body = v.Encode()
			if ctype == "" {
				ctype = "application/x-www-form-urlencoded"
			}
		}
		req := httptest.NewRequest("POST", "/comments", strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("POST /comments answered %d (content type %q, body %q):\n%.500s", w.Code, ctype, body, w.Body.String())
		}
	})
}
