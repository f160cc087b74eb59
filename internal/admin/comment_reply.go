package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/middleware"
)

// POST /admin/comments/{id}/reply — publishes the moderator's reply
// ("content") under comment id, as them: approved, with their user id (the
// site shows an author badge), nested as deep as the site's thread depth
// allows. Replying to a pending comment approves it first, as WordPress
// does. Then 303 to the "back" address; a mistake shows the comment's page,
// 422, with the reply kept.
func (h *Handler) CommentReply(w http.ResponseWriter, r *http.Request) {
	u, ok := h.moderator(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	parent, err := h.Comments.ByID(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := comment.Draft{PostID: parent.PostID, ParentID: parent.ID, Author: u.DisplayName(), Email: u.Email,
		Content: r.PostFormValue("content"), UserID: u.ID, UserAgent: r.UserAgent()}
	if ip := middleware.ClientIP(r); ip.IsValid() {
		d.IP = ip.String()
	}
	err = d.Validate(st.Comments)
	if err == nil {
		switch parent.Status {
		case comment.Spam:
			err = errs.Field("content", "This comment is marked as spam: mark it “Not spam” before replying.")
		case comment.Trash:
			err = errs.Field("content", "This comment is in the trash: restore it before replying.")
		}
	}
	if err == nil && parent.Status == comment.Pending {
		if _, err = h.Comments.SetStatus(ctx, []int64{parent.ID}, comment.Approved); err == nil {
			parent.Status = comment.Approved
		}
	}
	if err == nil {
		c := &comment.Comment{PostID: d.PostID, ParentID: d.ParentID, Type: "comment", Author: d.Author, Email: d.Email,
			Content: d.Content, IP: d.IP, UserAgent: d.UserAgent, Status: comment.Approved, UserID: u.ID}
		err = h.Comments.Create(ctx, c, st.Comments.ThreadDepth)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		f := newCommentForm(parent)
		f.Reply, f.ReplyError = r.PostFormValue("content"), errs.Message(err)
		h.showCommentForm(w, r, u, parent, f, formStatus(err), nil)
		return
	}
	http.Redirect(w, r, backURL(r, "/admin/comments/"+strconv.FormatInt(id, 10), "replied", -1), http.StatusSeeOther)
}
