package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/akismet"
	"marquee/internal/errs"
)

// GET /admin/akismet/{id}/revoke — asks before revoking an Akismet key.
func (h *Handler) AkismetRevokeConfirm(w http.ResponseWriter, r *http.Request) {
	u, ok := h.akismetAdmin(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ks, err := h.Akismet.Keys(r.Context(), akismet.Month(h.Now()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var k *akismet.Key
	for _, x := range ks {
		if x.ID == id {
			k = x
		}
	}
	if k == nil {
		h.fail(w, r, errs.E(errs.NotFound, "There is no such key."))
		return
	}
	if k.Revoked() { // nothing to ask
		http.Redirect(w, r, "/admin/akismet", http.StatusSeeOther)
		return
	}
	p := h.newPage(r, u, "Revoke key", "akismet")
	p.Data = confirmData{Question: "Revoke the key " + k.Prefix + "… of " + k.Blog + "?",
		Detail: "Every call with it is answered “invalid” from then on, so the sites using it stop checking their comments. " +
			"A revoked key cannot be brought back; the sites need a new one.",
		Action: "/admin/akismet/" + strconv.FormatInt(id, 10) + "/revoke", Button: "Revoke key", Cancel: "/admin/akismet"}
	h.render(w, r, http.StatusOK, "confirm", p)
}
