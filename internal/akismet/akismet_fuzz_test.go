package akismet

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/sqldb/sqldbtest"
)

// FuzzAkismetForm sends arbitrary bodies, content types, charsets and hosts
// to /1.1/comment-check: never a panic nor a 500, and the body is always
// "true", "false" or "invalid" (413 for an oversized body excepted).
//
//	go test -run '^$' -fuzz FuzzAkismetForm -fuzztime 10m ./internal/akismet/
func FuzzAkismetForm(f *testing.F) {
	db := sqldbtest.Open(f, filepath.Join(f.TempDir(), "fuzz.db"))
	e := newEnv(f, db, Config{Rate: -1})
	h := e.h.Standalone()
	good := "api_key=" + e.key + "&blog=https%3A%2F%2Fblog.example.org%2F&user_ip=192.0.2.1&comment_content=Hello"
	f.Add(good, "application/x-www-form-urlencoded", "", "")
	f.Add(good+"&blog_charset=ISO-8859-1&comment_author=Ren%E9", "application/x-www-form-urlencoded", "", "")
	f.Add(good+"&blog_charset=windows-1252&comment_content=%80%81%8D%9F", "application/x-www-form-urlencoded", "", "")
	f.Add(good+"&blog_charset=utf-16&comment_content=%FF%FE", "application/x-www-form-urlencoded", "", "")
	f.Add(good+"&blog_charset=no-such-charset", "application/x-www-form-urlencoded", "", "")
	f.Add("blog=https%3A%2F%2Fblog.example.org%2F&user_ip=192.0.2.1", "application/x-www-form-urlencoded", e.key+".akismet.example.org", "")
	f.Add("blog=x&user_ip=not-an-ip&comment_author=viagra-test-123", "application/x-www-form-urlencoded", "", "?api_key="+e.key)
	f.Add(good+"&user_role=administrator&is_test=1", "application/x-www-form-urlencoded; charset=iso-8859-1", "", "")
	f.Add(good+"&comment_date_gmt=not-a-date&comment_post_modified_gmt=2020-13-45T99:99:99Z", "application/x-www-form-urlencoded", "", "")
	f.Add("%zz=%", "application/x-www-form-urlencoded", "", "")
	f.Add("", "", "", "")
	f.Add("{\"api_key\":\"x\"}", "application/json", "", "")
	f.Add("--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n"+e.key+"\r\n--b--\r\n", "multipart/form-data; boundary=b", "", "")
	f.Add(good, "application/x-www-form-urlencoded", "ABCDEF012345.localhost:8080", "?api_key=%zz")
	f.Add(good+"&key=000000000000&api_key=", "text/plain", "[::1]:80", "?")
	f.Fuzz(func(t *testing.T, body, ctype, host, query string) {
		req := httptest.NewRequest("POST", "/1.1/comment-check", strings.NewReader(body))
		if strings.HasPrefix(query, "?") {
			if u, err := req.URL.Parse("/1.1/comment-check" + query); err == nil {
				req.URL = u
			}
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if host != "" {
			req.Host = host
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("comment-check answered %d %q (body %q, type %q, host %q, query %q)", w.Code, w.Body.String(), body, ctype, host, query)
		}
		if w.Code == http.StatusRequestEntityTooLarge {
			return
		}
		switch b := w.Body.String(); b {
		case "true", "false", "invalid":
		default:
			t.Fatalf("comment-check answered %d %q, want true, false or invalid (body %q, type %q, host %q, query %q)", w.Code, b, body, ctype, host, query)
		}
	})
}
