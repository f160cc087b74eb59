package web

import (
	"net/http"

	"marquee/internal/errs"
)

// POST /comments/{id}/delete — deletes the visitor's own comment while its
// edit window is open (see own.go); replies to it move up a level. Anyone
// else, or after the window, gets a 403 page. Success is a 303 to the
// post's comments.
func (h *Handler) CommentDelete(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	own, err := h.ownComment(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	p, _, err := h.readable(r, "", own.C.PostID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Comments.Delete(ctx, []int64{own.C.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.Info("comment deleted by its author", "post", p.ID, "comment", own.C.ID)
	var keep []ownEntry
	for _, e := range openEntries(ownEntries(own.Key, r), h.Now(), own.Window) {
		if e.ID != own.C.ID {
			keep = append(keep, e)
		}
	}
	setOwn(w, r, own.Key, keep, own.Window)
	http.Redirect(w, r, h.base(r, st)+postPath(p)+"#comments", http.StatusSeeOther)
}
