package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/spam"
)

// commentStore is what the public site reads and writes of comments.
type commentStore interface {
	Thread(ctx context.Context, postID int64, page, perPage int, newestFirst bool) (*comment.Thread, error)
	Held(ctx context.Context, postID int64, ids []int64) ([]*comment.Comment, error)
	Sender(ctx context.Context, author, email, ip string) (comment.Sender, error)
	Render(content string) string
	Create(ctx context.Context, c *comment.Comment, maxDepth int) error
	PageOf(ctx context.Context, c *comment.Comment, perPage int, newestFirst bool) (int, error)
	Recent(ctx context.Context, postID int64, limit int, now time.Time) ([]*comment.Comment, error)
	Unsubscribe(ctx context.Context, email string, postID int64) (int64, error)
	// A commenter's own comment, while its edit window is open (own.go).
	ByID(ctx context.Context, id int64) (*comment.Comment, error)
	Update(ctx context.Context, id int64, ch comment.Change) (*comment.Comment, error)
	Delete(ctx context.Context, ids []int64) (int, error)
}

// spamChecker scores comments with the local filter.
type spamChecker interface {
	Check(ctx context.Context, model string, s spam.Sample, h spam.History) (spam.Result, error)
}

// commentsData is the discussion under a post.
type commentsData struct {
	Count int
	Roots []*commentView
	Pager pager
	Form  formData
}

type commentView struct {
	ID        int64
	Author    string
	URL       string
	Avatar    string
	Badge     string
	Date      string
	ISODate   string
	Permalink string
	Body      template.HTML
	ReplyURL  string
	Held      bool
	Depth     int
	Children  []*commentView
	// The visitor's own comment, still open for changes (own.go).
	EditURL     string
	DeleteURL   string
	EditMinutes int
}

// formData fills the reply form, including what a visitor typed when the
// form comes back with an error.
type formData struct {
	Open             bool
	Action           string
	PostID           int64
	Parent           int64
	ReplyTo          string
	CancelURL        string
	Author           string
	Email            string
	URL              string
	Comment          string
	Remember         bool
	Notify           bool
	OfferNotify      bool // notifications are possible: show the opt-in box
	LoggedInAs       string
	RequireNameEmail bool
	MaxLength        int
	Token            string
	Honeypot         string
	PrivacyURL       string
	Error            string
	ErrorField       string
}

// HoneypotField is the form field hidden from people and screen readers;
// only bots fill it in.
const HoneypotField = "website_url"

// discussion builds the comment section of p for this request: the page of
// approved comments, the visitor's own held ones, and the form.
func (h *Handler) discussion(r *http.Request, p *post.Post, st site.Settings, base string, viewer *account.User, form *formData) (*commentsData, int, error) {
	ctx := r.Context()
	rules := st.Comments
	page := 1
	if s := r.URL.Query().Get("cpage"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, 0, nil
		}
		page = n
	}
	th, err := h.Comments.Thread(ctx, p.ID, page, rules.PerPage, rules.NewestFirst)
	if err != nil {
		return nil, 0, err
	}
	if page > th.Pages {
		return nil, 0, nil
	}
	secret, err := h.Settings.Secret(ctx)
	if err != nil {
		return nil, 0, err
	}
	// Site-relative: a hundred comments repeat it twice each.
	postURL := postPath(p)
	roots := th.Roots
	// The visitor's own comments awaiting moderation, shown only to them.
	if ids := heldIDs(secret, r); len(ids) > 0 {
		held, err := h.Comments.Held(ctx, p.ID, ids)
		if err != nil {
			return nil, 0, err
		}
		lastPage := page == th.Pages
		if rules.NewestFirst {
			lastPage = page == 1
		}
		roots = mergeHeld(roots, held, lastPage, rules.NewestFirst)
	}
	loc := st.Location()
	mine := h.ownedNow(r, secret) // the visitor's comments they may still change (own.go)
	var view func(cs []*comment.Comment, depth int) []*commentView
	view = func(cs []*comment.Comment, depth int) []*commentView {
		var vs []*commentView
		for _, c := range cs {
			v := &commentView{ID: c.ID, Author: c.Author, URL: c.URL, Avatar: "/avatar/" + avatarKey(secret, c.Email, c.Author) + ".svg",
				Date: c.CreatedAt.In(loc).Format("January 2, 2006 at 3:04 pm"), ISODate: c.CreatedAt.Format(time.RFC3339),
				Permalink: postURL + pageQuery(page) + "#comment-" + strconv.FormatInt(c.ID, 10),
				Body:      template.HTML(c.ContentHTML), // sanitised when the comment was saved
				Held:      c.Status == comment.Pending, Depth: depth}
			if v.Author == "" {
				v.Author = "Anonymous"
			}
			if c.UserID != 0 {
				v.Badge = "Author"
			}
			if c.Type == "pingback" || c.Type == "trackback" {
				v.Badge = c.Type
			}
			if left := mine.left(c); left > 0 {
				v.EditURL = base + editPath(c.ID)
				v.DeleteURL, v.EditMinutes = v.EditURL+"#delete", minutesLeft(left)
			}
			if !v.Held && form.Open {
				v.ReplyURL = postURL + "?replytocom=" + strconv.FormatInt(c.ID, 10) + "#respond"
			}
			// Replies deeper than the setting are shown at the deepest level.
			if depth >= rules.ThreadDepth {
				v.ReplyURL = ""
				flat := flatten(c.Children)
				v.Children = nil
				vs = append(vs, v)
				for _, fc := range view(flat, depth) {
					fc.Children = nil
					vs = append(vs, fc)
				}
				continue
			}
			v.Children = view(c.Children, depth+1)
			vs = append(vs, v)
		}
		return vs
	}
	d := &commentsData{Count: p.CommentCount, Roots: view(roots, 1), Form: *form}
	d.Pager = newPagerParam(postURL, "cpage", page, th.Pages)
	d.Form.Token = tokenPlaceholder(p.ID)
	return d, page, nil
}

// flatten lists a subtree depth-first, oldest reply first.
func flatten(cs []*comment.Comment) []*comment.Comment {
	var out []*comment.Comment
	for _, c := range cs {
		kids := c.Children
		out = append(out, c)
		out = append(out, flatten(kids)...)
	}
	return out
}

// mergeHeld hangs held comments under their parents when those are on this
// page, and shows held top-level comments on the page where new ones go.
func mergeHeld(roots []*comment.Comment, held []*comment.Comment, newPage, newestFirst bool) []*comment.Comment {
	byID := map[int64]*comment.Comment{}
	var index func(cs []*comment.Comment)
	index = func(cs []*comment.Comment) {
		for _, c := range cs {
			byID[c.ID] = c
			index(c.Children)
		}
	}
	index(roots)
	for _, c := range held {
		if p, ok := byID[c.ParentID]; ok {
			p.Children = append(p.Children, c)
			byID[c.ID] = c
		} else if c.ParentID == 0 && newPage {
			if newestFirst {
				roots = append([]*comment.Comment{c}, roots...)
			} else {
				roots = append(roots, c)
			}
			byID[c.ID] = c
		}
	}
	return roots
}

func pageQuery(page int) string {
	if page <= 1 {
		return ""
	}
	return "?cpage=" + strconv.Itoa(page)
}

func newPagerParam(link, param string, page, pages int) pager {
	pg := pager{Page: page, Pages: pages}
	at := func(n int) string {
		if n == 1 {
			return link + "#comments"
		}
		return link + "?" + param + "=" + strconv.Itoa(n) + "#comments"
	}
	if page > 1 {
		pg.Next = at(page - 1) // "older" link in the shared pager template
	}
	if page < pages {
		pg.Prev = at(page + 1)
	}
	return pg
}

// newForm prepares an empty reply form for p, prefilled from the visitor's
// saved details and the comment being replied to (?replytocom=, no JS).
func (h *Handler) newForm(r *http.Request, p *post.Post, st site.Settings, base string, viewer *account.User) formData {
	f := formData{Open: p.CommentsOpenAt(h.Now(), st.Comments.CloseAfterDays), Action: base + "/comments", PostID: p.ID,
		RequireNameEmail: st.Comments.RequireNameEmail, MaxLength: st.Comments.MaxLength, Honeypot: HoneypotField,
		PrivacyURL: base + "/privacy/", CancelURL: base + postPath(p) + "#respond", OfferNotify: h.Mail}
	if viewer != nil {
		f.LoggedInAs = viewer.DisplayName()
	}
	if c, err := r.Cookie(commenterCookie); err == nil {
		if v, err := url.ParseQuery(c.Value); err == nil {
			f.Author, f.Email, f.URL, f.Remember = v.Get("author"), v.Get("email"), v.Get("url"), true
		}
	}
	if s := r.URL.Query().Get("replytocom"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.Parent = id
		}
	}
	return f
}
