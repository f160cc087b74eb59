package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/privacy"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestPrivacyPolicy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		expect(t, e.get(c, "/admin/privacy"), 200, `href="/admin/privacy" aria-current="page"`,
			`name="privacy_ip_retention_days" type="number" min="0" max="36500" value="30"`,
			`name="privacy_keep_email" type="checkbox" value="1" checked`, `href="`+e.srv.URL+`/privacy/"`, "Nothing yet")

		good := url.Values{"privacy_ip_retention_days": {" 7 "}, "privacy_spam_retention_days": {"14"},
			"privacy_truncate_ips": {"1"}, "privacy_edit_window_minutes": {"5"}, "privacy_contact": {"privacy@example.org"},
			"privacy_text_above": {"# Hello\r\n\r\n<script>alert(1)</script>"}, "privacy_text_below": {"Bye *now*"}}
		r := e.post(c, "/admin/privacy", good)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/privacy?flash=privacy" {
			t.Fatalf("%d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		want := privacy.Policy{IPRetentionDays: 7, SpamRetentionDays: 14, KeepEmail: false, TruncateIPs: true, EditWindowMinutes: 5,
			Contact: "privacy@example.org", TextAbove: "# Hello\n\n<script>alert(1)</script>", TextBelow: "Bye *now*"}
		if pol, err := e.privacy.LoadPolicy(ctx); err != nil || pol != want {
			t.Fatalf("%+v %v", pol, err)
		}
		r = e.get(c, "/admin/privacy?flash=privacy")
		expect(t, r, 200, "The privacy policy has been saved", `value="7"`, `value="14"`, `value="privacy@example.org"`,
			`name="privacy_truncate_ips" type="checkbox" value="1" checked`, "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>")
		if strings.Contains(r.body, `name="privacy_keep_email" type="checkbox" value="1" checked`) || strings.Contains(r.body, "<script>alert(1)") {
			t.Errorf("keep e-mail still ticked, or the text is live HTML:\n%s", r.body)
		}

		// Wrong values: the page again, 422, everything typed kept, the
		// message at its field; nothing saved.
		for _, tc := range []struct{ field, value, msg string }{
			{"privacy_ip_retention_days", "many", "must be a whole number"},
			{"privacy_spam_retention_days", "99999", "between 0 (for ever) and 36500 days"},
			{"privacy_edit_window_minutes", "-1", "between 0 (no editing)"},
			{"privacy_contact", `"><script>alert(2)</script>`, "must be an e-mail address"},
		} {
			bad := url.Values{}
			for k, v := range good {
				bad[k] = v
			}
			bad.Set("privacy_text_below", "kept below")
			bad.Set(tc.field, tc.value)
			r := e.post(c, "/admin/privacy", bad)
			expect(t, r, http.StatusUnprocessableEntity, `id="`+tc.field+`-error"`, tc.msg, ">kept below</textarea>",
				`aria-invalid="true" aria-describedby="`+tc.field+`-error"`)
			if strings.Contains(r.body, "<script>alert(") {
				t.Errorf("%s: live HTML on the page", tc.field)
			}
		}
		// Every wrong field at once, unparsable or out of range.
		bad := url.Values{}
		for k, v := range good {
			bad[k] = v
		}
		bad.Set("privacy_ip_retention_days", "many")
		bad.Set("privacy_edit_window_minutes", "-1")
		bad.Set("privacy_contact", "not an address")
		expect(t, e.post(c, "/admin/privacy", bad), http.StatusUnprocessableEntity, `id="privacy_ip_retention_days-error"`,
			`id="privacy_edit_window_minutes-error"`, `id="privacy_contact-error"`)
		if pol, _ := e.privacy.LoadPolicy(ctx); pol != want {
			t.Errorf("a wrong policy was saved: %+v", pol)
		}
	})
}

func TestPrivacyExportAndErase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db, false)
		c := e.loggedIn("admin@example.org", adminPass)
		p := e.publishedPost("Alpha")
		a1 := e.addComment(p.ID, comment.Approved, "Alice Liddell", "Hello <b>there</b>.")
		a2 := e.addComment(p.ID, comment.Pending, "Alice Liddell", "Buy things.", func(c *comment.Comment) { c.Notify = true })
		bob := e.addComment(p.ID, comment.Approved, "Bob Builder", "Bob was here.")
		carol := e.addComment(p.ID, comment.Approved, "Carol Cat", "Carol was here.")
		reply := e.addComment(p.ID, comment.Approved, "Bob Builder", "A reply to Carol.", func(c *comment.Comment) { c.ParentID = carol.ID })
		// Marking it spam gives the filter a sample holding the address.
		if _, err := e.comments.SetStatus(ctx, []int64{a2.ID}, comment.Spam); err != nil {
			t.Fatal(err)
		}
		const alice = "alice.liddell@example.org"

		// Export: a JSON download of Alice's comments, matched without case.
		r := e.get(c, "/admin/privacy/export?email="+url.QueryEscape(" Alice.Liddell@EXAMPLE.org "))
		expect(t, r, 200, `"content": "Hello \u003cb\u003ethere\u003c/b\u003e."`, `"content": "Buy things."`)
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="comments-export.json"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		var doc privacy.Document
		if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
			t.Fatal(err, r.body)
		}
		if doc.Email != alice || doc.Counts.Comments != 2 || len(doc.Comments) != 2 || doc.Comments[0].ID != a1.ID ||
			doc.Comments[1].ID != a2.ID || doc.Counts.SpamSamples != 1 || doc.Comments[0].IP != "192.0.2.10" ||
			doc.Comments[0].Content != "Hello <b>there</b>." || doc.Comments[1].Status != "spam" {
			t.Fatalf("%+v", doc)
		}
		if strings.Contains(r.body, "Bob was here") {
			t.Error("the export holds someone else's comment")
		}
		// A wrong address: the page again, 422, kept, inert.
		r = e.get(c, "/admin/privacy/export?email="+url.QueryEscape("<script>alert(1)</script>"))
		expect(t, r, http.StatusUnprocessableEntity, `id="export_email-error"`, "is not an e-mail address",
			`value="&lt;script&gt;alert(1)&lt;/script&gt;"`)
		if strings.Contains(r.body, "<script>alert(") {
			t.Error("live HTML on the page")
		}
		expect(t, e.get(c, "/admin/privacy/export?email="), http.StatusUnprocessableEntity, `id="export_email-error"`)

		// Erasure asks first, with the counts, and changes nothing.
		r = e.get(c, "/admin/privacy/erase?email="+url.QueryEscape("ALICE.liddell@example.org")+"&mode=anonymize")
		expect(t, r, 200, "Anonymize the comments of "+alice+"?", "2 comments were written with this address (1 approved, 1 spam)",
			"keeps 1 sample holding it", "Their text stays", `action="/admin/privacy/erase"`,
			`name="email" value="`+alice+`"`, `name="mode" value="anonymize"`, "Anonymize comments")
		if got, _ := e.comments.ByID(ctx, a1.ID); got.Author != "Alice Liddell" {
			t.Fatal("changed before confirming")
		}
		r = e.post(c, "/admin/privacy/erase", url.Values{"email": {alice}, "mode": {"anonymize"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d\n%s", r.StatusCode, r.body)
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200,
			"Erasure done: 2 comments anonymized; 1 spam-filter sample and 0 notification mails deleted.", "Erasure (anonymize)")
		for _, id := range []int64{a1.ID, a2.ID} {
			got, err := e.comments.ByID(ctx, id)
			if err != nil || got.Author != privacy.AnonymousAuthor || got.Email != "" || got.IP != "" || got.UserAgent != "" ||
				got.Referrer != "" || got.Notify {
				t.Errorf("%+v %v", got, err)
			}
		}
		if got, _ := e.comments.ByID(ctx, a1.ID); got.Content != "Hello <b>there</b>." {
			t.Errorf("the text went: %q", got.Content)
		}
		if got, _ := e.comments.ByID(ctx, bob.ID); got.Author != "Bob Builder" || got.Email != "bob.builder@example.org" {
			t.Errorf("someone else's comment changed: %+v", got)
		}
		es, err := e.privacy.Audit(ctx, 10)
		// The download, then the erasure: the confirmation page only counted.
		if err != nil || len(es) != 2 || es[1].Action != privacy.ActionExport || es[0].Action != privacy.ActionEraseAnonymize || es[0].Actor != privacy.AdminUser(e.admin.ID) ||
			es[0].Comments != 2 || es[0].Samples != 1 {
			t.Fatalf("%+v %v", es, err)
		}

		// Delete: the comments go, replies move up, logged.
		r = e.get(c, "/admin/privacy/erase?email=carol.cat@example.org&mode=delete")
		expect(t, r, 200, "Delete the comments of carol.cat@example.org?", "1 comment was written with this address (1 approved)",
			"deleted for good", `name="mode" value="delete"`, "Delete comments")
		r = e.post(c, "/admin/privacy/erase", url.Values{"email": {"carol.cat@example.org"}, "mode": {"delete"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d\n%s", r.StatusCode, r.body)
		}
		expect(t, e.get(c, r.Header.Get("Location")), 200,
			"Erasure done: 1 comment deleted; 0 spam-filter samples and 0 notification mails deleted.", "Erasure (delete)",
			"admin@example.org, admin pages")
		if _, err := e.comments.ByID(ctx, carol.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("Carol's comment survives: %v", err)
		}
		if got, err := e.comments.ByID(ctx, reply.ID); err != nil || got.ParentID != 0 {
			t.Errorf("the reply: %+v %v", got, err)
		}
		if es, _ := e.privacy.Audit(ctx, 1); es[0].Action != privacy.ActionEraseDelete || es[0].Comments != 1 {
			t.Errorf("%+v", es[0])
		}

		// Wrong address or mode: the page again, 422, kept, inert.
		r = e.get(c, "/admin/privacy/erase?email="+url.QueryEscape(`<script>alert(1)</script>@x.example`)+"&mode=anonymize")
		expect(t, r, 200, "Anonymize the comments of &lt;script&gt;alert(1)&lt;/script&gt;@x.example?", "No comment was written")
		if strings.Contains(r.body, "<script>alert(") {
			t.Error("live HTML on the confirmation page")
		}
		expect(t, e.get(c, "/admin/privacy/erase?email=nobody&mode=delete"), http.StatusUnprocessableEntity,
			`id="erase_email-error"`, `value="nobody"`, `id="erase_mode_delete" name="mode" type="radio" value="delete" checked`)
		expect(t, e.get(c, "/admin/privacy/erase?email=bob.builder@example.org&mode=shred"), http.StatusUnprocessableEntity,
			`id="erase_mode-error"`, "mode must be anonymize or delete", `value="bob.builder@example.org"`)
		expect(t, e.post(c, "/admin/privacy/erase", url.Values{"email": {" "}, "mode": {"delete"}}), http.StatusUnprocessableEntity,
			`id="erase_email-error"`)
		expect(t, e.post(c, "/admin/privacy/erase", url.Values{"email": {"bob.builder@example.org"}, "mode": {"shred"}}),
			http.StatusUnprocessableEntity, `id="erase_mode-error"`)
		if got, _ := e.comments.ByID(ctx, bob.ID); got.Author != "Bob Builder" {
			t.Errorf("a refused erasure changed Bob's comment: %+v", got)
		}
		// A forged flash says nothing.
		r = e.get(c, "/admin/privacy?flash=erased&mode=<b>x</b>&n=1&s=1&m=1")
		expect(t, r, 200)
		if strings.Contains(r.body, "Erasure done") {
			t.Error("a forged flash was shown")
		}
	})
}
