package admin

import (
	"net/http"
	"strconv"
)

type confirmData struct {
	Question string
	Detail   string
	Action   string
	Button   string
	Cancel   string
	Fields   []hiddenField // sent again with the confirmation
}

type hiddenField struct{ Name, Value string }

// GET /admin/posts/{id}/delete — asks before deleting a post for good.
func (h *Handler) PostDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	p, ok := h.editablePost(w, r, u)
	if !ok {
		return
	}
	id := strconv.FormatInt(p.ID, 10)
	pg := h.newPage(r, u, "Delete "+typeLabel(string(p.Type)), "posts")
	pg.Data = confirmData{
		Question: "Delete “" + p.Title + "”?",
		Detail:   "The " + typeLabel(string(p.Type)) + " and its comments will be deleted for good. This cannot be undone.",
		Action:   "/admin/posts/" + id + "/delete", Button: "Delete " + typeLabel(string(p.Type)), Cancel: "/admin/posts/" + id,
	}
	h.render(w, r, http.StatusOK, "confirm", pg)
}
