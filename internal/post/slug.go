package post

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Slugify turns a title into a URL segment: lower case, accents removed from
// Latin letters, other scripts (Greek, Cyrillic, CJK) kept as letters, every
// run of anything else one hyphen.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent: é → e
		case r == '\'' || r == '’':
			continue // "don't" → dont
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
		if b.Len() >= MaxSlug-10 {
			break
		}
	}
	return norm.NFC.String(b.String())
}

// ValidSlug reports whether s is a well-formed slug as Slugify makes them.
func ValidSlug(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > MaxSlug || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r == '-' || unicode.IsDigit(r) || (unicode.IsLetter(r) && !unicode.IsUpper(r))) {
			return false
		}
	}
	return true
}

// Path is the address of a post or page on the public site: /{slug}/.
// Everything that links to a post (pages, feeds, mail, the API, exports,
// redirects) builds the address here.
func Path(slug string) string { return "/" + url.PathEscape(slug) + "/" }

// CommentFeedPath is the address of a post's comment feed.
func CommentFeedPath(slug string) string { return "/comments/feed/" + url.PathEscape(slug) + "/" }
