package admin

import (
	"net/http"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// GET /admin/posts/{id} — the editor for an existing post or page.
func (h *Handler) PostEdit(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	p, ok := h.editablePost(w, r, u)
	if !ok {
		return
	}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newPostForm(p, st.Location())
	if p.VisibleAt(h.Now()) {
		f.PublicURL = st.Base(r, h.BaseURL) + "/" + p.Slug + "/"
	}
	h.showPostForm(w, r, u, f, http.StatusOK, nil)
}

// editablePost loads the post of the route if u may change it: authors
// only their own (403 otherwise), editors and admins every one.
func (h *Handler) editablePost(w http.ResponseWriter, r *http.Request, u *account.User) (*post.Post, bool) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p, err := h.Posts.ByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if !u.CanEditPost(p.AuthorID) {
		h.fail(w, r, errs.E(errs.Forbidden, "You may change only your own posts."))
		return nil, false
	}
	return p, true
}
