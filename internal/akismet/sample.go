package akismet

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/spam"
)

// sampleOf builds the filter's sample from Akismet's fields.
//
// Used: comment_author, comment_author_email, comment_author_url,
// comment_content, user_ip, user_agent (else HTTP_USER_AGENT), referrer
// (else HTTP_REFERER), permalink, comment_date_gmt and
// comment_post_modified_gmt (the post's age; the comment's date defaults to
// now), the honeypot (honeypot_field_name names the field, sent as itself
// or as POST_<name>), the time from page load to submit from WordPress's
// POST_ak_js (the page's load time in milliseconds), and blog_lang when it
// names one language. Accepted and not used, for the sample has no place
// for them: comment_type, comment_parent, comment_context[],
// recheck_reason and the other POST_*/HTTP_* fields.
func sampleOf(f url.Values, now time.Time) spam.Sample {
	s := spam.Sample{
		Author:    f.Get("comment_author"),
		Email:     strings.TrimSpace(f.Get("comment_author_email")),
		URL:       strings.TrimSpace(f.Get("comment_author_url")),
		Content:   f.Get("comment_content"),
		IP:        strings.TrimSpace(f.Get("user_ip")),
		UserAgent: first(f, "user_agent", "HTTP_USER_AGENT"),
		Referrer:  first(f, "referrer", "HTTP_REFERER"),
		Permalink: f.Get("permalink"),
	}
	at := now
	if t, ok := parseTime(f.Get("comment_date_gmt")); ok {
		at = t
	}
	if t, ok := parseTime(f.Get("comment_post_modified_gmt")); ok && at.After(t) {
		s.PostAge = at.Sub(t)
	}
	if name := strings.TrimSpace(f.Get("honeypot_field_name")); name != "" {
		s.Honeypot = first(f, name, "POST_"+name)
	}
	if ms, err := strconv.ParseInt(strings.TrimSpace(f.Get("POST_ak_js")), 10, 64); err == nil && ms > 0 {
		if d := now.Sub(time.UnixMilli(ms)); d > 0 && d < 24*time.Hour {
			s.SubmitDelay = d
		}
	}
	if lang := strings.TrimSpace(f.Get("blog_lang")); lang != "" && !strings.Contains(lang, ",") {
		s.Lang = strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	}
	return s
}

// first is the first non-empty of the named fields.
func first(f url.Values, names ...string) string {
	for _, n := range names {
		if v := f.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// parseTime reads the date formats clients send: ISO 8601 / RFC 3339 (with
// or without zone; GMT when none) and WordPress's "2006-01-02 15:04:05".
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0).UTC(), true // a Unix time
	}
	return time.Time{}, false
}
