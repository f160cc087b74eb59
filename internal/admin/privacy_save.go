package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/errs"
	"marquee/internal/privacy"
)

// POST /admin/privacy — saves the privacy policy; errors show the page
// again, 422, with what was typed and the message at the field.
func (h *Handler) PrivacySave(w http.ResponseWriter, r *http.Request) {
	u, ok := h.privacyAdmin(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	f := policyForm{IPRetentionDays: strings.TrimSpace(v("privacy_ip_retention_days")),
		SpamRetentionDays: strings.TrimSpace(v("privacy_spam_retention_days")),
		KeepEmail:         v("privacy_keep_email") != "", TruncateIPs: v("privacy_truncate_ips") != "",
		EditWindowMinutes: strings.TrimSpace(v("privacy_edit_window_minutes")),
		Contact:           v("privacy_contact"), TextAbove: v("privacy_text_above"), TextBelow: v("privacy_text_below")}
	// Every problem at once: what does not parse, and what Validate finds
	// in the rest.
	pol, err := f.policy()
	if err != nil {
		err = errors.Join(err, pol.Validate())
	} else {
		err = h.Privacy.SavePolicy(r.Context(), pol)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		h.showPrivacy(w, r, u, &privacyData{Policy: f, EraseMode: string(privacy.Anonymize),
			Errors: errs.Fields(err)}, formStatus(err))
		return
	}
	http.Redirect(w, r, "/admin/privacy?flash=privacy", http.StatusSeeOther)
}

// policy reads the form; the ranges are checked by privacy.Policy.Validate.
func (f policyForm) policy() (privacy.Policy, error) {
	p := privacy.Policy{KeepEmail: f.KeepEmail, TruncateIPs: f.TruncateIPs, Contact: f.Contact, TextAbove: f.TextAbove, TextBelow: f.TextBelow}
	var problems []error
	for _, n := range []struct {
		field, label, value string
		dst                 *int
	}{
		{"privacy_ip_retention_days", "the days IP addresses are kept", f.IPRetentionDays, &p.IPRetentionDays},
		{"privacy_spam_retention_days", "the days spam and trash are kept", f.SpamRetentionDays, &p.SpamRetentionDays},
		{"privacy_edit_window_minutes", "the edit window", f.EditWindowMinutes, &p.EditWindowMinutes},
	} {
		x, err := strconv.Atoi(n.value)
		if err != nil {
			problems = append(problems, errs.Field(n.field, "%s must be a whole number", n.label))
			continue
		}
		*n.dst = x
	}
	return p, errors.Join(problems...)
}
