package api

import (
	"context"
	"net/http"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// GET /api/v1/posts/{id} — one post or page, whatever its status, for
// editors, admins and its author; other authors see it only once it is
// public.
func (h *Handler) PostShow(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	p, err := h.readablePost(r.Context(), r, u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base, err := h.base(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, r, http.StatusOK, toJSON(p, base, h.Now()))
}

// readablePost loads the post of the path's {id} if u may see it.
func (h *Handler) readablePost(ctx context.Context, r *http.Request, u *account.User) (*post.Post, error) {
	id, err := pathID(r, "post")
	if err != nil {
		return nil, err
	}
	p, err := h.Posts.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.CanEditPost(p.AuthorID) && !p.VisibleAt(h.Now()) {
		return nil, errs.E(errs.Forbidden, "this post is not public yet, and only its author, editors and administrators may see it")
	}
	return p, nil
}

// editablePost loads the post of the path's {id} if u may change it.
func (h *Handler) editablePost(ctx context.Context, r *http.Request, u *account.User) (*post.Post, error) {
	id, err := pathID(r, "post")
	if err != nil {
		return nil, err
	}
	p, err := h.Posts.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.CanEditPost(p.AuthorID) {
		return nil, errs.E(errs.Forbidden, "authors may change only their own posts")
	}
	return p, nil
}
