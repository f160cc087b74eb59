package admin

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/akismet"
	"marquee/internal/comment"
	"marquee/internal/privacy"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// The app wires these in as they are.
var (
	_ akismetKeys    = (*akismet.Store)(nil)
	_ privacyService = (*privacy.Service)(nil)
)

func TestAkismetKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/akismet"), 200, "No keys", `href="/admin/akismet" aria-current="page"`,
			"<code class=\"break\">"+e.srv.URL+"/1.1/</code>", "Use Marquee as your Akismet")

		// Not a site's address: the form again, 422, the message at the field,
		// what was typed kept, and HTML in it inert.
		for _, bad := range []string{"shop.example.com", "ftp://shop.example.com/", "https://", "javascript:alert(1)",
			`<script>alert("blog")</script>`, "https://user:pw@shop.example.com/", "   "} {
			r := e.post(c, "/admin/akismet", url.Values{"blog": {bad}})
			expect(t, r, http.StatusUnprocessableEntity, `id="blog-error"`, "such as https://shop.example.com/")
			if v := strings.TrimSpace(bad); v != "" && !strings.Contains(r.body, `value="`+html.EscapeString(v)+`"`) {
				t.Errorf("%q not kept:\n%s", bad, r.body)
			}
			if strings.Contains(r.body, "<script>alert(") {
				t.Errorf("%q is live HTML on the page", bad)
			}
		}
		if ks, _ := e.akismet.Keys(ctx, akismet.Month(time.Now())); len(ks) != 0 {
			t.Fatalf("a bad URL made a key: %+v", ks[0])
		}

		// A key: shown once, and it is a key of the store.
		r := e.post(c, "/admin/akismet", url.Values{"blog": {" https://shop.example.com/ "}})
		expect(t, r, http.StatusCreated, "Copy it now", "not shown again", "For https://shop.example.com/.", e.srv.URL+"/1.1/")
		m := secretRe.FindStringSubmatch(r.body)
		if m == nil || len(m[1]) != akismet.KeyLen {
			t.Fatalf("no key on the page:\n%s", r.body)
		}
		key := m[1]
		k, err := e.akismet.Lookup(ctx, key)
		if err != nil || k.Blog != "https://shop.example.com/" || k.Revoked() {
			t.Fatalf("%+v %v", k, err)
		}
		// A blog address with HTML in it is listed as text.
		if r := e.post(c, "/admin/akismet", url.Values{"blog": {`https://x.example/<b>bold</b>`}}); r.StatusCode != http.StatusCreated ||
			strings.Contains(r.body, "<b>bold") {
			t.Fatalf("%d\n%s", r.StatusCode, r.body)
		}

		// The listing: this month's usage summed over the key's sites, the
		// prefix, never the key.
		month := akismet.Month(time.Now())
		e.akismet.Count(k.ID, month, "shop.example.com", akismet.Usage{Calls: 5, Spam: 2, Ham: 3})
		e.akismet.Count(k.ID, month, "www.shop.example.com", akismet.Usage{Calls: 1, Ham: 1, MissedSpam: 1, FalsePositives: 4})
		e.akismet.Count(k.ID, "2001-01", "shop.example.com", akismet.Usage{Calls: 100, Spam: 100})
		r = e.get(c, "/admin/akismet")
		expect(t, r, 200, "<code>"+key[:4]+"…</code>", "https://shop.example.com/", "(2 sites this month)", "badge-active",
			"<td>6</td><td>2</td><td>4</td><td>1</td><td>4</td>", `href="/admin/akismet/`+itoa(k.ID)+`/revoke"`,
			"https://x.example/&lt;b&gt;bold&lt;/b&gt;")
		if strings.Contains(r.body, key) {
			t.Error("the listing shows the key")
		}

		// Revoking asks first, and changes nothing until confirmed.
		revoke := "/admin/akismet/" + itoa(k.ID) + "/revoke"
		expect(t, e.get(c, revoke), 200, "Revoke the key "+key[:4]+"… of https://shop.example.com/?",
			`action="`+revoke+`"`, "Revoke key", `href="/admin/akismet"`)
		if k, _ := e.akismet.Lookup(ctx, key); k.Revoked() {
			t.Fatal("revoked before confirming")
		}
		r = e.post(c, revoke, nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/akismet?flash=key-revoked" {
			t.Fatalf("%d %q", r.StatusCode, r.Header.Get("Location"))
		}
		if k, _ := e.akismet.Lookup(ctx, key); !k.Revoked() {
			t.Fatal("the key was not revoked")
		}
		r = e.get(c, "/admin/akismet?flash=key-revoked")
		expect(t, r, 200, "The key has been revoked", "badge-revoked")
		if strings.Contains(r.body, `href="`+revoke+`"`) {
			t.Error("a revoked key offers revoking")
		}
		// Again: nothing to ask, nothing changes.
		if r := e.get(c, revoke); r.StatusCode != http.StatusSeeOther {
			t.Errorf("confirming a revoked key: %d", r.StatusCode)
		}
		expect(t, e.post(c, revoke, nil), http.StatusSeeOther)
		expect(t, e.get(c, "/admin/akismet/999999/revoke"), http.StatusNotFound)
		expect(t, e.post(c, "/admin/akismet/999999/revoke", nil), http.StatusNotFound)
		expect(t, e.post(c, "/admin/akismet/x/revoke", nil), http.StatusNotFound)
	})
}

// TestAdminsOnly: editors and authors are refused every Akismet and privacy
// page and action, and do not see them in the navigation; logged-out
// visitors go to the login form.
func TestAdminsOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		_, k, err := e.akismet.AddKey(ctx, "https://shop.example.com/")
		if err != nil {
			t.Fatal(err)
		}
		p := e.publishedPost("Alpha")
		cm := e.addComment(p.ID, comment.Approved, "Alice Liddell", "Hello.")
		revoke := "/admin/akismet/" + itoa(k.ID) + "/revoke"
		gets := []string{"/admin/akismet", revoke, "/admin/privacy", "/admin/privacy/export?email=alice.liddell@example.org",
			"/admin/privacy/erase?email=alice.liddell@example.org&mode=delete"}
		posts := map[string]url.Values{
			"/admin/akismet":       {"blog": {"https://evil.example/"}},
			revoke:                 nil,
			"/admin/privacy":       {"privacy_ip_retention_days": {"1"}, "privacy_spam_retention_days": {"1"}, "privacy_edit_window_minutes": {"0"}},
			"/admin/privacy/erase": {"email": {"alice.liddell@example.org"}, "mode": {"delete"}},
		}
		for _, role := range []account.Role{account.Editor, account.Author} {
			email := string(role) + "@example.org"
			if _, err := e.accounts.Create(ctx, email, "", role, adminPass); err != nil {
				t.Fatal(err)
			}
			c := e.loggedIn(email, adminPass)
			for _, path := range gets {
				expect(t, e.get(c, path), http.StatusForbidden, "only administrators")
			}
			for path, form := range posts {
				expect(t, e.post(c, path, form), http.StatusForbidden)
			}
			r := e.get(c, "/admin/")
			expect(t, r, 200)
			if strings.Contains(r.body, `href="/admin/akismet"`) || strings.Contains(r.body, `href="/admin/privacy"`) {
				t.Errorf("%s sees the admins' navigation", role)
			}
		}
		anon := e.client()
		for _, path := range gets {
			if r := e.get(anon, path); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login?next=") {
				t.Errorf("anonymous GET %s: %d %q", path, r.StatusCode, r.Header.Get("Location"))
			}
		}
		for path, form := range posts {
			expect(t, e.post(anon, path, form), http.StatusUnauthorized)
		}
		// Nothing happened.
		ks, _ := e.akismet.Keys(ctx, akismet.Month(time.Now()))
		if len(ks) != 1 || ks[0].Revoked() {
			t.Errorf("keys changed: %d", len(ks))
		}
		if got, err := e.comments.ByID(ctx, cm.ID); err != nil || got.Author != "Alice Liddell" {
			t.Errorf("the comment changed: %+v %v", got, err)
		}
		if pol, _ := e.privacy.LoadPolicy(ctx); pol != privacy.DefaultPolicy() {
			t.Errorf("the policy changed: %+v", pol)
		}
		if es, _ := e.privacy.Audit(ctx, 10); len(es) != 0 {
			t.Errorf("refused requests were logged: %+v", es)
		}
		// Administrators see both in the navigation.
		r := e.get(e.loggedIn("admin@example.org", adminPass), "/admin/")
		expect(t, r, 200, `href="/admin/akismet"`, `href="/admin/privacy"`)
	})
}
