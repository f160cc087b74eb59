package admin

import (
	"net/http"
	"strconv"
)

// POST /admin/comments/{id} — saves a moderator's changes to a comment; a
// mistake shows the form again, 422, with everything typed. Moving it into
// or out of spam teaches the spam filter (the store does).
func (h *Handler) CommentUpdate(w http.ResponseWriter, r *http.Request) {
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
	c, err := h.Comments.ByID(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := readCommentForm(r, id)
	ch, err := f.validate()
	if err == nil {
		_, err = h.Comments.Update(ctx, id, ch)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.showCommentForm(w, r, u, c, f, formStatus(err), err)
		return
	}
	http.Redirect(w, r, "/admin/comments/"+strconv.FormatInt(id, 10)+"?flash=comment-saved", http.StatusSeeOther)
}
