package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/account"
	"marquee/internal/akismet"
	"marquee/internal/errs"
)

type akismetRow struct {
	ID        int64
	Prefix    string
	Blog      string
	Created   string
	Revoked   string // when it was revoked; "" while active
	Usage     akismet.Usage
	Sites     int    // sites that used it this month
	RevokeURL string // the confirmation page; "" once revoked
}

type akismetData struct {
	Keys    []akismetRow
	Month   string
	APIBase string // <site base>/1.1/
	Blog    string
	Errors  fieldErrors
}

// GET /admin/akismet — the Akismet API keys with this month's usage, a form
// to add one and how to point a client at this server (administrators
// only).
func (h *Handler) AkismetList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.akismetAdmin(w, r)
	if !ok {
		return
	}
	h.showAkismet(w, r, u, "", http.StatusOK, nil)
}

// akismetAdmin returns the logged-in administrator when the Akismet keys
// screen exists; without a keys store its pages are not found.
func (h *Handler) akismetAdmin(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	u, ok := h.admin(w, r)
	if !ok {
		return nil, false
	}
	if h.Akismet == nil {
		h.fail(w, r, errs.E(errs.NotFound, "There is no admin page at this address."))
		return nil, false
	}
	return u, true
}

func (h *Handler) showAkismet(w http.ResponseWriter, r *http.Request, u *account.User, blog string, status int, errors fieldErrors) {
	ctx := r.Context()
	month := akismet.Month(h.Now())
	ks, err := h.Akismet.Keys(ctx, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, u, "Akismet keys", "akismet")
	loc := p.Site.Location()
	d := akismetData{Month: month, APIBase: strings.TrimSuffix(p.SiteURL, "/") + "/1.1/", Blog: blog, Errors: errors}
	for _, k := range ks {
		row := akismetRow{ID: k.ID, Prefix: k.Prefix, Blog: k.Blog, Created: formatTime(k.CreatedAt, loc)}
		if row.Usage, row.Sites, err = h.keyUsage(ctx, k.ID, month); err != nil {
			h.fail(w, r, err)
			return
		}
		if k.RevokedAt != nil {
			row.Revoked = formatTime(*k.RevokedAt, loc)
		} else {
			row.RevokeURL = "/admin/akismet/" + strconv.FormatInt(k.ID, 10) + "/revoke"
		}
		d.Keys = append(d.Keys, row)
	}
	p.Data = d
	h.render(w, r, status, "akismet", p)
}

// keyUsage sums a key's usage in month over all its sites.
func (h *Handler) keyUsage(ctx context.Context, keyID int64, month string) (akismet.Usage, int, error) {
	const batch = 1000
	var sum akismet.Usage
	for off := 0; ; off += batch {
		sites, total, err := h.Akismet.Sites(ctx, keyID, akismet.SitesQuery{Month: month, Limit: batch, Offset: off})
		if err != nil {
			return sum, 0, err
		}
		for _, s := range sites {
			sum.Calls += s.Calls
			sum.Spam += s.Spam
			sum.Ham += s.Ham
			sum.MissedSpam += s.MissedSpam
			sum.FalsePositives += s.FalsePositives
		}
		if len(sites) < batch || off+batch >= total {
			return sum, total, nil
		}
	}
}
