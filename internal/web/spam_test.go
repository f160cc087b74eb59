package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestSpamFilterOnTheForm sends comments through the real reply form: a
// blatant spam lands in the spam folder with its reasons, a person's reply
// is not called spam, and marking a new campaign as spam teaches the filter.
func TestSpamFilterOnTheForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newSite(t, db)
		p := ts.create(t, &post.Post{Title: "Go error handling", Body: "Words.", CommentsOpen: true, PublishedAt: time.Now().Add(-72 * time.Hour)})
		path := "/" + p.Slug + "/"
		rd := ts.reader(t)

		status := func(fields map[string]string) *comment.Comment {
			t.Helper()
			res := rd.reply(path, fields)
			defer res.Body.Close()
			if res.StatusCode != 303 {
				t.Fatalf("reply: %d", res.StatusCode)
			}
			cs, _, err := ts.comments.List(ctx, comment.Filter{Limit: 1})
			if err != nil || len(cs) == 0 {
				t.Fatal(err)
			}
			return cs[0]
		}
		spammy := status(map[string]string{"author": "Cheap Pills Online", "email": "deals@pharma-example.biz", "url": "http://cheap-pills.example.biz",
			"comment": "BUY CHEAP VIAGRA CIALIS ONLINE!!! Best price, no prescription, free shipping worldwide. Click here http://cheap-pills.example.biz/buy now!!! Call +1-800-555-0199"})
		if spammy.Status != comment.Spam || !spammy.HasScore || spammy.SpamReasons == "" {
			t.Errorf("blatant spam: status %s score %.2f reasons %q", spammy.Status, spammy.SpamScore, spammy.SpamReasons)
		}
		person := status(map[string]string{"author": "Marta", "email": "marta@example.org",
			"comment": "Thanks, this helped. One question: why does `errors.Is` not match my wrapped error when I use %v instead of %w in fmt.Errorf?"})
		if person.Status == comment.Spam || person.Status == comment.Trash {
			t.Errorf("a person's question was called spam: %s %.2f %q", person.Status, person.SpamScore, person.SpamReasons)
		}

		// A new campaign, marked spam twice by a moderator, is caught the third time.
		campaign := func(n string) map[string]string {
			return map[string]string{"author": "Kettle Review " + n, "email": "kettle" + n + "@mail.example",
				"comment": "Honest review of the Brewmaster 3000 kettle: boils in 40 seconds. Read my full brewmaster kettle comparison on brewmaster-kettle-reviews dot site " + n}
		}
		for _, n := range []string{"1", "2"} {
			c := status(campaign(n))
			if c.Status == comment.Spam {
				continue // caught already
			}
			if _, err := ts.comments.SetStatus(ctx, []int64{c.ID}, comment.Spam); err != nil {
				t.Fatal(err)
			}
		}
		if n, _, _ := ts.spam.Events(ctx, spam.SiteModel); n < 1 {
			t.Fatalf("moderator decisions not learned: %d spam events", n)
		}
		third := status(campaign("3"))
		if third.Status != comment.Spam {
			t.Errorf("third comment of a campaign marked twice: %s (score %.2f, %q)", third.Status, third.SpamScore, third.SpamReasons)
		}
		_, page := rd.get("/privacy/")
		if !strings.Contains(page, "spam filter that runs here") {
			t.Error("privacy page does not mention the local filter")
		}
	})
}
