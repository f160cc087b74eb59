package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/post"
)

// Notifier decides who hears about a comment and queues their mail.
type Notifier struct {
	Outbox *Outbox
	Posts  interface {
		ByID(ctx context.Context, id int64) (*post.Post, error)
	}
	Comments interface {
		ByID(ctx context.Context, id int64) (*comment.Comment, error)
	}
	Users interface {
		List(ctx context.Context) ([]*account.User, error)
	}
	Secret func(ctx context.Context) ([]byte, error)
	Base   func(ctx context.Context) string // the site's absolute address
	Title  func(ctx context.Context) string // the site's name
	Log    *slog.Logger
}

// Changed is told of every new comment (from == "") and status change.
// Failures are logged: a comment is never refused because mail is down.
func (n *Notifier) Changed(ctx context.Context, c *comment.Comment, from comment.Status) {
	var err error
	switch {
	case from == "" && c.Status == comment.Pending:
		err = n.held(ctx, c)
	case c.Status == comment.Approved && from != comment.Approved:
		err = n.replied(ctx, c)
	}
	if err != nil && n.Log != nil {
		n.Log.Warn("queue notification", "comment", c.ID, "err", err)
	}
}

// held tells the moderators that a comment awaits them.
func (n *Notifier) held(ctx context.Context, c *comment.Comment) error {
	p, err := n.Posts.ByID(ctx, c.PostID)
	if err != nil {
		return err
	}
	users, err := n.Users.List(ctx)
	if err != nil {
		return err
	}
	base, title := n.Base(ctx), n.Title(ctx)
	body := fmt.Sprintf("A new comment on “%s” is waiting for your approval.\n\nAuthor: %s\nE-mail: %s\nWebsite: %s\n\n%s\n\nModerate it: %s/admin/comments?status=pending\n",
		p.Title, c.Author, c.Email, c.URL, c.Content, base)
	for _, u := range users {
		if !u.CanModerate() || u.Email == c.Email {
			continue
		}
		if err := n.Outbox.Enqueue(ctx, Message{To: u.Email, Subject: "[" + title + "] Please moderate: “" + p.Title + "”", Body: body}); err != nil {
			return err
		}
	}
	return nil
}

// replied tells the author of the parent comment, if they asked to hear
// about replies, that someone answered them.
func (n *Notifier) replied(ctx context.Context, c *comment.Comment) error {
	if c.ParentID == 0 {
		return nil
	}
	parent, err := n.Comments.ByID(ctx, c.ParentID)
	if err != nil {
		return err
	}
	if !parent.Notify || parent.Email == "" || parent.Email == c.Email || parent.Status != comment.Approved {
		return nil
	}
	p, err := n.Posts.ByID(ctx, c.PostID)
	if err != nil {
		return err
	}
	secret, err := n.Secret(ctx)
	if err != nil {
		return err
	}
	base, title := n.Base(ctx), n.Title(ctx)
	link := base + post.Path(p.Slug) + "#comment-" + strconv.FormatInt(c.ID, 10)
	unsub := base + "/comments/unsubscribe?" + UnsubscribeQuery(secret, parent.Email, p.ID)
	author := c.Author
	if author == "" {
		author = "Someone"
	}
	body := fmt.Sprintf("%s replied to your comment on “%s”:\n\n%s\n\nRead the conversation: %s\n\nYou get this because you asked to be told about replies. Stop: %s\n",
		author, p.Title, c.Content, link, unsub)
	return n.Outbox.Enqueue(ctx, Message{To: parent.Email, Subject: "[" + title + "] New reply to your comment on “" + p.Title + "”",
		Body: body, Unsubscribe: unsub})
}

// UnsubscribeQuery is the signed query string of a one-click unsubscribe
// link for one address on one post.
func UnsubscribeQuery(secret []byte, email string, postID int64) string {
	v := url.Values{"e": {email}, "p": {strconv.FormatInt(postID, 10)}}
	v.Set("s", unsubscribeSig(secret, email, postID))
	return v.Encode()
}

func unsubscribeSig(secret []byte, email string, postID int64) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("unsubscribe\x00" + strings.ToLower(email) + "\x00" + strconv.FormatInt(postID, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// VerifyUnsubscribe checks a link's signature and returns what it names.
func VerifyUnsubscribe(secret []byte, q url.Values) (email string, postID int64, ok bool) {
	email = q.Get("e")
	postID, err := strconv.ParseInt(q.Get("p"), 10, 64)
	if err != nil || email == "" {
		return "", 0, false
	}
	want := unsubscribeSig(secret, email, postID)
	return email, postID, hmac.Equal([]byte(want), []byte(q.Get("s")))
}
