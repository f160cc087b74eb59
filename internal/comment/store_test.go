package comment_test

import (
	"context"
	"testing"

	"marquee/internal/comment"
	"marquee/internal/markup"
	"marquee/internal/post"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestSender: one look at earlier comments answers the first-time rule
// (same name and address) and the spam filter's history.
func TestSender(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		md := markup.New(markup.Options{})
		p := &post.Post{Title: "P", Body: "x", Status: post.Published}
		if err := post.NewStore(db, md).Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		s := comment.NewStore(db, md)
		for _, c := range []*comment.Comment{
			{Author: "Ann", Email: "ann@example.org", IP: "192.0.2.1", Status: comment.Approved},
			{Author: "Ann", Email: "ann@example.org", IP: "192.0.2.1", Status: comment.Spam},
			{Author: "Bot", Email: "bot@example.org", IP: "192.0.2.1", Status: comment.Spam},
			{Author: "Zed", Email: "zed@example.org", IP: "192.0.2.9", Status: comment.Pending},
		} {
			c.PostID, c.Content = p.ID, "text"
			if err := s.Create(ctx, c, 5); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			author, email, ip string
			want              comment.Sender
		}{
			{"Ann", "ANN@example.org", "192.0.2.1", comment.Sender{PreviouslyApproved: true, History: spam.History{ApprovedByEmail: 1, SpamByEmail: 1, SpamByIP: 2}}},
			{"Someone else", "ann@example.org", "", comment.Sender{History: spam.History{ApprovedByEmail: 1, SpamByEmail: 1}}},
			{"Zed", "zed@example.org", "192.0.2.9", comment.Sender{}},
			{"New", "", "", comment.Sender{}},
		} {
			got, err := s.Sender(ctx, c.author, c.email, c.ip)
			if err != nil || got != c.want {
				t.Errorf("Sender(%s, %s, %s) = %+v, %v; want %+v", c.author, c.email, c.ip, got, err, c.want)
			}
		}
	})
}
