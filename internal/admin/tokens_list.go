package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/account"
)

type tokenRow struct {
	ID        int64
	Name      string
	User      string
	Created   string
	LastUsed  string
	RevokeURL string
}

type tokensData struct {
	Tokens []tokenRow
	Name   string
	Errors fieldErrors
}

// GET /admin/tokens — the API tokens, and a form to create one
// (administrators only).
func (h *Handler) TokensList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	h.showTokens(w, r, u, "", http.StatusOK, nil)
}

func (h *Handler) showTokens(w http.ResponseWriter, r *http.Request, u *account.User, name string, status int, errors fieldErrors) {
	ctx := r.Context()
	ts, err := h.Accounts.Tokens(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	us, err := h.Accounts.List(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, x := range us {
		names[x.ID] = x.Email
	}
	p := h.newPage(r, u, "API tokens", "tokens")
	loc := p.Site.Location()
	d := tokensData{Name: name, Errors: errors}
	for _, t := range ts {
		row := tokenRow{ID: t.ID, Name: t.Name, User: names[t.UserID], Created: formatTime(t.CreatedAt, loc),
			RevokeURL: "/admin/tokens/" + strconv.FormatInt(t.ID, 10) + "/revoke"}
		if t.LastUsedAt != nil {
			row.LastUsed = formatTime(*t.LastUsedAt, loc)
		}
		d.Tokens = append(d.Tokens, row)
	}
	p.Data = d
	h.render(w, r, status, "tokens", p)
}
