package api

import (
	"net/http"

	"marquee/internal/comment"
	"marquee/internal/errs"
)

// GET /api/v1/comments — comments of every post, newest first, with the
// query parameters status (pending|approved|spam|trash|all, default all),
// post_id, limit (1–100, default 20) and offset. Editors and admins only.
func (h *Handler) CommentList(w http.ResponseWriter, r *http.Request) {
	u := h.authenticate(w, r)
	if u == nil {
		return
	}
	if err := canModerate(u); err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := commentFilter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cs, total, err := h.Comments.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := commentsJSON{Comments: make([]commentJSON, 0, len(cs)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for _, c := range cs {
		out.Comments = append(out.Comments, commentToJSON(c))
	}
	h.reply(w, r, http.StatusOK, out)
}

// commentFilter reads and checks the listing's query parameters.
func commentFilter(r *http.Request) (comment.Filter, error) {
	var f comment.Filter
	switch s := r.URL.Query().Get("status"); s {
	case "", "all":
	default:
		st, err := comment.ParseStatus(s)
		if err != nil {
			return f, errs.Field("status", "status must be pending, approved, spam, trash or all, not %q", s)
		}
		f.Status = st
	}
	postID, err := queryInt(r, "post_id", 0, 1, 0)
	if err != nil {
		return f, err
	}
	f.PostID = int64(postID)
	if f.Limit, err = queryInt(r, "limit", 20, 1, 100); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(r, "offset", 0, 0, 0); err != nil {
		return f, err
	}
	return f, nil
}
