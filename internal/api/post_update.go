package api

import (
	"net/http"
)

// PATCH /api/v1/posts/{id} — change the fields present in the body (absent
// ones stay; "tags": [] clears the tags, "published_at": null the date).
// Authors may change only their own posts. Answers 200 with the post.
func (h *Handler) PostUpdate(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	ctx := r.Context()
	p, err := h.editablePost(ctx, r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in postInput
	if err := decode(w, r, &in, in.check); err != nil {
		h.fail(w, r, err)
		return
	}
	if !in.empty() {
		if err := h.checkAuthor(ctx, u, &in); err != nil {
			h.fail(w, r, err)
			return
		}
		in.apply(p)
		if err := h.Posts.Update(ctx, p); err != nil {
			h.fail(w, r, err)
			return
		}
		if p, err = h.Posts.ByID(ctx, p.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	base, err := h.base(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, r, http.StatusOK, toJSON(p, base, h.Now()))
}
