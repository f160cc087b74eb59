package notify_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/notify"
	"marquee/internal/notify/smtptest"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestNotifications(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		srv := smtptest.Start(t)
		mailer, err := notify.ParseURL("smtp://" + srv.Addr() + "?from=blog@example.org&tls=none")
		if err != nil {
			t.Fatal(err)
		}
		md := markup.New(markup.Options{})
		accounts := account.NewStore(db)
		posts := post.NewStore(db, md)
		comments := comment.NewStore(db, md)
		settings := site.NewStore(db)
		outbox := notify.NewOutbox(db)
		comments.Watcher = &notify.Notifier{Outbox: outbox, Posts: posts, Comments: comments, Users: accounts,
			Secret: settings.Secret, Base: func(context.Context) string { return "https://blog.example" },
			Title: func(context.Context) string { return "Test Blog" }}
		accounts.Create(ctx, "mod@example.org", "Mod", account.Editor, "")
		accounts.Create(ctx, "writer@example.org", "W", account.Author, "")
		p := &post.Post{Title: "Café talk", Body: "x", Status: post.Published, CommentsOpen: true}
		if err := posts.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		deliver := func() int {
			n, err := outbox.Deliver(ctx, mailer, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A held comment: the moderators hear of it, authors do not.
		held := &comment.Comment{PostID: p.ID, Author: "Zed", Email: "zed@example.org", Content: "Please approve me", Status: comment.Pending}
		comments.Create(ctx, held, 5)
		if n := deliver(); n != 1 {
			t.Fatalf("%d messages for a held comment, want 1 (the editor)", n)
		}
		msgs := srv.Messages()
		if msgs[0].To != "mod@example.org" || !strings.Contains(msgs[0].Data, "Please approve me") || !strings.Contains(msgs[0].Data, "/admin/comments") {
			t.Fatalf("moderator mail: %+v", msgs[0])
		}

		// Alice asked for replies; Bob's approved reply reaches her once.
		alice := &comment.Comment{PostID: p.ID, Author: "Alice", Email: "alice@example.org", Content: "First", Status: comment.Approved, Notify: true}
		comments.Create(ctx, alice, 5)
		bob := &comment.Comment{PostID: p.ID, ParentID: alice.ID, Author: "Bob", Email: "bob@example.org", Content: "Answer to Alice", Status: comment.Pending}
		comments.Create(ctx, bob, 5)
		deliver() // the moderator hears of Bob's held reply
		if _, err := comments.SetStatus(ctx, []int64{bob.ID}, comment.Approved); err != nil {
			t.Fatal(err)
		}
		if n := deliver(); n != 1 {
			t.Fatalf("%d messages after approving a reply, want 1", n)
		}
		msgs = srv.Messages()
		last := msgs[len(msgs)-1]
		if last.To != "alice@example.org" || !strings.Contains(last.Data, "Answer to Alice") || !strings.Contains(last.Data, "List-Unsubscribe-Post") {
			t.Fatalf("reply mail: %+v", last)
		}
		if deliver() != 0 {
			t.Fatal("a message was sent twice")
		}
		// The unsubscribe link works once verified, and stops the next one.
		i := strings.LastIndex(last.Data, "/comments/unsubscribe?") // the body, after the header
		q := strings.Fields(last.Data[i+len("/comments/unsubscribe?"):])[0]
		vals, _ := url.ParseQuery(q)
		secret, _ := settings.Secret(ctx)
		email, postID, ok := notify.VerifyUnsubscribe(secret, vals)
		if !ok || email != "alice@example.org" || postID != p.ID {
			t.Fatalf("unsubscribe link: %q %d %v", email, postID, ok)
		}
		vals.Set("e", "mallory@example.org")
		if _, _, ok := notify.VerifyUnsubscribe(secret, vals); ok {
			t.Fatal("a forged unsubscribe link verified")
		}
		comments.Unsubscribe(ctx, email, postID)
		carol := &comment.Comment{PostID: p.ID, ParentID: alice.ID, Author: "Carol", Email: "carol@example.org", Content: "Me too", Status: comment.Approved}
		comments.Create(ctx, carol, 5)
		if n := deliver(); n != 0 {
			t.Fatalf("%d messages after unsubscribing", n)
		}
	})
}

// TestOutboxOnceAndRetry: concurrent senders send each message once, and a
// mail server that is down delays mail without losing it.
func TestOutboxOnceAndRetry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		o := notify.NewOutbox(db)
		for i := range 20 {
			o.Enqueue(ctx, notify.Message{To: fmt.Sprintf("u%d@example.org", i), Subject: "s", Body: "b"})
		}
		srv := smtptest.Start(t)
		m, _ := notify.ParseURL("smtp://" + srv.Addr() + "?from=blog@example.org&tls=none")
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := o.Deliver(ctx, m, time.Now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, msg := range srv.Messages() {
			seen[msg.To]++
		}
		if len(seen) != 20 {
			t.Fatalf("%d recipients reached, want 20", len(seen))
		}
		for to, n := range seen {
			if n != 1 {
				t.Errorf("%s got %d copies", to, n)
			}
		}
		// Server down: the message waits, then goes when it is back.
		o.Enqueue(ctx, notify.Message{To: "late@example.org", Subject: "s", Body: "b"})
		down, _ := notify.ParseURL("smtp://127.0.0.1:1?from=blog@example.org&tls=none")
		if n, err := o.Deliver(ctx, down, time.Now); err != nil || n != 0 {
			t.Fatalf("deliver to a dead server: %d %v", n, err)
		}
		if n, _ := o.Pending(ctx); n != 1 {
			t.Fatalf("pending after a failure: %d", n)
		}
		later := func() time.Time { return time.Now().Add(time.Hour) }
		if n, err := o.Deliver(ctx, m, later); err != nil || n != 1 {
			t.Fatalf("retry: %d %v", n, err)
		}
	})
}

func TestParseURL(t *testing.T) {
	if m, err := notify.ParseURL(""); m != nil || err != nil {
		t.Fatal("empty URL must mean no mail")
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://host", "smtp://host?from=not-an-address"} {
		if _, err := notify.ParseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := notify.ParseURL("smtps://u:p@mail.example.org?from=blog@example.org"); err != nil {
		t.Error(err)
	}
}
