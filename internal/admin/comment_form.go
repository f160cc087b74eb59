package admin

import (
	"errors"
	"net/http"
	"strconv"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/post"
	"marquee/internal/site"
)

// commentForm is the page of one comment: the form to change it, what is
// known of where it came from, and a reply form.
type commentForm struct {
	ID           int64
	Author       string
	Email        string
	URL          string
	Content      string
	Status       string
	Statuses     []string
	Errors       fieldErrors
	ErrorSummary string
	Row          commentRow // the comment as stored: metadata, links, actions
	Created      string
	Updated      string
	Moderated    string
	Back         string // this page, where its forms return
	Reply        string // the reply being written, kept on error
	ReplyError   string
}

func newCommentForm(c *comment.Comment) *commentForm {
	return &commentForm{ID: c.ID, Author: c.Author, Email: c.Email, URL: c.URL, Content: c.Content, Status: string(c.Status)}
}

// readCommentForm takes what was typed, unchanged, so that it can be shown again.
func readCommentForm(r *http.Request, id int64) *commentForm {
	v := r.PostFormValue
	return &commentForm{ID: id, Author: v("author"), Email: v("email"), URL: v("url"), Content: v("content"), Status: v("status")}
}

// commentEditRules are the limits on a moderator's edit: the public form's
// checks of each field, nothing required but the text.
var commentEditRules = site.CommentRules{MaxLength: 100000}

// validate checks the form as the public form would, without its rules on
// required fields and length, and returns the change to store.
func (f *commentForm) validate() (comment.Change, error) {
	d := comment.Draft{Author: f.Author, Email: f.Email, URL: f.URL, Content: f.Content}
	if err := d.Validate(commentEditRules); err != nil {
		return comment.Change{}, renameField(err, "comment", "content")
	}
	st, err := comment.ParseStatus(f.Status)
	if err != nil {
		return comment.Change{}, err
	}
	return comment.Change{Author: &d.Author, Email: &d.Email, URL: &d.URL, Content: &d.Content, Status: &st}, nil
}

// renameField moves a field error of the comment package's form onto ours.
func renameField(err error, from, to string) error {
	var e *errs.Error
	if errors.As(err, &e) && e.Field == from {
		return errs.Field(to, "%s", e.Message)
	}
	return err
}

// showCommentForm renders the page of comment c with f (what is stored, or
// what was typed) and status; err, when it concerns the input, is shown next
// to its field.
func (h *Handler) showCommentForm(w http.ResponseWriter, r *http.Request, u *account.User, c *comment.Comment, f *commentForm, status int, err error) {
	p := h.newPage(r, u, "Edit comment", "comments")
	loc := p.Site.Location()
	l := &postLookup{h: h, ctx: r.Context(), posts: map[int64]*post.Post{}}
	pp, lerr := l.get(c.PostID)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	f.Row = h.commentRow(c, pp, p.Site.Base(r, h.BaseURL), loc)
	f.Statuses = []string{"pending", "approved", "spam", "trash"}
	f.Back = "/admin/comments/" + strconv.FormatInt(c.ID, 10)
	f.Created, f.Updated, f.Moderated = formatTime(c.CreatedAt, loc), formatTime(c.UpdatedAt, loc), formatTime(c.ModeratedAt, loc)
	if err != nil {
		field, _ := formError(err)
		if field == "" {
			field = "_"
		}
		f.Errors = fieldErrors{field: errs.Message(err)}
		f.ErrorSummary = "The comment was not saved: " + errs.Message(err)
	}
	p.Data = f
	h.render(w, r, status, "comment_form", p)
}
