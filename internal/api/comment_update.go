package api

import "net/http"

// PATCH /api/v1/comments/{id} — change a comment's status and/or content
// (absent fields stay). Moving a comment to spam teaches the spam filter
// spam; approving it, or moving it out of spam, teaches ham. Editors and
// admins only. Answers 200 with the comment.
func (h *Handler) CommentUpdate(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	ctx := r.Context()
	c, err := h.moderatedComment(ctx, r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in commentPatch
	if err := decode(w, r, &in, in.check); err != nil {
		h.fail(w, r, err)
		return
	}
	if !in.empty() {
		if c, err = h.Comments.Update(ctx, c.ID, in.change()); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.reply(w, r, http.StatusOK, commentToJSON(c))
}
