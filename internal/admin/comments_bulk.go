package admin

import (
	"net/http"
	"slices"
	"strconv"

	"marquee/internal/errs"
)

// POST /admin/comments/bulk — moderates the comments named by the repeated
// "ids" field: action is approve, unapprove, spam, unspam ("Not spam":
// back to approved), trash, restore (trash to pending) or delete. Deleting
// is for comments in spam or the trash only and asks first: the question's
// form comes back with confirm=yes. Then 303 to the "back" address (the
// tab, filters and page the form was on) with "3 comments approved".
func (h *Handler) CommentsBulk(w http.ResponseWriter, r *http.Request) {
	u, ok := h.moderator(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	const def = "/admin/comments"
	action := r.PostFormValue("action")
	m, known := moderations[action]
	ids := formIDs(r)
	switch {
	case action == "":
		http.Redirect(w, r, backURL(r, def, "no-action", -1), http.StatusSeeOther)
		return
	case !known:
		h.fail(w, r, errs.Field("action", "There is no action %q for comments.", action))
		return
	case len(ids) == 0:
		http.Redirect(w, r, backURL(r, def, "no-selection", -1), http.StatusSeeOther)
		return
	}
	if len(m.from) > 0 {
		var keep []int64
		for _, id := range ids {
			c, err := h.Comments.ByID(ctx, id)
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if slices.Contains(m.from, c.Status) {
				keep = append(keep, id)
			}
		}
		ids = keep
	}
	if action == "delete" && len(ids) > 0 && r.PostFormValue("confirm") != "yes" {
		back := backURL(r, def, "", -1)
		fields := []hiddenField{{"action", "delete"}, {"confirm", "yes"}, {"back", back}}
		for _, id := range ids {
			fields = append(fields, hiddenField{"ids", strconv.FormatInt(id, 10)})
		}
		question := "Delete 1 comment permanently?"
		if len(ids) > 1 {
			question = "Delete " + strconv.Itoa(len(ids)) + " comments permanently?"
		}
		p := h.newPage(r, u, "Delete comments", "comments")
		p.Data = confirmData{Question: question,
			Detail: "This cannot be undone. Replies to these comments stay, one level up.",
			Action: "/admin/comments/bulk", Button: "Delete permanently", Cancel: back, Fields: fields}
		h.render(w, r, http.StatusOK, "confirm", p)
		return
	}
	var n int
	if action == "delete" {
		var err error
		if n, err = h.Comments.Delete(ctx, ids); err != nil {
			h.fail(w, r, err)
			return
		}
	} else if len(ids) > 0 {
		changed, err := h.Comments.SetStatus(ctx, ids, m.to)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		n = len(changed)
	}
	http.Redirect(w, r, backURL(r, def, "c-"+action, n), http.StatusSeeOther)
}
