package privacy

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"

	"marquee/internal/errs"
	"marquee/internal/site"
	"marquee/internal/sqldb"
)

// Policy is how long commenters' data is kept and what the privacy page
// says. It is stored in the settings table under the keys privacy_*.
type Policy struct {
	// IPRetentionDays: a comment's IP address, user agent and referrer are
	// removed this many days after its status was decided (its creation
	// when it never was). 0 keeps them.
	IPRetentionDays int
	// SpamRetentionDays: spam and trashed comments are deleted this many
	// days after they went there. 0 keeps them.
	SpamRetentionDays int
	// KeepEmail keeps a comment's e-mail address as long as the comment;
	// false removes it with the IP address.
	KeepEmail bool
	// TruncateIPs stores IPv4 addresses as their /24 and IPv6 as their /48
	// from the start (see TruncateIP).
	TruncateIPs bool
	// EditWindowMinutes is how long a commenter may edit or delete their
	// own comment. 0: not at all.
	EditWindowMinutes int
	// Contact is the e-mail address the privacy page gives for requests.
	Contact string
	// TextAbove and TextBelow are the administrator's own Markdown around
	// the generated part of the privacy page.
	TextAbove string
	TextBelow string
}

// DefaultPolicy is the policy of a new site.
func DefaultPolicy() Policy {
	return Policy{IPRetentionDays: 30, SpamRetentionDays: 30, KeepEmail: true, EditWindowMinutes: 10}
}

// Limits of the policy's fields.
const (
	MaxRetentionDays  = 36500
	MaxEditWindow     = 7 * 24 * 60
	MaxPrivacyText    = 64 << 10
	maxContactAddress = 254
)

// Validate normalises p and names the first field that is wrong. The field
// names are the settings keys.
func (p *Policy) Validate() error {
	var problems []error
	bad := func(field, format string, args ...any) {
		problems = append(problems, errs.Field(field, format, args...))
	}
	p.Contact = strings.TrimSpace(p.Contact)
	p.TextAbove = strings.TrimSpace(strings.ReplaceAll(p.TextAbove, "\r\n", "\n"))
	p.TextBelow = strings.TrimSpace(strings.ReplaceAll(p.TextBelow, "\r\n", "\n"))
	if p.IPRetentionDays < 0 || p.IPRetentionDays > MaxRetentionDays {
		bad("privacy_ip_retention_days", "IP addresses must be kept between 0 (for as long as the comment) and %d days", MaxRetentionDays)
	}
	if p.SpamRetentionDays < 0 || p.SpamRetentionDays > MaxRetentionDays {
		bad("privacy_spam_retention_days", "spam and trash must be kept between 0 (for ever) and %d days", MaxRetentionDays)
	}
	if p.EditWindowMinutes < 0 || p.EditWindowMinutes > MaxEditWindow {
		bad("privacy_edit_window_minutes", "the edit window must be between 0 (no editing) and %d minutes", MaxEditWindow)
	}
	if p.Contact != "" {
		a, err := mail.ParseAddress(p.Contact)
		if err != nil || a.Address != p.Contact || len(p.Contact) > maxContactAddress {
			bad("privacy_contact", "the privacy contact must be an e-mail address such as privacy@example.org")
		}
	}
	for _, f := range []struct{ key, v string }{{"privacy_text_above", p.TextAbove}, {"privacy_text_below", p.TextBelow}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			bad(f.key, "the privacy page text contains characters that are not text")
		} else if len(f.v) > MaxPrivacyText {
			bad(f.key, "the privacy page text is limited to 64 KiB")
		}
	}
	return errors.Join(problems...)
}

// policyFields lists every stored policy setting.
var policyFields = []site.Field[Policy]{
	site.Int("privacy_ip_retention_days", func(p *Policy) *int { return &p.IPRetentionDays }),
	site.Int("privacy_spam_retention_days", func(p *Policy) *int { return &p.SpamRetentionDays }),
	site.Bool("privacy_keep_email", func(p *Policy) *bool { return &p.KeepEmail }),
	site.Bool("privacy_truncate_ips", func(p *Policy) *bool { return &p.TruncateIPs }),
	site.Int("privacy_edit_window_minutes", func(p *Policy) *int { return &p.EditWindowMinutes }),
	site.String("privacy_contact", func(p *Policy) *string { return &p.Contact }),
	site.String("privacy_text_above", func(p *Policy) *string { return &p.TextAbove }),
	site.String("privacy_text_below", func(p *Policy) *string { return &p.TextBelow }),
}

// LoadPolicy reads the stored policy; what was never saved (or no longer
// parses, or is out of bounds) has its default. It is kept in memory until
// Invalidate: a change saved by another process arrives through the change
// feed, which calls it.
func (s *Service) LoadPolicy(ctx context.Context) (Policy, error) {
	if c := s.policy.Load(); c != nil {
		return *c, nil
	}
	p, err := s.loadPolicy(ctx)
	if err == nil {
		s.policy.Store(&p)
	}
	return p, err
}

func (s *Service) loadPolicy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	keys := make([]any, len(policyFields))
	for i, f := range policyFields {
		keys[i] = f.Key
	}
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM settings WHERE key IN ("+sqldb.Placeholders(1, len(keys))+")", keys...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return DefaultPolicy(), err
		}
		for _, f := range policyFields {
			if f.Key == k {
				f.Set(&p, v)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return DefaultPolicy(), err
	}
	// A value out of bounds (written behind our back) falls back to its
	// default alone: each field is checked on the defaults.
	d := DefaultPolicy()
	for _, f := range policyFields {
		q := d
		f.Set(&q, f.Get(&p))
		if q.Validate() != nil {
			f.Set(&p, f.Get(&d))
		}
	}
	_ = p.Validate() // trims the texts and the contact
	return p, nil
}

// SavePolicy validates p and stores all of it at once.
func (s *Service) SavePolicy(ctx context.Context, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error { return site.SaveFields(ctx, tx, policyFields, &p) })
	s.Invalidate()
	if err == nil && s.Changed != nil {
		s.Changed(ctx)
	}
	return err
}
