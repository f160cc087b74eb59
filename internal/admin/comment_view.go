package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// commentsPerPage is the length of a page of the moderation queue.
const commentsPerPage = 50

// maxBulk caps how many comments one bulk action may name.
const maxBulk = 500

// moderator returns the logged-in user if they may moderate comments:
// administrators and editors; authors are refused with 403.
func (h *Handler) moderator(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	u, ok := h.user(w, r)
	if !ok {
		return nil, false
	}
	if !u.CanModerate() {
		h.fail(w, r, errs.E(errs.Forbidden, "Only administrators and editors may moderate comments."))
		return nil, false
	}
	if h.Comments == nil {
		h.fail(w, r, errs.E(errs.Unavailable, "Comments are not available on this server."))
		return nil, false
	}
	return u, true
}

// moderation is what an action of the queue does.
type moderation struct {
	to     comment.Status   // the new status; empty for delete
	from   []comment.Status // only comments in these states; empty: any
	label  string           // the button
	done   string           // the flash: "3 comments approved"
	danger bool
}

var moderations = map[string]moderation{
	"approve":   {to: comment.Approved, label: "Approve", done: "approved"},
	"unapprove": {to: comment.Pending, from: []comment.Status{comment.Approved}, label: "Unapprove", done: "unapproved"},
	"spam":      {to: comment.Spam, label: "Spam", done: "marked as spam"},
	"unspam":    {to: comment.Approved, from: []comment.Status{comment.Spam}, label: "Not spam", done: "restored from spam"},
	"trash":     {to: comment.Trash, label: "Trash", done: "moved to the trash"},
	"restore":   {to: comment.Pending, from: []comment.Status{comment.Trash}, label: "Restore", done: "restored to pending"},
	"delete":    {from: []comment.Status{comment.Spam, comment.Trash}, label: "Delete permanently", done: "deleted permanently", danger: true},
}

// rowActions are the buttons of a comment in each status, and bulkActions
// the choices of each tab.
var (
	rowActions = map[comment.Status][]string{
		comment.Pending:  {"approve", "spam", "trash"},
		comment.Approved: {"unapprove", "spam", "trash"},
		comment.Spam:     {"unspam", "delete"},
		comment.Trash:    {"restore", "delete"},
	}
	bulkActions = map[string][]string{
		"pending":  {"approve", "spam", "trash"},
		"approved": {"unapprove", "spam", "trash"},
		"spam":     {"unspam", "delete"},
		"trash":    {"restore", "delete"},
		"all":      {"approve", "unapprove", "spam", "trash"},
	}
)

type actionButton struct {
	Action string
	Label  string
	Danger bool
}

func buttons(names []string) []actionButton {
	bs := make([]actionButton, 0, len(names))
	for _, n := range names {
		m := moderations[n]
		bs = append(bs, actionButton{Action: n, Label: m.label, Danger: m.danger})
	}
	return bs
}

// countFlash is the message after a bulk action, "3 comments approved":
// chosen by key like every flash, only the number comes from the address.
func countFlash(q url.Values) string {
	key, ok := strings.CutPrefix(q.Get("flash"), "c-")
	if !ok {
		return ""
	}
	m, ok := moderations[key]
	n, err := strconv.Atoi(q.Get("n"))
	if !ok || err != nil || n < 0 {
		return ""
	}
	switch n {
	case 0:
		return "No comments " + m.done + "."
	case 1:
		return "1 comment " + m.done + "."
	}
	return fmt.Sprintf("%d comments %s.", n, m.done)
}

// backURL is where a moderation form returns to: its "back" field when that
// is an address of the comments screens, else def; with the flash added.
func backURL(r *http.Request, def, flash string, n int) string {
	b := safeNext(r.PostFormValue("back"))
	if !strings.HasPrefix(b, "/admin/comments") {
		b = def
	}
	u, err := url.Parse(b)
	if err != nil {
		u = &url.URL{Path: "/admin/comments"}
	}
	q := u.Query()
	q.Del("flash")
	q.Del("n")
	if flash != "" {
		q.Set("flash", flash)
		if n >= 0 {
			q.Set("n", strconv.Itoa(n))
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// formIDs reads the repeated "ids" field: positive, distinct, at most maxBulk.
func formIDs(r *http.Request) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, s := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
		if len(ids) == maxBulk {
			break
		}
	}
	return ids
}

// commentRow is a comment as the admin shows it. Every field but Content
// is text; Content is the HTML sanitised when the comment was stored.
type commentRow struct {
	ID          int64
	Author      string // as given; AuthorLabel stands in when empty
	AuthorLabel string
	Email       string
	URL         string
	IP          string
	UserAgent   string
	Referrer    string
	Staff       bool // written by a logged-in writer
	Content     template.HTML
	Status      string
	Date        string
	HasScore    bool
	Score       string
	Reasons     []string
	ParentID    int64
	ParentURL   string
	EditURL     string
	PostTitle   string
	PostEditURL string
	PostFilter  string // the queue of this post's comments
	PublicURL   string // the comment on the site, when its post is visible
	Actions     []actionButton
	CanReply    bool
}

// postLookup loads each post once for a page of comments.
type postLookup struct {
	h     *Handler
	ctx   context.Context
	posts map[int64]*post.Post
}

func (l *postLookup) get(id int64) (*post.Post, error) {
	if p, ok := l.posts[id]; ok {
		return p, nil
	}
	p, err := l.h.Posts.ByID(l.ctx, id)
	if errs.Is(err, errs.NotFound) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.posts[id] = p
	return p, nil
}

// commentRows turns comments into rows; base is the public site's address.
func (h *Handler) commentRows(ctx context.Context, cs []*comment.Comment, base string, loc *time.Location) ([]commentRow, error) {
	l := &postLookup{h: h, ctx: ctx, posts: map[int64]*post.Post{}}
	rows := make([]commentRow, 0, len(cs))
	for _, c := range cs {
		p, err := l.get(c.PostID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, h.commentRow(c, p, base, loc))
	}
	return rows, nil
}

// commentRow describes c, on post p (nil when it is gone).
func (h *Handler) commentRow(c *comment.Comment, p *post.Post, base string, loc *time.Location) commentRow {
	id := strconv.FormatInt(c.ID, 10)
	row := commentRow{
		ID: c.ID, Author: c.Author, AuthorLabel: c.Author, Email: c.Email, URL: c.URL, IP: c.IP,
		UserAgent: c.UserAgent, Referrer: c.Referrer, Staff: c.UserID != 0,
		// Sanitised by the comment store when it was saved.
		Content:  template.HTML(c.ContentHTML),
		Status:   string(c.Status),
		Date:     formatTime(c.CreatedAt, loc),
		HasScore: c.HasScore, ParentID: c.ParentID,
		EditURL:    "/admin/comments/" + id,
		PostFilter: "/admin/comments?status=all&post_id=" + strconv.FormatInt(c.PostID, 10),
		Actions:    buttons(rowActions[c.Status]),
		CanReply:   c.Status == comment.Pending || c.Status == comment.Approved,
	}
	if row.AuthorLabel == "" {
		row.AuthorLabel = "Anonymous"
	}
	if c.HasScore {
		row.Score = strconv.FormatFloat(c.SpamScore, 'f', 2, 64)
	}
	for _, l := range strings.Split(c.SpamReasons, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			row.Reasons = append(row.Reasons, l)
		}
	}
	if c.ParentID != 0 {
		row.ParentURL = "/admin/comments/" + strconv.FormatInt(c.ParentID, 10)
	}
	if p != nil {
		row.PostTitle = p.Title
		if row.PostTitle == "" {
			row.PostTitle = "(untitled)"
		}
		row.PostEditURL = "/admin/posts/" + strconv.FormatInt(p.ID, 10)
		if p.VisibleAt(h.Now()) {
			row.PublicURL = base + post.Path(p.Slug) + "#comment-" + id
		}
	}
	return row
}
