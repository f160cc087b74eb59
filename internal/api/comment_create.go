package api

import (
	"net/http"

	"marquee/internal/comment"
	"marquee/internal/errs"
)

// POST /api/v1/posts/{id}/comments — a reply under a post or page as the
// token's user, approved at once and credited to the user's name and
// e-mail address. Anyone who may read the post may reply while its comments
// are open; editors and admins may reply after they close. A reply to a
// thread deeper than the site allows hangs at the deepest level. Answers 201
// with the comment and its API address in Location.
func (h *Handler) CommentCreate(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	ctx := r.Context()
	p, err := h.readablePost(ctx, r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !u.CanModerate() && !p.CommentsOpenAt(h.Now(), st.Comments.CloseAfterDays) {
		h.fail(w, r, errs.E(errs.Forbidden, "comments are closed on this post; only editors and administrators may still reply"))
		return
	}
	var in replyInput
	if err := decode(w, r, &in, func() error { return in.check(st.Comments.MaxLength) }); err != nil {
		h.fail(w, r, err)
		return
	}
	c := &comment.Comment{PostID: p.ID, ParentID: in.parent(), Type: "comment", Author: u.DisplayName(), Email: u.Email,
		Content: *in.Content, Status: comment.Approved, UserID: u.ID}
	if err := h.Comments.Create(ctx, c, st.Comments.ThreadDepth); err != nil {
		h.fail(w, r, parentError(err))
		return
	}
	// Read it back, so that the answer is what GET will show.
	if c, err = h.Comments.ByID(ctx, c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", commentLocation(st.Base(r, h.BaseURL), c.ID))
	h.reply(w, r, http.StatusCreated, commentToJSON(c))
}
