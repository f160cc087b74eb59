package admin

import (
	"net/http"

	"marquee/internal/post"
)

// POST /admin/preview — the editor's live preview: the form field body
// (and format, markdown by default) rendered and sanitised as saving would,
// answered as JSON {"html": "…"}.
func (h *Handler) Preview(w http.ResponseWriter, r *http.Request) {
	if _, err := h.currentUser(r); err != nil {
		h.failJSON(w, r, err)
		return
	}
	format := r.PostFormValue("format")
	if format != string(post.HTML) {
		format = string(post.Markdown)
	}
	html, err := h.preview(format, r.PostFormValue("body"))
	if err != nil {
		h.failJSON(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"html": string(html)})
}
