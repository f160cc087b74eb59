package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/privacy"
)

// auditLimit is how many lines of the privacy log the page shows.
const auditLimit = 50

// policyForm is the privacy policy as typed: numbers stay text so that a
// wrong one is shown again as it was. The form's field names are the
// settings keys, which privacy.Policy.Validate names in its errors.
type policyForm struct {
	IPRetentionDays   string
	SpamRetentionDays string
	KeepEmail         bool
	TruncateIPs       bool
	EditWindowMinutes string
	Contact           string
	TextAbove         string
	TextBelow         string
}

func newPolicyForm(p privacy.Policy) policyForm {
	return policyForm{IPRetentionDays: strconv.Itoa(p.IPRetentionDays), SpamRetentionDays: strconv.Itoa(p.SpamRetentionDays),
		KeepEmail: p.KeepEmail, TruncateIPs: p.TruncateIPs, EditWindowMinutes: strconv.Itoa(p.EditWindowMinutes),
		Contact: p.Contact, TextAbove: p.TextAbove, TextBelow: p.TextBelow}
}

type auditRow struct {
	When      string
	Action    string
	Actor     string
	Comments  int64
	Samples   int64
	RequestID string
}

type privacyData struct {
	Policy      policyForm
	ExportEmail string
	EraseEmail  string
	EraseMode   string
	Errors      fieldErrors // policy fields by settings key; export_email, erase_email, erase_mode
	Audit       []auditRow
	PublicURL   string // the public privacy page
	AuditLimit  int
}

// GET /admin/privacy — the privacy policy, a commenter's export and
// erasure, and the latest lines of the privacy log (administrators only).
func (h *Handler) PrivacyShow(w http.ResponseWriter, r *http.Request) {
	u, ok := h.privacyAdmin(w, r)
	if !ok {
		return
	}
	pol, err := h.Privacy.LoadPolicy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showPrivacy(w, r, u, &privacyData{Policy: newPolicyForm(pol), EraseMode: string(privacy.Anonymize)}, http.StatusOK)
}

// privacyAdmin returns the logged-in administrator when the privacy screen
// exists; without a privacy service its pages are not found.
func (h *Handler) privacyAdmin(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	u, ok := h.admin(w, r)
	if !ok {
		return nil, false
	}
	if h.Privacy == nil {
		h.fail(w, r, errs.E(errs.NotFound, "There is no admin page at this address."))
		return nil, false
	}
	return u, true
}

// showPrivacy renders the privacy page with d's forms, adding the log.
func (h *Handler) showPrivacy(w http.ResponseWriter, r *http.Request, u *account.User, d *privacyData, status int) {
	ctx := r.Context()
	es, err := h.Privacy.Audit(ctx, auditLimit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	us, err := h.Accounts.List(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	emails := map[string]string{}
	for _, x := range us {
		emails[strconv.FormatInt(x.ID, 10)] = x.Email
	}
	p := h.newPage(r, u, "Privacy", "privacy")
	loc := p.Site.Location()
	d.PublicURL, d.AuditLimit = p.SiteURL+"privacy/", auditLimit
	for _, e := range es {
		d.Audit = append(d.Audit, auditRow{When: formatTime(e.CreatedAt, loc), Action: auditActions[e.Action],
			Actor: actorLabel(e.Actor, emails), Comments: e.Comments, Samples: e.Samples, RequestID: e.RequestID})
		if d.Audit[len(d.Audit)-1].Action == "" {
			d.Audit[len(d.Audit)-1].Action = string(e.Action)
		}
	}
	for _, msg := range d.Errors {
		p.Error = "Not done: " + msg
	}
	p.Data = d
	h.render(w, r, status, "privacy", p)
}

var auditActions = map[privacy.Action]string{
	privacy.ActionExport:         "Export",
	privacy.ActionEraseAnonymize: "Erasure (anonymize)",
	privacy.ActionEraseDelete:    "Erasure (delete)",
	privacy.ActionRetention:      "Retention job",
}

// actorLabel says who acted: the user's address for an admin page or an
// API token, else the actor as logged (cli, job).
func actorLabel(a privacy.Actor, emails map[string]string) string {
	kind, id, ok := strings.Cut(string(a), ":")
	if !ok {
		return string(a)
	}
	who := emails[id]
	if who == "" {
		who = "user " + id + " (deleted)"
	}
	switch kind {
	case "admin":
		return who + ", admin pages"
	case "api":
		return who + ", API"
	}
	return string(a)
}

// privacyFieldError re-keys an export or erasure error by its form, so that
// it shows next to the right e-mail field: prefix "export" or "erase".
func privacyFieldError(prefix string, err error) fieldErrors {
	field, _ := formError(err)
	if field == "" {
		field = "email"
	}
	return fieldErrors{prefix + "_" + field: errs.Message(err)}
}

// eraseFlash is the message after an erasure, made of its counts only
// (?flash=erased&mode=…&n=…&s=…&m=…), so that no one can make the page say
// what they want.
func eraseFlash(q url.Values) string {
	if q.Get("flash") != "erased" {
		return ""
	}
	done := map[string]string{string(privacy.Anonymize): "anonymized", string(privacy.Delete): "deleted"}[q.Get("mode")]
	var n [3]int
	for i, k := range []string{"n", "s", "m"} {
		x, err := strconv.Atoi(q.Get(k))
		if err != nil || x < 0 {
			return ""
		}
		n[i] = x
	}
	if done == "" {
		return ""
	}
	return fmt.Sprintf("Erasure done: %s %s; %s and %s deleted.", plural(n[0], "comment", "comments"), done,
		plural(n[1], "spam-filter sample", "spam-filter samples"), plural(n[2], "notification mail", "notification mails"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
