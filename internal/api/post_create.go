package api

import (
	"net/http"

	"marquee/internal/post"
)

// POST /api/v1/posts — create a post or page as the token's user (editors
// and admins may credit someone else with author_id). Answers 201 with the
// post and its API address in Location.
func (h *Handler) PostCreate(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	var in postInput
	if err := decode(w, r, &in, in.check); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	if err := h.checkAuthor(ctx, u, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := &post.Post{Format: post.Markdown, AuthorID: u.ID, CommentsOpen: true}
	in.apply(p)
	if err := h.Posts.Create(ctx, p); err != nil {
		h.fail(w, r, err)
		return
	}
	// Read it back, so that the answer is what GET will show (author name,
	// tag order, derived excerpt).
	p, err := h.Posts.ByID(ctx, p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base, err := h.base(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", postLocation(base, p.ID))
	h.reply(w, r, http.StatusCreated, toJSON(p, base, h.Now()))
}
