package admin

import (
	"net/http"
	"strconv"
)

// GET /admin/users/{id}/delete — asks before deleting a user.
func (h *Handler) UserDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	target, err := h.Accounts.ByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	detail := "Their posts stay, without an author. Their sessions and API tokens end."
	if id == u.ID {
		detail = "This is your own account: you will be logged out. " + detail
	}
	p := h.newPage(r, u, "Delete user", "users")
	p.Data = confirmData{Question: "Delete the account of " + target.Email + "?", Detail: detail,
		Action: "/admin/users/" + strconv.FormatInt(id, 10) + "/delete", Button: "Delete user", Cancel: "/admin/users"}
	h.render(w, r, http.StatusOK, "confirm", p)
}
