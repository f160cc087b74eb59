package privacy

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/spam"
	"marquee/internal/sqldb/sqldbtest"
)

func TestTruncateIP(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77":                         "203.0.113.0",
		" 10.1.2.3 ":                           "10.1.2.0",
		"203.0.113.0":                          "203.0.113.0",
		"2001:db8:85a3:8d3:1319:8a2e:370:7348": "2001:db8:85a3::",
		"2001:0DB8:0001:0002::1":               "2001:db8:1::",
		"fe80::1%eth0":                         "fe80::",
		"::ffff:192.0.2.128":                   "192.0.2.0",
		"::1":                                  "::",
		"":                                     "",
		"garbage":                              "",
		"203.0.113.300":                        "",
		"203.0.113.77:8080":                    "",
		"203.0.113.0/24":                       "",
		"unknown, 203.0.113.77":                "",
	} {
		if got := TruncateIP(in); got != want {
			t.Errorf("TruncateIP(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPolicy(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		p, err := f.svc.LoadPolicy(f.ctx)
		if err != nil || p != DefaultPolicy() {
			t.Fatalf("policy of a new site: %+v %v", p, err)
		}
		if d := DefaultPolicy(); d.IPRetentionDays != 30 || d.SpamRetentionDays != 30 || !d.KeepEmail || d.TruncateIPs || d.EditWindowMinutes != 10 {
			t.Fatalf("defaults: %+v", d)
		}
		want := Policy{IPRetentionDays: 7, SpamRetentionDays: 0, KeepEmail: false, TruncateIPs: true, EditWindowMinutes: 0,
			Contact: "privacy@example.org", TextAbove: "We *care*.", TextBelow: "Write to us."}
		in := want
		in.Contact, in.TextAbove = "  privacy@example.org ", "We *care*.\r\n"
		if err := f.svc.SavePolicy(f.ctx, in); err != nil {
			t.Fatal(err)
		}
		if p, err = f.svc.LoadPolicy(f.ctx); err != nil || p != want {
			t.Fatalf("round trip: %+v %v, want %+v", p, err, want)
		}
		for field, change := range map[string]func(*Policy){
			"privacy_ip_retention_days":   func(p *Policy) { p.IPRetentionDays = -1 },
			"privacy_spam_retention_days": func(p *Policy) { p.SpamRetentionDays = MaxRetentionDays + 1 },
			"privacy_edit_window_minutes": func(p *Policy) { p.EditWindowMinutes = -5 },
			"privacy_contact":             func(p *Policy) { p.Contact = "Privacy Team <privacy@example.org>" },
			"privacy_text_above":          func(p *Policy) { p.TextAbove = strings.Repeat("x", MaxPrivacyText+1) },
			"privacy_text_below":          func(p *Policy) { p.TextBelow = "bad \x00 byte" },
		} {
			p := DefaultPolicy()
			change(&p)
			err := f.svc.SavePolicy(f.ctx, p)
			if fields := errs.Fields(err); !errs.Is(err, errs.Invalid) || len(fields) != 1 || fields[field] == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		if p, _ = f.svc.LoadPolicy(f.ctx); p != want {
			t.Fatalf("a refused save changed the policy: %+v", p)
		}
		// Values stored behind our back fall back to their defaults, one by one.
		f.exec("UPDATE settings SET value = 'many' WHERE key = 'privacy_ip_retention_days'")
		f.exec("UPDATE settings SET value = '-3' WHERE key = 'privacy_edit_window_minutes'")
		f.exec("UPDATE settings SET value = 'not an address' WHERE key = 'privacy_contact'")
		f.svc.Invalidate() // changed behind the service's back: as another process's change arrives
		p, err = f.svc.LoadPolicy(f.ctx)
		want.IPRetentionDays, want.EditWindowMinutes, want.Contact = 30, 10, ""
		if err != nil || p != want {
			t.Fatalf("bad stored values: %+v %v, want %+v", p, err, want)
		}
	})
}

func TestExport(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		p1, p2 := f.post("First Post", "first-post"), f.post("Second", "second")
		at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
		a1 := f.comment(alice(p1, at))
		b1 := f.comment(bob(p1, at.Add(time.Minute)))
		a2c := alice(p1, at.Add(2*time.Minute))
		a2c.ParentID, a2c.Status, a2c.Content = b1.ID, comment.Pending, "Replying to Bob."
		a2 := f.comment(a2c)
		a3c := alice(p2, at.Add(3*time.Minute))
		a3c.Email, a3c.Status, a3c.Notify = "Alice@Example.ORG", comment.Spam, false // as an import may have stored it
		a3 := f.comment(a3c)
		f.comment(bob(p2, at.Add(4*time.Minute)))
		if err := f.spam.Learn(f.ctx, spam.SiteModel, a3.Sample(), true); err != nil {
			t.Fatal(err)
		}
		if err := f.spam.Learn(f.ctx, spam.SiteModel, f.byID(b1.ID).Sample(), false); err != nil {
			t.Fatal(err)
		}

		d, err := f.svc.Export(f.ctx, "  ALICE@example.org ", CLI)
		if err != nil {
			t.Fatal(err)
		}
		if d.Email != aliceEmail || len(d.Comments) != 3 || d.Counts.Comments != 3 || d.Counts.SpamSamples != 1 || len(d.SpamSamples) != 1 ||
			d.Counts.ByStatus["approved"] != 1 || d.Counts.ByStatus["pending"] != 1 || d.Counts.ByStatus["spam"] != 1 || d.Counts.Subscribed != 2 {
			t.Fatalf("document: %+v", d)
		}
		var ids []int64
		for _, c := range d.Comments {
			ids = append(ids, c.ID)
		}
		if !slices.Equal(ids, []int64{a1.ID, a2.ID, a3.ID}) {
			t.Fatalf("comments %v, want %v", ids, []int64{a1.ID, a2.ID, a3.ID})
		}
		c := d.Comments[0]
		if c.PostID != p1 || c.PostTitle != "First Post" || c.PostPath != "/first-post/" || c.ParentID != 0 || c.Type != "comment" ||
			c.Author != aliceName || c.Email != aliceEmail || c.URL != aliceURL || c.Content != neutralText || !strings.Contains(c.ContentHTML, neutralText) ||
			c.Status != "approved" || c.IP != aliceIP || c.UserAgent != aliceUA || c.Referrer != aliceRef || !c.Notify ||
			c.SpamScore == nil || *c.SpamScore != 0.1 || !slices.Equal(c.SpamReasons, []string{"author URL alice-home.example (+0.50)"}) ||
			!c.CreatedAt.Equal(at) || c.ModeratedAt == nil || !c.ModeratedAt.Equal(at) || c.UpdatedAt.IsZero() {
			t.Fatalf("first comment: %+v", c)
		}
		if c := d.Comments[1]; c.ParentID != b1.ID || c.Status != "pending" || c.ModeratedAt != nil || c.Content != "Replying to Bob." {
			t.Fatalf("reply: %+v", c)
		}
		if c := d.Comments[2]; c.PostPath != "/second/" || c.PostTitle != "Second" || c.Email != "Alice@Example.ORG" || c.Status != "spam" {
			t.Fatalf("spam comment: %+v", c)
		}
		if s := d.SpamSamples[0]; s.Kind != "spam" || s.Model != spam.SiteModel || s.Email != "Alice@Example.ORG" || s.IP != "" || // the filter keeps no IP address
			s.URL != aliceURL || s.Author != aliceName || s.Content != neutralText {
			t.Fatalf("spam sample: %+v", s)
		}
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range []string{bobEmail, bobIP, "BobAgent"} {
			if strings.Contains(string(j), other) {
				t.Errorf("the export holds another person's %q", other)
			}
		}
		for _, key := range []string{`"post_title"`, `"post_path"`, `"parent_id"`, `"ip"`, `"user_agent"`, `"referrer"`, `"spam_score"`,
			`"spam_reasons"`, `"created_at"`, `"moderated_at"`, `"spam_samples"`, `"counts"`} {
			if !strings.Contains(string(j), key) {
				t.Errorf("the JSON lacks %s", key)
			}
		}

		// Nobody found: an empty document, not an error.
		d, err = f.svc.Export(f.ctx, "nobody@example.org", APIUser(7))
		if err != nil || len(d.Comments) != 0 || len(d.SpamSamples) != 0 || d.Counts.Comments != 0 {
			t.Fatalf("unknown address: %+v %v", d, err)
		}
		if j, _ := json.Marshal(d); !strings.Contains(string(j), `"comments":[]`) || !strings.Contains(string(j), `"spam_samples":[]`) {
			t.Fatalf("empty document: %s", j)
		}
		for _, bad := range []string{"", "   ", "not-an-address", strings.Repeat("a", 300) + "@x.org"} {
			if _, err := f.svc.Export(f.ctx, bad, CLI); !errs.Is(err, errs.Invalid) {
				t.Errorf("Export(%q): %v", bad, err)
			}
		}
		if _, err := f.svc.Export(f.ctx, aliceEmail, Actor(aliceEmail)); err == nil {
			t.Error("an actor that is not cli, job, api:ID or admin:ID was accepted")
		}
		es, err := f.svc.Audit(f.ctx, 10)
		if err != nil || len(es) != 2 || es[0].Action != ActionExport || es[0].Actor != "api:7" || es[0].Comments != 0 ||
			es[1].Actor != CLI || es[1].Comments != 3 || es[1].Samples != 1 || es[1].RequestID == "" || es[1].RequestID == es[0].RequestID {
			t.Fatalf("audit: %+v %v", es, err)
		}
	})
}

// seedErasure stores Alice's comments, Bob's reply to one of them, and
// spam-filter samples of both, then returns Alice's first comment and Bob's
// reply.
func seedErasure(t *testing.T, f *fixture) (a1, b1 *comment.Comment) {
	p := f.post("Erasure", "erasure")
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	a1 = f.comment(alice(p, at))
	bc := bob(p, at.Add(time.Minute))
	bc.ParentID = a1.ID
	b1 = f.comment(bc)
	a3c := alice(p, at.Add(2*time.Minute))
	a3c.Status = comment.Spam
	a3 := f.comment(a3c)
	a4c := alice(p, at.Add(3*time.Minute))
	a4c.Email = "ALICE@EXAMPLE.ORG"
	f.comment(a4c)
	for _, s := range []spam.Sample{a3.Sample(), a1.Sample(), {Author: aliceName, Email: "Alice@Example.org", URL: aliceURL, IP: aliceIP, Content: "x"}} {
		if err := f.spam.Learn(f.ctx, spam.SiteModel, s, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.spam.Learn(f.ctx, spam.SiteModel, b1.Sample(), false); err != nil {
		t.Fatal(err)
	}
	return a1, b1
}

func TestErase(t *testing.T) {
	for _, mode := range []Mode{Anonymize, Delete} {
		t.Run(string(mode), func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture, sqlitePath string) {
				a1, b1 := seedErasure(t, f)
				before := scanPersonal(t, f, sqlitePath)
				if len(before) == 0 {
					t.Fatal("the scan finds nothing even before the erasure: it does not work")
				}

				r, err := f.svc.Erase(f.ctx, "Alice@example.org", mode, AdminUser(1))
				if err != nil {
					t.Fatal(err)
				}
				if r.Mode != mode || r.Comments != 3 || r.Unsubscribed != 3 || r.SpamSamples != 3 || r.RequestID == "" {
					t.Fatalf("result: %+v", r)
				}
				b := f.byID(b1.ID)
				if b.Email != bobEmail || b.IP != bobIP || b.Author != "Bob" || !b.Notify {
					t.Fatalf("Bob's comment changed: %+v", b)
				}
				switch mode {
				case Anonymize:
					a := f.byID(a1.ID)
					if a.Author != AnonymousAuthor || a.Email != "" || a.URL != "" || a.IP != "" || a.UserAgent != "" || a.Referrer != "" ||
						a.Notify || a.SpamReasons != "" || a.Content != neutralText || a.Status != comment.Approved || b.ParentID != a1.ID {
						t.Fatalf("anonymised comment: %+v", a)
					}
				case Delete:
					if !f.gone(a1.ID) {
						t.Fatal("Alice's comment is still there")
					}
					if b.ParentID != 0 {
						t.Fatalf("Bob's reply did not move up: parent %d", b.ParentID)
					}
					var count int
					if err := f.db.QueryRowContext(f.ctx, "SELECT comment_count FROM posts WHERE id = $1", b.PostID).Scan(&count); err != nil || count != 1 {
						t.Fatalf("post's comment count %d %v, want 1", count, err)
					}
				}
				if sp, hm, err := f.spam.Events(f.ctx, spam.SiteModel); err != nil || sp != 0 || hm != 1 {
					t.Fatalf("spam events left: %d spam, %d ham, %v", sp, hm, err)
				}
				if d, err := f.svc.Export(f.ctx, aliceEmail, CLI); err != nil || len(d.Comments) != 0 || len(d.SpamSamples) != 0 {
					t.Fatalf("export after erasure: %+v %v", d, err)
				}
				if found := scanPersonal(t, f, sqlitePath); len(found) > 0 {
					t.Fatalf("after erasure the database still holds: %s", strings.Join(found, "; "))
				}
				// A second erasure finds nothing and harms nothing.
				if r, err := f.svc.Erase(f.ctx, aliceEmail, mode, CLI); err != nil || r.Comments != 0 || r.SpamSamples != 0 {
					t.Fatalf("second erasure: %+v %v", r, err)
				}
				if got := f.byID(b1.ID); got.Email != bobEmail {
					t.Fatalf("Bob's comment changed: %+v", got)
				}
			})
		})
	}
}

// TestEraseNeedsCheckpoint shows why Erase checkpoints: comments deleted
// without one are still in the SQLite write-ahead log.
func TestEraseNeedsCheckpoint(t *testing.T) {
	path := sqldbtest.DSNs(t)["sqlite"]
	f := newFixture(t, sqldbtest.Open(t, path))
	seedErasure(t, f)
	f.exec("DELETE FROM comments")
	f.exec("DELETE FROM spam_events")
	if found := scanFiles(t, path, alicePersonal); len(found) == 0 {
		t.Fatal("without a checkpoint the WAL should still hold the deleted comments: does the scan work?")
	}
	if err := f.db.Checkpoint(f.ctx); err != nil {
		t.Fatal(err)
	}
	if found := scanFiles(t, path, alicePersonal); len(found) > 0 {
		t.Fatalf("after a checkpoint the files still hold: %s", strings.Join(found, "; "))
	}
}

// TestEraseCheckpointsDatabase erases through the service, which
// checkpoints with the database's own Checkpoint.
func TestEraseCheckpointsDatabase(t *testing.T) {
	path := sqldbtest.DSNs(t)["sqlite"]
	f := newFixture(t, sqldbtest.Open(t, path))
	seedErasure(t, f)
	if _, err := f.svc.Erase(f.ctx, aliceEmail, Anonymize, CLI); err != nil {
		t.Fatal(err)
	}
	if found := scanFiles(t, path, alicePersonal); len(found) > 0 {
		t.Fatalf("after erasure the files still hold: %s", strings.Join(found, "; "))
	}
}

// mailbox is an outbox that records what it was asked to forget.
type mailbox struct{ forgot []string }

func (m *mailbox) Forget(_ context.Context, email string) (int64, error) {
	m.forgot = append(m.forgot, email)
	return 2, nil
}

func TestEraseForgetsMail(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		m := &mailbox{}
		f.svc.Outbox = m
		r, err := f.svc.Erase(f.ctx, " Alice@Example.org", Delete, CLI)
		if err != nil || r.Mail != 2 || !slices.Equal(m.forgot, []string{aliceEmail}) {
			t.Fatalf("%+v %v, forgot %v", r, err, m.forgot)
		}
	})
}

// scanPersonal looks for Alice's data in the whole database: the files'
// bytes on SQLite, every text column on PostgreSQL.
func scanPersonal(t *testing.T, f *fixture, sqlitePath string) []string {
	t.Helper()
	if sqlitePath != "" {
		return scanFiles(t, sqlitePath, alicePersonal)
	}
	return scanTables(t, f, alicePersonal)
}

func TestEraseRefuses(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		p := f.post("P", "p")
		f.comment(comment.Comment{PostID: p, Author: "No address", IP: aliceIP})
		for _, bad := range []string{"", " ", "nobody"} {
			if _, err := f.svc.Erase(f.ctx, bad, Delete, CLI); !errs.Is(err, errs.Invalid) {
				t.Errorf("Erase(%q): %v", bad, err)
			}
		}
		if _, err := f.svc.Erase(f.ctx, aliceEmail, Mode("shred"), CLI); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad mode: %v", err)
		}
		if _, err := f.svc.Erase(f.ctx, aliceEmail, Delete, Actor("someone")); err == nil {
			t.Error("bad actor accepted")
		}
		var n int
		if err := f.db.QueryRowContext(f.ctx, "SELECT count(*) FROM comments").Scan(&n); err != nil || n != 1 {
			t.Fatalf("comments left %d %v", n, err)
		}
		if es, err := f.svc.Audit(f.ctx, 0); err != nil || len(es) != 0 {
			t.Fatalf("refused requests were logged: %+v %v", es, err)
		}
		for in, want := range map[string]Mode{"": Anonymize, "anonymize": Anonymize, "delete": Delete} {
			if m, err := ParseMode(in); err != nil || m != want {
				t.Errorf("ParseMode(%q) = %q %v", in, m, err)
			}
		}
		if _, err := ParseMode("Delete!"); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseMode: %v", err)
		}
	})
}

func TestRetention(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		daysAgo := func(n float64) time.Time { return now.Add(-time.Duration(n * float64(24*time.Hour))) }
		p := f.post("Retention", "retention")
		old := f.comment(alice(p, daysAgo(31)))
		recent := f.comment(bob(p, daysAgo(29)))
		pc := bob(p, daysAgo(40))
		pc.Status = comment.Pending
		oldPending := f.comment(pc)
		spamOld := f.comment(comment.Comment{PostID: p, Author: "S", Email: "s@spam.example", IP: "192.0.2.1", Status: comment.Spam, CreatedAt: daysAgo(31)})
		spamNew := f.comment(comment.Comment{PostID: p, Author: "S", Email: "s@spam.example", IP: "192.0.2.1", Status: comment.Spam, CreatedAt: daysAgo(29)})
		trashOld := f.comment(comment.Comment{PostID: p, Author: "T", Status: comment.Trash, CreatedAt: daysAgo(45)})
		// An approved comment with a reply, moved to spam 31 days ago.
		parent := f.comment(comment.Comment{PostID: p, Author: "P", Status: comment.Approved, CreatedAt: daysAgo(60)})
		reply := f.comment(comment.Comment{PostID: p, ParentID: parent.ID, Author: "R", IP: "192.0.2.50", Status: comment.Approved, CreatedAt: daysAgo(59)})
		f.exec("UPDATE comments SET status = 'spam', moderated_at = $1 WHERE id = $2", daysAgo(31), parent.ID)

		r, err := f.svc.Enforce(f.ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if r.SpamPurged != 2 || r.TrashPurged != 1 || r.Cleared != 3 || !r.Changed() {
			// cleared: old, oldPending and the reply (59 days)
			t.Fatalf("report: %+v", r)
		}
		for _, c := range []*comment.Comment{spamOld, trashOld, parent} {
			if !f.gone(c.ID) {
				t.Errorf("comment %d (%s) was not purged", c.ID, c.Status)
			}
		}
		if f.gone(spamNew.ID) {
			t.Error("spam of 29 days was purged")
		}
		if got := f.byID(reply.ID); got.ParentID != 0 || got.IP != "" {
			t.Errorf("reply of a purged comment: %+v", got)
		}
		o := f.byID(old.ID)
		if o.IP != "" || o.UserAgent != "" || o.Referrer != "" || o.Email != aliceEmail || o.URL != aliceURL || o.Author != aliceName || !o.Notify {
			t.Errorf("31-day-old comment: %+v", o)
		}
		if got := f.byID(oldPending.ID); got.IP != "" || got.Email != bobEmail {
			t.Errorf("40-day-old pending comment: %+v", got)
		}
		if got := f.byID(recent.ID); got.IP != bobIP || got.UserAgent == "" || got.Referrer == "" {
			t.Errorf("29-day-old comment lost its data early: %+v", got)
		}
		if got := f.byID(spamNew.ID); got.IP != "192.0.2.1" {
			t.Errorf("29-day-old spam lost its IP: %+v", got)
		}

		// Idempotent.
		if r, err := f.svc.Enforce(f.ctx, now); err != nil || r.Changed() {
			t.Fatalf("second run: %+v %v", r, err)
		}
		// Two days later the rest is due.
		if r, err := f.svc.Enforce(f.ctx, now.Add(2*24*time.Hour)); err != nil || r.Cleared != 1 || r.SpamPurged != 1 {
			t.Fatalf("two days later: %+v %v", r, err)
		}
		if got := f.byID(recent.ID); got.IP != "" || got.Email != bobEmail {
			t.Errorf("recent comment two days later: %+v", got)
		}

		// KeepEmail false: the address goes with the IP, and notifications with it.
		pol := DefaultPolicy()
		pol.KeepEmail = false
		if err := f.svc.SavePolicy(f.ctx, pol); err != nil {
			t.Fatal(err)
		}
		fresh := f.comment(alice(p, now.Add(-time.Hour)))
		if r, err := f.svc.Enforce(f.ctx, now.Add(2*24*time.Hour)); err != nil || r.Cleared != 3 {
			t.Fatalf("without KeepEmail: %+v %v", r, err)
		}
		for _, id := range []int64{old.ID, recent.ID, oldPending.ID} {
			if got := f.byID(id); got.Email != "" || got.Notify || got.IP != "" || got.SpamReasons != "" {
				t.Errorf("without KeepEmail, comment %d: %+v", id, got)
			}
		}
		if got := f.byID(fresh.ID); got.Email != aliceEmail || got.IP != aliceIP {
			t.Errorf("a fresh comment lost its data: %+v", got)
		}

		// 0 keeps for ever.
		if err := f.svc.SavePolicy(f.ctx, Policy{KeepEmail: true}); err != nil {
			t.Fatal(err)
		}
		if r, err := f.svc.Enforce(f.ctx, now.AddDate(5, 0, 0)); err != nil || r.Changed() {
			t.Fatalf("with retention off: %+v %v", r, err)
		}
		if got := f.byID(fresh.ID); got.IP != aliceIP {
			t.Errorf("retention off, yet the IP went: %+v", got)
		}

		es, err := f.svc.Audit(f.ctx, 100)
		if err != nil || len(es) != 5 {
			t.Fatalf("audit: %+v %v", es, err)
		}
		for _, e := range es {
			if e.Action != ActionRetention || e.Actor != Job {
				t.Errorf("audit entry %+v", e)
			}
		}
		if es[len(es)-1].Comments != 6 || !es[len(es)-1].CreatedAt.Equal(now) {
			t.Errorf("first run's entry: %+v", es[len(es)-1])
		}
	})
}

// TestAuditHoldsNoPersonalData runs every kind of request, then reads the
// whole log back and looks for the address, its parts and anything else
// of the commenter's.
func TestAuditHoldsNoPersonalData(t *testing.T) {
	each(t, func(t *testing.T, f *fixture, _ string) {
		seedErasure(t, f)
		if _, err := f.svc.Export(f.ctx, aliceEmail, APIUser(3)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Erase(f.ctx, aliceEmail, Anonymize, AdminUser(4)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Erase(f.ctx, aliceEmail, Delete, CLI); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Enforce(f.ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		rows, err := f.db.QueryContext(f.ctx, "SELECT * FROM privacy_audit")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		if !slices.Equal(cols, []string{"id", "request_id", "action", "actor", "comments_affected", "samples_affected", "created_at"}) {
			t.Fatalf("columns %v: a new column needs a look here", cols)
		}
		var all strings.Builder
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&all, "%s|", v)
			}
			all.WriteString("\n")
			n++
		}
		if n != 4 {
			t.Fatalf("%d audit rows, want 4:\n%s", n, all.String())
		}
		low := strings.ToLower(all.String())
		for _, s := range append(alicePersonal, "alice", "example.org", "@") {
			if strings.Contains(low, strings.ToLower(s)) {
				t.Errorf("the audit log holds %q:\n%s", s, all.String())
			}
		}
		es, _ := f.svc.Audit(f.ctx, 10)
		var got []string
		for _, e := range es {
			got = append(got, string(e.Action)+" "+string(e.Actor))
		}
		slices.Sort(got)
		if want := []string{"erase-anonymize admin:4", "erase-delete cli", "export api:3", "retention job"}; !slices.Equal(got, want) {
			t.Fatalf("audit %v, want %v", got, want)
		}
	})
}
