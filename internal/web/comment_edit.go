package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/throttle"
)

// GET /comments/{id}/edit — the form to change the text of the visitor's
// own comment while its edit window is open (see own.go), with the button
// to delete it. Anyone else, or after the window, gets a 403 page.
func (h *Handler) CommentEditShow(w http.ResponseWriter, r *http.Request) {
	own, err := h.ownComment(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	p, _, err := h.readable(r, "", own.C.PostID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderEdit(w, r, http.StatusOK, st, h.editForm(r, own, p, st, own.C.Content))
}

// POST /comments/{id}/edit — saves the new text. It is checked like a new
// comment's (not empty, within the length limit). The comment keeps its
// status, with one exception, kept simple on purpose: an approved comment
// whose new text the site's rules would not approve (disallowed or
// moderation words, too many links, holding every comment) is held for
// moderation again. The spam filter is not consulted again. Success is a
// 303 back to the comment; a mistake re-shows the form with the text (422).
func (h *Handler) CommentEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, MaxCommentBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, errs.E(errs.TooLarge, "Your comment is too large to send."))
			return
		}
		h.fail(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	own, err := h.ownComment(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	c := own.C
	p, _, err := h.readable(r, "", c.PostID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	text := r.PostForm.Get("comment")
	reshow := func(status int, err error) {
		d := h.editForm(r, own, p, st, text)
		d.Error = errs.Message(err)
		h.renderEdit(w, r, status, st, d)
	}
	if ok, wait := h.CommentLimit.Allow("edit " + throttle.ClientKey(middleware.ClientIP(r))); !ok {
		err := errs.Throttled(wait, "You are saving changes faster than this site accepts. Please wait %s and save again: your text is kept below.", wait.Round(time.Second))
		errs.SetHeaders(w.Header(), err)
		reshow(http.StatusTooManyRequests, err)
		return
	}
	// Only the text changes: check it as a new comment's, with the stored
	// name, e-mail address and website as they are.
	d := comment.Draft{PostID: c.PostID, ParentID: c.ParentID, Author: c.Author, Email: c.Email, URL: c.URL, Content: text,
		IP: c.IP, UserAgent: c.UserAgent, UserID: c.UserID}
	rules := st.Comments
	rules.RequireNameEmail = false // the rule may have changed since; the name is not being edited
	if err := d.Validate(rules); err != nil {
		reshow(http.StatusUnprocessableEntity, err)
		return
	}
	ch := comment.Change{Content: &d.Content}
	if c.Status == comment.Approved {
		v := comment.Decide(st.Comments, &d, comment.CountLinks(h.Comments.Render(d.Content)), true, false, nil)
		if v.Status != comment.Approved {
			held := comment.Pending
			ch.Status = &held
			h.Log.Info("edited comment held again", "comment", c.ID, "reason", v.Reason)
		}
	}
	c, err = h.Comments.Update(ctx, c.ID, ch)
	if err != nil {
		if errs.KindOf(err) == errs.Invalid {
			reshow(http.StatusUnprocessableEntity, err)
			return
		}
		h.fail(w, r, err)
		return
	}
	if c.Status == comment.Pending {
		addHeld(w, r, own.Key, c.ID) // so that its author still sees it
	}
	page, err := h.Comments.PageOf(ctx, c, st.Comments.PerPage, st.Comments.NewestFirst)
	if err != nil {
		page = 1
	}
	http.Redirect(w, r, h.base(r, st)+postPath(p)+pageQuery(page)+"#comment-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// editForm fills the edit page for the comment in own, showing text.
func (h *Handler) editForm(r *http.Request, own *ownership, p *post.Post, st site.Settings, text string) editData {
	base := h.base(r, st)
	id := own.C.ID
	return editData{ID: id, Action: base + editPath(id), DeleteAction: base + "/comments/" + strconv.FormatInt(id, 10) + "/delete",
		CancelURL: base + postPath(p) + "#comment-" + strconv.FormatInt(id, 10), Comment: text,
		MaxLength: st.Comments.MaxLength, Minutes: minutesLeft(own.Left), Held: own.C.Status == comment.Pending}
}
