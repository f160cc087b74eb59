package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/account"
	"marquee/internal/post"
)

// POST /admin/posts — creates a post or page by the logged-in writer. The
// "Preview" button shows the form again with the rendered body instead.
// Errors show the form again, 422, with everything typed kept.
func (h *Handler) PostCreate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	f := readPostForm(r)
	f.Format = string(post.Markdown)
	if r.PostFormValue("action") == "preview" {
		h.previewForm(w, r, u, f)
		return
	}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &post.Post{Format: post.Markdown, AuthorID: u.ID}
	if err := f.apply(p, st.Location()); err != nil {
		h.showPostForm(w, r, u, f, formStatus(err), err)
		return
	}
	if err := h.Posts.Create(r.Context(), p); err != nil {
		if _, ok := formError(err); ok {
			h.showPostForm(w, r, u, f, formStatus(err), err)
			return
		}
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/posts/"+strconv.FormatInt(p.ID, 10)+"?flash=created", http.StatusSeeOther)
}

// previewForm shows the editor again with the rendered body, unsaved.
func (h *Handler) previewForm(w http.ResponseWriter, r *http.Request, u *account.User, f *postForm) {
	html, err := h.preview(f.Format, f.Body)
	if err != nil {
		h.showPostForm(w, r, u, f, formStatus(err), err)
		return
	}
	f.Preview, f.ShowPreview = html, true
	h.showPostForm(w, r, u, f, http.StatusOK, nil)
}
