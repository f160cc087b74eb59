package spam

import (
	"fmt"
	"strings"
	"time"
)

// Signals: evidence outside the text model, each with a fixed log-odds
// weight. A "strong" signal is enough for a Spam verdict by itself; weak
// ones only move the score (and so can send a comment to Unsure).

type hit struct {
	feature string
	weight  float64 // log-odds, positive = spam
	strong  bool
}

// honeypotHit: a filled hidden field is a bot.
func honeypotHit(v string) (hit, bool) {
	if strings.TrimSpace(v) == "" {
		return hit{}, false
	}
	return hit{"honeypot field filled", 8, true}, true
}

// timingHit: humans take more than a few seconds to write a comment. Too
// fast is suspicious but never a verdict on its own (weak).
func timingHit(d time.Duration) (hit, bool) {
	switch {
	case d <= 0 || d >= 5*time.Second:
		return hit{}, false
	case d < 2*time.Second:
		return hit{fmt.Sprintf("submitted %.1fs after page load", d.Seconds()), 2, false}, true
	default:
		return hit{fmt.Sprintf("submitted %.1fs after page load", d.Seconds()), 1, false}, true
	}
}

// postAgeHit: spam bots favour old posts; humans mostly comment on new ones.
func postAgeHit(age time.Duration) (hit, bool) {
	const year = 365 * 24 * time.Hour
	if age < year {
		return hit{}, false
	}
	return hit{fmt.Sprintf("post is %d years old", int(age/year)), 0.5, false}, true
}

// blockWeight is the log-odds of an administrator's block-list match: it
// decides on its own.
const blockWeight = 10

// lists holds the administrator's block lists and the trusted domains.
type lists struct {
	words   []string        // lower-case words or phrases
	blocked map[string]bool // domains (match the host or any parent)
	trusted map[string]bool
}

// DefaultTrustedDomains are documentation and code hosts that technical
// commenters link to; a link there counts slightly towards ham.
var DefaultTrustedDomains = []string{
	"github.com", "gitlab.com", "codeberg.org", "stackoverflow.com", "stackexchange.com",
	"go.dev", "golang.org", "python.org", "mozilla.org", "wikipedia.org", "rfc-editor.org",
	"ietf.org", "w3.org", "kernel.org", "rust-lang.org", "docs.rs", "pypi.org", "npmjs.com",
	"postgresql.org", "sqlite.org", "nodejs.org", "man7.org", "apache.org", "debian.org",
}

// trustedWeight offsets the strong "contains a link" evidence learned from
// the public sets, where ham almost never links anywhere.
const trustedWeight = 4.5

// shorteners hide the real target of a link.
var shorteners = map[string]bool{
	"bit.ly": true, "goo.gl": true, "tinyurl.com": true, "t.co": true, "ow.ly": true,
	"is.gd": true, "buff.ly": true, "adf.ly": true, "linkbucks.com": true, "shorte.st": true,
	"cutt.ly": true, "rebrand.ly": true, "tiny.cc": true, "bc.vc": true, "j.mp": true,
}

func domainSet(ds []string) map[string]bool {
	m := make(map[string]bool, len(ds))
	for _, d := range ds {
		d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" {
			m[d] = true
		}
	}
	return m
}

// inSet reports whether host or one of its parent domains is in set.
func inSet(set map[string]bool, host string) bool {
	for host != "" {
		if set[host] {
			return true
		}
		i := strings.IndexByte(host, '.')
		if i < 0 {
			return false
		}
		host = host[i+1:]
	}
	return false
}

// linkHits weighs the links in the content: blocked domains (strong),
// shorteners and many links (weak), trusted documentation hosts (towards ham).
func linkHits(links []link, l *lists, out []hit) []hit {
	trusted := 0
	for i, k := range links {
		dupe := false
		for _, p := range links[:i] {
			if p.host == k.host {
				dupe = true
			}
		}
		if dupe {
			continue
		}
		switch {
		case inSet(l.blocked, k.host):
			out = append(out, hit{"link to blocked domain " + k.domain, blockWeight, true})
		case shorteners[k.host] || shorteners[k.domain]:
			out = append(out, hit{"link shortener " + k.host, 1.5, false})
		case inSet(l.trusted, k.host) && trusted < 1:
			trusted++
			out = append(out, hit{"link to " + k.domain + " (trusted)", -trustedWeight, false})
		}
	}
	if n := len(links); n >= 3 {
		w := float64(n-2) * 0.75
		if w > 3 {
			w = 3
		}
		out = append(out, hit{fmt.Sprintf("%d links", n), w, false})
	}
	return out
}

// authorURLHits weighs the author's website field: a blocked domain is
// strong; the same domain also linked in the text is the classic SEO
// pattern.
func authorURLHits(url string, links []link, l *lists, out []hit) []hit {
	if url == "" {
		return out
	}
	k, ok := parseLink(strings.ToLower(strings.TrimSpace(url)), true)
	if !ok {
		return out
	}
	if inSet(l.blocked, k.host) {
		return append(out, hit{"author URL on blocked domain " + k.domain, blockWeight, true})
	}
	for _, c := range links {
		if c.domain == k.domain && !inSet(l.trusted, k.host) {
			return append(out, hit{"author URL " + k.domain + " also linked in text", 1.5, false})
		}
	}
	if w := matchBlockWord(k.host, l.words); w != "" {
		return append(out, hit{fmt.Sprintf("author URL contains blocked word %q", w), blockWeight, true})
	}
	return out
}

// historyHits weighs what the caller knows about the sender.
func historyHits(h History, out []hit) []hit {
	if h.ApprovedByEmail > 0 && h.SpamByEmail == 0 {
		n := min(h.ApprovedByEmail, 5)
		out = append(out, hit{fmt.Sprintf("%d earlier comments approved", h.ApprovedByEmail), -1 - 0.5*float64(n), false})
	}
	if h.SpamByEmail > 0 {
		n := min(h.SpamByEmail, 4)
		out = append(out, hit{fmt.Sprintf("%d earlier spam from this e-mail", h.SpamByEmail), 2.5 * float64(n), h.SpamByEmail >= 2})
	}
	if h.SpamByIP > 0 {
		n := min(h.SpamByIP, 6)
		out = append(out, hit{fmt.Sprintf("%d earlier spam from this IP", h.SpamByIP), 0.75 * float64(n), h.SpamByIP >= 3})
	}
	return out
}

// blockWordHits: a blocked word or phrase (whole words, case-insensitive)
// in the content, author name or e-mail.
func blockWordHits(low []byte, s *Sample, l *lists, out []hit) []hit {
	if len(l.words) == 0 {
		return out
	}
	if w := matchBlockWord(string(low), l.words); w != "" {
		return append(out, hit{fmt.Sprintf("blocked word %q", w), blockWeight, true})
	}
	if w := matchBlockWord(strings.ToLower(s.Author+" "+s.Email), l.words); w != "" {
		return append(out, hit{fmt.Sprintf("blocked word %q in author", w), blockWeight, true})
	}
	return out
}

// matchBlockWord returns the first of words found in text (lower case) at
// word boundaries, or "".
func matchBlockWord(text string, words []string) string {
	for _, w := range words {
		for off := 0; ; {
			i := strings.Index(text[off:], w)
			if i < 0 {
				break
			}
			i += off
			j := i + len(w)
			if (i == 0 || !isAlnumByte(text[i-1])) && (j == len(text) || !isAlnumByte(text[j])) {
				return w
			}
			off = i + 1
		}
	}
	return ""
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}

// dupHit: content close to something already marked spam.
func dupHit(sim float64) (hit, bool) {
	if sim < dupThreshold {
		return hit{}, false
	}
	w := 3 + 4*(sim-dupThreshold)/(1-dupThreshold)
	return hit{fmt.Sprintf("near-duplicate of known spam (%.0f%% similar)", sim*100), w, true}, true
}

// dupThreshold is the estimated Jaccard similarity (of character
// 5-shingles) above which content counts as a near-duplicate.
const dupThreshold = 0.6
