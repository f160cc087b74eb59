package api

import (
	"context"
	"net/http"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/errs"
)

// GET /api/v1/comments/{id} — one comment, whatever its status. Editors
// and admins only.
func (h *Handler) CommentShow(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	c, err := h.moderatedComment(r.Context(), r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, r, http.StatusOK, commentToJSON(c))
}

// canModerate is the permission every call on /api/v1/comments needs.
func canModerate(u *account.User) error {
	if !u.CanModerate() {
		return errs.E(errs.Forbidden, "only editors and administrators may moderate comments")
	}
	return nil
}

// moderatedComment loads the comment of the path's {id} if u may moderate
// it. The permission is checked first, so that others learn nothing of
// which comments exist.
func (h *Handler) moderatedComment(ctx context.Context, r *http.Request, u *account.User) (*comment.Comment, error) {
	if err := canModerate(u); err != nil {
		return nil, err
	}
	id, err := pathID(r, "comment")
	if err != nil {
		return nil, err
	}
	return h.Comments.ByID(ctx, id)
}
