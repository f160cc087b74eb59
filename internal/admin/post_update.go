package admin

import (
	"net/http"
	"strconv"
)

// POST /admin/posts/{id} — saves the editor's form over the post; its
// author and body format stay. "Preview" shows the form again unsaved;
// errors show it again, 422, with everything typed kept.
func (h *Handler) PostUpdate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	p, ok := h.editablePost(w, r, u)
	if !ok {
		return
	}
	f := readPostForm(r)
	f.ID, f.Format = p.ID, string(p.Format)
	if r.PostFormValue("action") == "preview" {
		h.previewForm(w, r, u, f)
		return
	}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := f.apply(p, st.Location()); err != nil {
		h.showPostForm(w, r, u, f, formStatus(err), err)
		return
	}
	if err := h.Posts.Update(r.Context(), p); err != nil {
		if _, ok := formError(err); ok {
			h.showPostForm(w, r, u, f, formStatus(err), err)
			return
		}
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/posts/"+strconv.FormatInt(p.ID, 10)+"?flash=saved", http.StatusSeeOther)
}
