package admin

import (
	"net/http"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
)

// POST /admin/comments/empty?status=spam|trash — "Empty spam" and "Empty
// trash": deletes, for good, every comment in that state now, then 303 to
// its tab with how many went.
func (h *Handler) CommentsEmpty(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.moderator(w, r); !ok {
		return
	}
	st := comment.Status(r.FormValue("status"))
	if st != comment.Spam && st != comment.Trash {
		h.fail(w, r, errs.Field("status", "Only spam and the trash can be emptied."))
		return
	}
	// Whole seconds are stored: a cutoff a second ahead takes everything
	// moderated up to now, and nothing that arrives later.
	n, err := h.Comments.Purge(r.Context(), st, h.Now().Add(time.Second))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, backURL(r, "/admin/comments?status="+string(st), "c-delete", n), http.StatusSeeOther)
}
