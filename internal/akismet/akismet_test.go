package akismet

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestVerifyKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		blog := "https://blog.example.org/"
		for name, a := range map[string]answer{
			"key field":     e.post("/1.1/verify-key", url.Values{"key": {e.key}, "blog": {blog}}),
			"api_key field": e.post("/1.1/verify-key", url.Values{"api_key": {e.key}, "blog": {blog}}),
			"query":         e.post("/1.1/verify-key?key="+e.key, url.Values{"blog": {blog}}),
			"query api_key": e.post("/1.1/verify-key?api_key="+e.key+"&blog="+url.QueryEscape(blog), nil),
			"upper case":    e.post("/1.1/verify-key", url.Values{"key": {strings.ToUpper(e.key)}, "blog": {blog}}),
			"host label":    e.do("POST", "/1.1/verify-key", e.key+".localhost:8080", "application/x-www-form-urlencoded", strings.NewReader("blog="+url.QueryEscape(blog))),
		} {
			t.Run(name, func(t *testing.T) {
				expect(t, a, 200, "valid")
				expectText(t, a)
				if a.help() != "" {
					t.Fatalf("a valid answer carries X-akismet-debug-help %q", a.help())
				}
			})
		}
		expectInvalid(t, e.post("/1.1/verify-key", url.Values{"key": {"0123456789ab"}, "blog": {blog}}), 200, "Invalid API key")
		expectInvalid(t, e.post("/1.1/verify-key", url.Values{"key": {"not a key!"}, "blog": {blog}}), 200, "not an API key")
		expectInvalid(t, e.post("/1.1/verify-key", url.Values{"blog": {blog}}), 200, `Empty "api_key" value`)
		expectInvalid(t, e.post("/1.1/verify-key", url.Values{"key": {e.key}}), 200, `Empty "blog" value`)
		// An ordinary first label is not taken for a key.
		expectInvalid(t, e.do("POST", "/1.1/verify-key", "rest.example.org", "", strings.NewReader("blog=x")), 200, `Empty "api_key" value`)
	})
}

func TestCommentCheck(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		ham := e.post("/1.1/comment-check", e.comment("comment_author", "Ann Baker", "comment_author_email", "ann@example.net", "comment_content", hamText))
		expect(t, ham, 200, "false")
		expectText(t, ham)
		if ham.help() != "" || ham.hdr.Get("X-akismet-pro-tip") != "" {
			t.Fatalf("ham answer has extra headers: %v", ham.hdr)
		}

		trig := e.post("/1.1/comment-check", e.comment("comment_author", "viagra-test-123", "comment_content", hamText))
		expect(t, trig, 200, "true")
		expect(t, e.post("/1.1/comment-check", e.comment("comment_author_email", "akismet-guaranteed-spam@example.com", "comment_content", hamText)), 200, "true")
		// administrator wins, even over a trigger
		expect(t, e.post("/1.1/comment-check", e.comment("comment_author", "viagra-test-123", "user_role", "administrator", "comment_content", hamText)), 200, "false")

		// A filled honeypot is blatant spam: true and the discard tip.
		hp := e.post("/1.1/comment-check", e.comment("comment_content", hamText, "honeypot_field_name", "hidden_url", "hidden_url", "https://x.example/"))
		expect(t, hp, 200, "true")
		if got := hp.hdr.Get("X-akismet-pro-tip"); got != "discard" {
			t.Fatalf("X-akismet-pro-tip %q, want discard", got)
		}
		// WordPress sends the honeypot as POST_<name>; empty is fine.
		expect(t, e.post("/1.1/comment-check", e.comment("comment_content", hamText, "honeypot_field_name", "ak_hp", "POST_ak_hp", "")), 200, "false")
		expect(t, e.post("/1.1/comment-check", e.comment("comment_content", hamText, "honeypot_field_name", "ak_hp", "POST_ak_hp", "filled")), 200, "true")

		missing := e.comment("comment_content", hamText)
		missing.Del("user_ip")
		expectInvalid(t, e.post("/1.1/comment-check", missing), 200, `Empty "user_ip" value`)
		missing = e.comment("comment_content", hamText)
		missing.Del("blog")
		expectInvalid(t, e.post("/1.1/comment-check", missing), 200, `Empty "blog" value`)
		bad := e.comment()
		bad.Set("api_key", "aaaaaaaaaaaa")
		expectInvalid(t, e.post("/1.1/comment-check", bad), 200, "Invalid API key")
	})
}

// Every place a client puts the key.
func TestKeyForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		form := e.comment("comment_content", hamText)
		form.Del("api_key")
		body := form.Encode()
		ct := "application/x-www-form-urlencoded"
		cases := map[string]answer{
			"api_key field": e.do("POST", "/1.1/comment-check", "", ct, strings.NewReader(body+"&api_key="+e.key)),
			"key field":     e.do("POST", "/1.1/comment-check", "", ct, strings.NewReader(body+"&key="+e.key)),
			"query":         e.do("POST", "/1.1/comment-check?api_key="+e.key, "", ct, strings.NewReader(body)),
			"host label":    e.do("POST", "/1.1/comment-check", e.key+".spam.example.org", ct, strings.NewReader(body)),
			"localhost":     e.do("POST", "/1.1/comment-check", e.key+".localhost:41234", ct, strings.NewReader(body)),
			"multipart":     e.do("POST", "/1.1/comment-check", "", "multipart/form-data; boundary=XyZ", strings.NewReader(multipartBody(form, "api_key", e.key))),
		}
		for name, a := range cases {
			t.Run(name, func(t *testing.T) { expect(t, a, 200, "false") })
		}
		expectInvalid(t, e.do("POST", "/1.1/comment-check", "", ct, strings.NewReader(body)), 200, `Empty "api_key" value`)
		if n, _ := e.keys.MonthCalls(context.Background(), e.k.ID, month); n != int64(len(cases)) {
			t.Fatalf("counted %d calls, want %d", n, len(cases))
		}
	})
}

func multipartBody(f url.Values, kv ...string) string {
	var b strings.Builder
	part := func(k, v string) {
		fmt.Fprintf(&b, "--XyZ\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", k, v)
	}
	for k, vs := range f {
		for _, v := range vs {
			part(k, v)
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		part(kv[i], kv[i+1])
	}
	b.WriteString("--XyZ--\r\n")
	return b.String()
}

// A windows-1252 body (é = 0xE9, € = 0x80, ’ = 0x92) reaches the model as UTF-8.
func TestCharset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		raw := "api_key=" + e.key + "&blog=https%3A%2F%2Fblog.example.org%2F&user_ip=203.0.113.9" +
			"&comment_author=Ren%E9&comment_content=Caf%E9+cr%E8me+%80+5+c%92est+tr%E8s+bon"
		for _, c := range []struct{ name, body, ct, want string }{
			{"blog_charset", raw + "&blog_charset=windows-1252", "application/x-www-form-urlencoded", "Café crème € 5 c’est très bon"},
			{"ISO-8859-1 in Content-Type", raw, "application/x-www-form-urlencoded; charset=ISO-8859-1", "Café crème € 5 c’est très bon"},
			{"undeclared, not UTF-8", raw, "application/x-www-form-urlencoded", "Café crème € 5 c’est très bon"},
			{"UTF-8", "api_key=" + e.key + "&blog=b&user_ip=1.2.3.4&comment_author=Ren%C3%A9&comment_content=" + url.QueryEscape("Ça va, naïve 東京"),
				"application/x-www-form-urlencoded; charset=utf-8", "Ça va, naïve 東京"},
		} {
			t.Run(c.name, func(t *testing.T) {
				expect(t, e.do("POST", "/1.1/submit-spam", "", c.ct, strings.NewReader(c.body)), 200, "Thanks for making the web a better place.")
				var author, content string
				if err := db.QueryRowContext(context.Background(), "SELECT author, content FROM spam_events WHERE model = $1 ORDER BY id DESC LIMIT 1",
					e.k.Model()).Scan(&author, &content); err != nil {
					t.Fatal(err)
				}
				if content != c.want || author != "René" {
					t.Fatalf("learned author %q content %q, want René %q", author, content, c.want)
				}
			})
		}
		got := decodeForm(url.Values{"a": {"\xe9t\xe9"}}, "iso-8859-1")
		if got.Get("a") != "été" {
			t.Fatalf("decodeForm: %q", got.Get("a"))
		}
	})
}

// submit-spam teaches the key's model: a new campaign submitted twice is
// caught the third time, by that key only.
func TestLearningLoopAndIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		keyB, _ := e.addKey("https://other.example.com/")
		campaign := func(season string, key string) url.Values {
			f := e.comment("comment_author", "Grainhouse Lyon", "comment_author_email", "sales@grainhouse-lyon.example",
				"comment_author_url", "https://grainhouse-lyon.example/",
				"comment_content", "Our family bakery in Lyon now ships heirloom grain flour across Europe, see grainhouse-lyon.example for the "+
					season+" catalogue and wholesale terms.")
			f.Set("api_key", key)
			return f
		}
		expect(t, e.post("/1.1/comment-check", campaign("spring", e.key)), 200, "false")
		expect(t, e.post("/1.1/comment-check", campaign("spring", keyB)), 200, "false")
		expect(t, e.post("/1.1/submit-spam", campaign("spring", e.key)), 200, bodyThanks)
		expect(t, e.post("/1.1/submit-spam", campaign("summer", e.key)), 200, bodyThanks)
		expect(t, e.post("/1.1/comment-check", campaign("autumn", e.key)), 200, "true")
		expect(t, e.post("/1.1/comment-check", campaign("autumn", keyB)), 200, "false")

		// submit-ham undoes it for a key that disagrees.
		expect(t, e.post("/1.1/submit-ham", campaign("autumn", e.key)), 200, bodyThanks)
		// is_test submissions teach nothing.
		f := campaign("winter", keyB)
		f.Set("is_test", "1")
		expect(t, e.post("/1.1/submit-spam", f), 200, bodyThanks)
		expect(t, e.post("/1.1/submit-spam", f), 200, bodyThanks)
		expect(t, e.post("/1.1/comment-check", campaign("winter", keyB)), 200, "false")

		sites := keySites(t, e, e.key, "")
		want := SiteUsage{Site: "blog.example.org", Usage: Usage{Calls: 2, Spam: 1, Ham: 1, MissedSpam: 2, FalsePositives: 1}}
		if len(sites) != 1 || sites[0] != want {
			t.Fatalf("key-sites for A: %+v, want %+v", sites, want)
		}
	})
}

func keySites(t *testing.T, e *env, key, extra string) []SiteUsage {
	t.Helper()
	a := e.do("GET", "/1.2/key-sites?api_key="+key+extra, "", "", nil)
	if a.status != 200 || a.hdr.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("key-sites: %d %s %q", a.status, a.hdr.Get("Content-Type"), a.body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a.body), &raw); err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Site           string `json:"site"`
		APICalls       int64  `json:"api_calls"`
		Spam           int64  `json:"spam"`
		Ham            int64  `json:"ham"`
		MissedSpam     int64  `json:"missed_spam"`
		FalsePositives int64  `json:"false_positives"`
		IsRevoked      *bool  `json:"is_revoked"`
	}
	for k, v := range raw {
		if k != "limit" && k != "offset" && k != "total" {
			if err := json.Unmarshal(v, &list); err != nil {
				t.Fatalf("%s: %v in %s", k, err, a.body)
			}
		}
	}
	out := []SiteUsage{}
	for _, s := range list {
		if s.IsRevoked == nil || *s.IsRevoked {
			t.Fatalf("is_revoked missing or true: %s", a.body)
		}
		out = append(out, SiteUsage{s.Site, Usage{s.APICalls, s.Spam, s.Ham, s.MissedSpam, s.FalsePositives}})
	}
	return out
}

func TestUsageAndKeySites(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		check := func(blog string, kv ...string) {
			f := e.comment(append([]string{"blog", blog, "comment_content", hamText}, kv...)...)
			e.post("/1.1/comment-check", f)
		}
		check("https://blog.example.org/")
		check("https://blog.example.org/")
		check("https://Shop.Example.com:8443/x", "comment_author", "viagra-test-123")
		check("https://blog.example.org/", "is_test", "1")
		check("https://blog.example.org/", "comment_author", "viagra-test-123", "is_test", "true")

		a := e.do("GET", "/1.2/usage-limit?api_key="+e.key, "", "", nil)
		if a.status != 200 || a.hdr.Get("Content-Type") != "application/json; charset=utf-8" ||
			a.body != `{"limit":"none","usage":3,"percentage":"0.00","throttled":false}`+"\n" {
			t.Fatalf("usage-limit: %d %s %q", a.status, a.hdr.Get("Content-Type"), a.body)
		}
		// POST and the key in the body work too.
		if a := e.post("/1.2/usage-limit", url.Values{"api_key": {e.key}}); !strings.Contains(a.body, `"usage":3`) {
			t.Fatalf("POST usage-limit: %q", a.body)
		}

		sites := keySites(t, e, e.key, "")
		want := []SiteUsage{
			{"blog.example.org", Usage{Calls: 2, Ham: 2}},
			{"shop.example.com", Usage{Calls: 1, Spam: 1}},
		}
		if fmt.Sprint(sites) != fmt.Sprint(want) {
			t.Fatalf("key-sites %+v, want %+v", sites, want)
		}
		if s := keySites(t, e, e.key, "&order=spam"); len(s) != 2 || s[0].Site != "shop.example.com" {
			t.Fatalf("order=spam: %+v", s)
		}
		if s := keySites(t, e, e.key, "&filter=SHOP"); len(s) != 1 || s[0].Site != "shop.example.com" {
			t.Fatalf("filter: %+v", s)
		}
		if s := keySites(t, e, e.key, "&limit=1&offset=1"); len(s) != 1 || s[0].Site != "shop.example.com" {
			t.Fatalf("limit/offset: %+v", s)
		}
		if s := keySites(t, e, e.key, "&month=2001-01"); len(s) != 0 {
			t.Fatalf("old month: %+v", s)
		}
		a = e.do("GET", "/1.2/key-sites?api_key="+e.key+"&limit=1", "", "", nil)
		if !strings.HasPrefix(a.body, `{"`+month+`":[{"site":"blog.example.org","api_calls":2,"spam":0,"ham":2,"missed_spam":0,"false_positives":0,"is_revoked":false}],"limit":1,"offset":0,"total":2}`) {
			t.Fatalf("key-sites JSON %s", a.body)
		}
		a = e.do("GET", "/1.2/key-sites?format=csv&api_key="+e.key, "", "", nil)
		wantCSV := "Active sites for " + e.key + " during " + month + " (limit:500, offset: 0, total: 2)\n" +
			"Site,Total API Calls,Spam,Ham,Missed Spam,False Positives,Is Revoked\n" +
			"blog.example.org,2,0,2,0,0,false\nshop.example.com,1,1,0,0,0,false\n"
		if a.status != 200 || a.body != wantCSV || a.hdr.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("csv: %d %q %q", a.status, a.hdr.Get("Content-Type"), a.body)
		}
		expectInvalid(t, e.do("GET", "/1.2/key-sites?api_key="+e.key+"&month=May", "", "", nil), 200, `Invalid "month"`)
		expectInvalid(t, e.do("GET", "/1.2/key-sites?api_key="+e.key+"&order=name", "", "", nil), 200, `Invalid "order"`)
		expectInvalid(t, e.do("GET", "/1.2/key-sites?api_key="+e.key+"&format=xml", "", "", nil), 200, `Invalid "format"`)
		expectInvalid(t, e.do("GET", "/1.2/key-sites?api_key="+e.key+"&limit=-3", "", "", nil), 200, `Invalid "limit"`)
		expectInvalid(t, e.do("GET", "/1.2/usage-limit", "", "", nil), 200, `Empty "api_key"`)

		// Another key sees only its own sites.
		keyB, _ := e.addKey("https://b.example/")
		if s := keySites(t, e, keyB, ""); len(s) != 0 {
			t.Fatalf("key B sees %+v", s)
		}
	})
}

func TestRevokedKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		expect(t, e.post("/1.1/comment-check", e.comment("comment_content", hamText)), 200, "false")
		if _, err := e.keys.Revoke(context.Background(), e.key); err != nil {
			t.Fatal(err)
		}
		expectInvalid(t, e.post("/1.1/comment-check", e.comment("comment_content", hamText)), 200, "was revoked")
		expectInvalid(t, e.post("/1.1/verify-key", url.Values{"key": {e.key}, "blog": {"b"}}), 200, "was revoked")
		expectInvalid(t, e.do("GET", "/1.2/usage-limit?api_key="+e.key, "", "", nil), 200, "was revoked")
	})
}

func TestRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{Rate: 0.5, Burst: 3})
		for range 3 {
			expect(t, e.post("/1.1/comment-check", e.comment("comment_content", hamText)), 200, "false")
		}
		a := e.post("/1.1/comment-check", e.comment("comment_content", hamText))
		expectInvalid(t, a, 429, "Too many requests with this key")
		if a.hdr.Get("Retry-After") != "2" {
			t.Fatalf("Retry-After %q, want 2", a.hdr.Get("Retry-After"))
		}
		if u := e.do("GET", "/1.2/usage-limit?api_key="+e.key, "", "", nil); u.status != 429 {
			t.Fatalf("usage-limit over the limit: %d", u.status)
		}
		// Another key has a bucket of its own.
		keyB, _ := e.addKey("https://b.example/")
		f := e.comment("comment_content", hamText)
		f.Set("api_key", keyB)
		expect(t, e.post("/1.1/comment-check", f), 200, "false")
		a = e.do("GET", "/1.2/usage-limit?api_key="+keyB, "", "", nil)
		if !strings.Contains(a.body, `"usage":1`) {
			t.Fatalf("key B usage: %s", a.body)
		}
	})
}

// Garbage, huge bodies and wrong methods get a clear answer, never a 500.
func TestBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		ct := "application/x-www-form-urlencoded"

		huge := strings.NewReader(strings.Repeat("comment_content=aaaaaaaaaaaaaaa&", 10<<20/32))
		expectInvalid(t, e.do("POST", "/1.1/comment-check", e.key+".localhost", ct, huge), 413, "larger than this server accepts")
		// Without Content-Length (chunked) too.
		chunked := io.MultiReader(strings.NewReader("api_key="+e.key+"&x="), strings.NewReader(strings.Repeat("a", 10<<20)))
		expectInvalid(t, e.do("POST", "/1.1/comment-check", "", ct, io.NopCloser(chunked)), 413, "larger than this server accepts")

		for name, c := range map[string]struct{ ct, body, help string }{
			"bad escape":   {ct, "api_key=" + e.key + "&blog=%zz", "not valid application/x-www-form-urlencoded"},
			"semicolons":   {ct, "api_key=" + e.key + ";blog=x", "not valid application/x-www-form-urlencoded"},
			"JSON":         {"application/json", `{"api_key":"` + e.key + `"}`, "send the fields as application/x-www-form-urlencoded"},
			"binary":       {ct, "\x00\xff\xfe\x01garbage\x00", `Empty "api_key" value`},
			"empty":        {ct, "", `Empty "api_key" value`},
			"bad boundary": {"multipart/form-data; boundary=q", "--zz\r\nnope", "not valid multipart/form-data"},
			"no blog":      {ct, "api_key=" + e.key, `Empty "blog" value`},
		} {
			t.Run(name, func(t *testing.T) {
				expectInvalid(t, e.do("POST", "/1.1/comment-check", "", c.ct, strings.NewReader(c.body)), 200, c.help)
			})
		}

		a := e.do("GET", "/1.1/comment-check?api_key="+e.key, "", "", nil)
		expectInvalid(t, a, 405, "GET is not allowed on /1.1/comment-check")
		if a.hdr.Get("Allow") != "POST" {
			t.Fatalf("Allow %q", a.hdr.Get("Allow"))
		}
		expectInvalid(t, e.do("PUT", "/1.2/key-sites", "", "", nil), 405, "PUT is not allowed")
		expectInvalid(t, e.do("DELETE", "/1.1/verify-key", "", "", nil), 405, "DELETE is not allowed")
		expectInvalid(t, e.do("POST", "/1.1/nonsense", "", ct, nil), 404, "There is no Akismet call /1.1/nonsense")
		expectInvalid(t, e.do("GET", "/", "", "", nil), 404, "There is no Akismet call /")
	})
}

// The headers go out spelled as Akismet spells them.
func TestHeaderSpelling(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		body := "key=aaaaaaaaaaaa&blog=x"
		fmt.Fprintf(conn, "POST /1.1/verify-key HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		raw, _ := io.ReadAll(bufio.NewReader(conn))
		if !strings.Contains(string(raw), "\r\nX-akismet-debug-help: Invalid API key") || !strings.HasSuffix(string(raw), "\r\n\r\ninvalid") {
			t.Fatalf("raw answer:\n%s", raw)
		}
	})
}

func TestStandaloneWithMainMux(t *testing.T) {
	// The lead mounts Mux() under /1.1/ and /1.2/ of the main server.
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		top := http.NewServeMux()
		m := e.h.Mux()
		top.Handle("/1.1/", m)
		top.Handle("/1.2/", m)
		public := http.NewServeMux() // as in internal/app: the public site's wildcards sit in a mux of their own
		public.HandleFunc("GET /{slug}/{$}", func(w http.ResponseWriter, r *http.Request) {})
		top.Handle("/", public)
		req, _ := http.NewRequest("POST", "/1.1/verify-key", strings.NewReader("key="+e.key+"&blog=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		top.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.String() != "valid" {
			t.Fatalf("mounted: %d %q", rec.Code, rec.Body.String())
		}
	})
}

// Counts reach the database by themselves within FlushEvery.
func TestUsageFlushesByItself(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		e.keys.FlushEvery = 20 * time.Millisecond
		e.keys.Count(e.k.ID, month, "a.example", Usage{Calls: 2, Spam: 2})
		deadline := time.Now().Add(5 * time.Second)
		for {
			var n int64
			err := db.QueryRowContext(context.Background(), "SELECT coalesce(sum(calls), 0) FROM akismet_usage WHERE key_id = $1", e.k.ID).Scan(&n)
			if err == nil && n == 2 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("counts not written after 5 s: %d %v", n, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
