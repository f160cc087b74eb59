// Package comment owns readers' replies: their validation, the moderation
// rules that decide where a new comment goes, threads, and their SQL.
package comment

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"marquee/internal/errs"
	"marquee/internal/site"
	"marquee/internal/spam"
)

// Status is where a comment is in moderation.
type Status string

const (
	Pending  Status = "pending"
	Approved Status = "approved"
	Spam     Status = "spam"
	Trash    Status = "trash"
)

// ParseStatus validates a status name.
func ParseStatus(s string) (Status, error) {
	switch st := Status(s); st {
	case Pending, Approved, Spam, Trash:
		return st, nil
	}
	return "", errs.Field("status", "status must be pending, approved, spam or trash")
}

// Comment is one reply under a post or page.
type Comment struct {
	ID          int64
	PostID      int64
	ParentID    int64 // 0 at top level
	Type        string
	Author      string
	Email       string
	URL         string
	Content     string // as written
	ContentHTML string // rendered and sanitised at save time
	IP          string
	UserAgent   string
	Referrer    string
	Status      Status
	UserID      int64 // set when a logged-in writer replied (author badge)
	SpamScore   float64
	HasScore    bool
	SpamReasons string
	Notify      bool // e-mail the commenter about replies
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ModeratedAt time.Time

	// Filled when a thread is built for display.
	Depth    int
	Children []*Comment
}

// Limits on what a comment's fields may hold.
const (
	MaxAuthor    = 100
	MaxEmail     = 254
	MaxURL       = 500
	MaxUserAgent = 500
	MaxReferrer  = 1000
)

// Draft is a new comment as submitted, before the rules decide its status.
type Draft struct {
	PostID    int64
	ParentID  int64
	Author    string
	Email     string
	URL       string
	Content   string
	IP        string
	UserAgent string
	Referrer  string
	UserID    int64
	Notify    bool
}

// Validate normalises d and checks each field against the site's rules,
// naming the first one that is wrong in words a commenter understands.
func (d *Draft) Validate(rules site.CommentRules) error {
	d.Author = strings.TrimSpace(d.Author)
	d.Email = strings.ToLower(strings.TrimSpace(d.Email))
	d.URL = strings.TrimSpace(d.URL)
	d.Content = strings.TrimSpace(strings.ReplaceAll(d.Content, "\r\n", "\n"))
	d.UserAgent = truncate(d.UserAgent, MaxUserAgent)
	d.Referrer = truncate(d.Referrer, MaxReferrer)
	for _, f := range []struct{ name, v string }{{"author", d.Author}, {"email", d.Email}, {"url", d.URL}, {"comment", d.Content}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			return errs.Field(f.name, "The %s contains characters that are not text.", label(f.name))
		}
	}
	if d.Content == "" {
		return errs.Field("comment", "Please type a comment.")
	}
	if n := utf8.RuneCountInString(d.Content); n > rules.MaxLength {
		return errs.Field("comment", "Your comment is %d characters long; the limit is %d. Please shorten it.", n, rules.MaxLength)
	}
	if d.UserID == 0 && rules.RequireNameEmail {
		if d.Author == "" {
			return errs.Field("author", "Please give your name.")
		}
		if d.Email == "" {
			return errs.Field("email", "Please give your e-mail address (it is never shown).")
		}
	}
	if utf8.RuneCountInString(d.Author) > MaxAuthor {
		return errs.Field("author", "Your name is longer than %d characters.", MaxAuthor)
	}
	if d.Email != "" {
		a, err := mail.ParseAddress(d.Email)
		if len(d.Email) > MaxEmail || err != nil || a.Address != d.Email {
			return errs.Field("email", "“%s” is not a valid e-mail address.", truncate(d.Email, 60))
		}
	}
	if d.URL != "" {
		if !strings.Contains(d.URL, "://") {
			d.URL = "https://" + d.URL
		}
		u, err := url.Parse(d.URL)
		if len(d.URL) > MaxURL || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(d.URL, " <>\"'") {
			return errs.Field("url", "The website must be an address starting with http:// or https://.")
		}
	}
	return nil
}

func label(field string) string {
	switch field {
	case "author":
		return "name"
	case "email":
		return "e-mail address"
	case "url":
		return "website"
	}
	return field
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Verdict is where the moderation rules send a new comment, and why.
type Verdict struct {
	Status  Status
	Reason  string
	Discard bool // blatant spam: drop it when the site says so
}

// Decide applies the site's moderation rules in WordPress's order, with the
// spam filter's verdict (nil when there is none) where Akismet sits:
// disallowed words send a comment to the trash; spam to the spam folder;
// holding every comment, too many links, moderation words, a first-time
// commenter and an unsure filter hold it; anything else is approved.
// Writers who can moderate are always approved.
func Decide(rules site.CommentRules, d *Draft, links int, previouslyApproved, moderator bool, filter *spam.Result) Verdict {
	if moderator {
		return Verdict{Status: Approved, Reason: "written by a moderator"}
	}
	fields := []string{d.Content, d.Author, d.Email, d.URL, d.IP, d.UserAgent}
	if w := matchWord(site.Words(rules.DisallowedWords), fields); w != "" {
		return Verdict{Status: Trash, Reason: "contains the disallowed word “" + w + "”"}
	}
	if filter != nil && filter.IsSpam() {
		return Verdict{Status: Spam, Reason: "the spam filter is confident this is spam", Discard: filter.Verdict == spam.Discard}
	}
	if rules.HoldAll {
		return Verdict{Status: Pending, Reason: "every comment is held for moderation"}
	}
	if links > rules.MaxLinks {
		return Verdict{Status: Pending, Reason: "more links than the limit"}
	}
	if w := matchWord(site.Words(rules.ModerationWords), fields); w != "" {
		return Verdict{Status: Pending, Reason: "contains the moderation word “" + w + "”"}
	}
	if rules.HoldFirstTime && !previouslyApproved {
		return Verdict{Status: Pending, Reason: "first comment from this name and e-mail address"}
	}
	if filter != nil && filter.Verdict == spam.Unsure {
		return Verdict{Status: Pending, Reason: "the spam filter is unsure"}
	}
	return Verdict{Status: Approved}
}

// FormatReasons is how a filter's reasons are stored with a comment: one
// "feature (weight)" line each.
func FormatReasons(rs []spam.Reason) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s (%+.2f)\n", r.Feature, r.Weight)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func matchWord(words, fields []string) string {
	for _, w := range words {
		for _, f := range fields {
			if f != "" && strings.Contains(strings.ToLower(f), w) {
				return w
			}
		}
	}
	return ""
}

// CountLinks counts the links in rendered comment HTML.
func CountLinks(html string) int { return strings.Count(html, "<a ") }
