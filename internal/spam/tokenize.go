package spam

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature namespaces (the first byte hashed with every feature).
const (
	kWord   byte = 'w' // a word of the content
	kBigram byte = 'b' // two consecutive words
	kChar   byte = 'c' // character n-gram inside a word
	kShape  byte = 's' // digit shape of a word that contains digits
	kDomain byte = 'd' // registrable domain of a link in the content
	kHost   byte = 'h' // full host name of a link
	kPath   byte = 'p' // a word in the path of a link
	kMeta   byte = 'm' // global property (length, capitals, links, phone ...)
	kAuthor byte = 'a' // a word of the author's name
	kEmail  byte = 'e' // domain of the e-mail field
	kURLF   byte = 'u' // domain of the author's URL field
)

// tokOpts selects feature families (kept switchable for ablation).
type tokOpts struct {
	CharMin, CharMax int  // character n-gram sizes inside words; 0 = none
	Bigrams          bool // word bigrams
	// Relative feature values by family (words, shapes and the author URL
	// have value 1). The document vector is then L2-normalised.
	WChar, WBigram, WAuthor, WMeta, WLink float32
	Author                                bool // author-name words
	Meta                                  bool // global shape features
	PathWords                             bool // words in link paths
}

var defaultTokOpts = tokOpts{CharMin: 3, CharMax: 5, Bigrams: true, Author: true, Meta: true, PathWords: true,
	WChar: 0.35, WBigram: 0.7, WAuthor: 0.5, WMeta: 2, WLink: 1}

func (o *tokOpts) weight(kind byte) float32 {
	switch kind {
	case kChar:
		return o.WChar
	case kBigram:
		return o.WBigram
	case kAuthor:
		return o.WAuthor
	case kMeta:
		return o.WMeta
	case kDomain, kHost, kPath:
		return o.WLink
	}
	return 1
}

// feature is one hashed feature occurrence; lab points at a human-readable
// label (the word, domain ... it came from) or is -1.
type feature struct {
	h   uint32
	lab int32
	v   float32
}

// label is a human-readable description of a group of features, used for
// Result.Reasons. Its text lives in tokens.arena.
type label struct {
	kind       byte
	start, end int32
}

// link is a URL or bare domain found in the content.
type link struct {
	host, domain string
}

// tokens is the (reusable) output of tokenize.
type tokens struct {
	low    []byte
	feats  []feature
	labels []label
	arena  []byte
	offs   []int
	gram   []byte
	wordH  []uint32 // hashes of the content words, for coverage
	links  []link
	phones int
	norm2  float32 // sum of squared feature values
	// scratch used by Filter.Check
	contrib []float32
	hits    []hit
	norm    []byte
	opts    *tokOpts
	prevW   uint32
	hasW    bool
}

func (t *tokens) reset() {
	t.low = t.low[:0]
	t.feats = t.feats[:0]
	t.labels = t.labels[:0]
	t.arena = t.arena[:0]
	t.wordH = t.wordH[:0]
	t.links = t.links[:0]
	t.phones = 0
	t.norm2 = 0
	t.hasW = false
}

func (t *tokens) addLabel(kind byte, text []byte) int32 {
	s := int32(len(t.arena))
	t.arena = append(t.arena, text...)
	t.labels = append(t.labels, label{kind, s, int32(len(t.arena))})
	return int32(len(t.labels) - 1)
}

func (t *tokens) addLabelString(kind byte, text string) int32 {
	s := int32(len(t.arena))
	t.arena = append(t.arena, text...)
	t.labels = append(t.labels, label{kind, s, int32(len(t.arena))})
	return int32(len(t.labels) - 1)
}

func (t *tokens) labelText(i int32) string {
	l := t.labels[i]
	return string(t.arena[l.start:l.end])
}

// describe renders label i for a Reason.
func (t *tokens) describe(i int32) string {
	l := t.labels[i]
	s := string(t.arena[l.start:l.end])
	switch l.kind {
	case kWord:
		return "word " + strconv.Quote(s)
	case kBigram:
		return "words " + strconv.Quote(s)
	case kShape:
		return "number like " + strconv.Quote(s)
	case kDomain:
		return "link to " + s
	case kAuthor:
		return "author name " + strconv.Quote(s)
	case kEmail:
		return "e-mail domain " + s
	case kURLF:
		return "author URL " + s
	}
	return s
}

func (t *tokens) add(kind byte, h uint32, lab int32) {
	v := t.opts.weight(kind)
	t.norm2 += v * v
	t.feats = append(t.feats, feature{h, lab, v})
}

// scale is the factor that L2-normalises the feature vector.
func (t *tokens) scale() float32 {
	if t.norm2 == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(t.norm2)))
}

func (t *tokens) meta(name string, lab int32) {
	t.add(kMeta, hashString(kMeta, name), lab)
}

// lowerInto appends a case-folded, lightly normalised copy of s to dst:
// typographic quotes become ASCII, no-break and zero-width spaces are
// dropped or turned into spaces.
func lowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch r {
		case '\u2018', '\u2019', '\u02bc', '\u00b4':
			dst = append(dst, '\'')
			continue
		case '\u201c', '\u201d':
			dst = append(dst, '"')
			continue
		case '\u00a0', '\u2007', '\u202f', '\u3000':
			dst = append(dst, ' ')
			continue
		case '\u200b', '\u200c', '\u200d', '\ufeff', utf8.RuneError:
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// tokenize turns a sample into hashed features.
func (t *tokens) tokenize(s *Sample, o *tokOpts) {
	t.reset()
	t.opts = o
	t.low = lowerInto(t.low, s.Content)
	low := t.low
	// Split on white space; each chunk is a link, an address or words.
	for i := 0; i < len(low); {
		if isSpaceByte(low[i]) {
			i++
			continue
		}
		j := i
		for j < len(low) && !isSpaceByte(low[j]) {
			j++
		}
		// Unicode white space (rare) is handled inside the word splitter.
		t.chunk(low[i:j], o)
		i = j
	}
	t.countPhones(low)
	if o.Meta {
		t.metaFeatures(s.Content, o)
	}
	if o.Author && s.Author != "" {
		t.author(s.Author)
	}
	if s.Email != "" {
		if at := strings.LastIndexByte(s.Email, '@'); at >= 0 {
			d := strings.ToLower(strings.TrimSpace(s.Email[at+1:]))
			if d != "" {
				lab := t.addLabelString(kEmail, d)
				t.add(kEmail, hashString(kEmail, d), lab)
			}
		}
	}
	if s.URL != "" {
		if l, ok := parseLink(strings.ToLower(strings.TrimSpace(s.URL)), true); ok {
			lab := t.addLabelString(kURLF, l.domain)
			t.add(kURLF, hashString(kURLF, l.domain), lab)
			t.meta("author URL given", t.addLabelString(kMeta, "author URL given"))
		}
	}
}

const leadPunct = "([{<\"'*`"
const trailPunct = ".,!?;:)]}>\"'*`"

func (t *tokens) chunk(c []byte, o *tokOpts) {
	// Trim punctuation around links/addresses only; words handle their own.
	a, b := 0, len(c)
	for a < b && strings.IndexByte(leadPunct, c[a]) >= 0 {
		a++
	}
	for b > a && strings.IndexByte(trailPunct, c[b-1]) >= 0 {
		b--
	}
	core := c[a:b]
	if len(core) > 4 && (hasPrefix(core, "http://") || hasPrefix(core, "https://") || hasPrefix(core, "www.")) {
		if l, ok := parseLink(string(core), true); ok {
			t.addLink(l, core, o)
			t.hasW = false
			return
		}
	}
	if at := indexByte(core, '@'); at > 0 && at < len(core)-3 {
		host := core[at+1:]
		if isHostName(host) && hasDot(host) {
			d := registrable(string(host))
			lab := t.addLabelString(kDomain, d)
			t.add(kDomain, hashString(kDomain, d), lab)
			t.meta("e-mail address in text", t.addLabelString(kMeta, "e-mail address in text"))
			t.hasW = false
			return
		}
	}
	if hasDot(core) {
		if l, ok := parseLink(string(core), false); ok {
			t.addLink(l, core, o)
			t.hasW = false
			return
		}
	}
	t.words(c, o)
}

func (t *tokens) addLink(l link, raw []byte, o *tokOpts) {
	t.links = append(t.links, l)
	lab := t.addLabelString(kDomain, l.domain)
	t.add(kDomain, hashString(kDomain, l.domain), lab)
	if l.host != l.domain {
		t.add(kHost, hashString(kHost, l.host), lab)
	}
	if !o.PathWords {
		return
	}
	// Words of the path and query ("watch", "v", "library" ...).
	p := indexByte(raw, '/')
	if hasPrefix(raw, "http") {
		if k := indexString(raw, "://"); k >= 0 {
			p = indexByte(raw[k+3:], '/')
			if p >= 0 {
				p += k + 3
			}
		}
	}
	if p < 0 {
		return
	}
	path := raw[p:]
	n := 0
	for i := 0; i < len(path) && n < 8; {
		if !isAlpha(path[i]) {
			i++
			continue
		}
		j := i
		for j < len(path) && isAlpha(path[j]) {
			j++
		}
		if j-i >= 2 && j-i <= 20 {
			t.add(kPath, hashBytes(kPath, path[i:j]), lab)
			n++
		}
		i = j
	}
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' }

// words splits a chunk into words and emits word, shape, bigram and
// character n-gram features.
func (t *tokens) words(c []byte, o *tokOpts) {
	for i := 0; i < len(c); {
		r, n := utf8.DecodeRune(c[i:])
		if !isWordRune(r) {
			if r != '\'' && r != '-' {
				t.hasW = false // sentence punctuation breaks bigrams
			}
			i += n
			continue
		}
		j := i + n
		for j < len(c) {
			r2, n2 := utf8.DecodeRune(c[j:])
			if isWordRune(r2) {
				j += n2
				continue
			}
			// keep an apostrophe between letters: don't, it's
			if r2 == '\'' && j+1 < len(c) {
				r3, n3 := utf8.DecodeRune(c[j+1:])
				if unicode.IsLetter(r3) {
					j += 1 + n3
					continue
				}
			}
			break
		}
		t.word(c[i:j], o)
		i = j
	}
}

func (t *tokens) word(w []byte, o *tokOpts) {
	if len(w) > 64 {
		w = w[:64]
	}
	lab := t.addLabel(kWord, w)
	h := hashBytes(kWord, w)
	t.add(kWord, h, lab)
	hasDigit, hasLetter := false, false
	for _, ch := range w {
		if '0' <= ch && ch <= '9' {
			hasDigit = true
		} else {
			hasLetter = true
		}
	}
	if hasLetter && len(w) >= 2 {
		t.wordH = append(t.wordH, h)
	}
	if o.Bigrams {
		if t.hasW {
			t.add(kBigram, hashPair(kBigram, t.prevW, h), -1)
		}
		t.prevW, t.hasW = h, true
	}
	// shape: digits become 0, so phone numbers and codes generalise
	g := append(t.gram[:0], '<')
	for _, ch := range w {
		if '0' <= ch && ch <= '9' {
			ch = '0'
		}
		g = append(g, ch)
	}
	g = append(g, '>')
	t.gram = g
	if hasDigit {
		slab := t.addLabel(kShape, g[1:len(g)-1])
		t.add(kShape, hashBytes(kShape, g[1:len(g)-1]), slab)
	}
	if o.CharMax == 0 {
		return
	}
	offs := t.offs[:0]
	for i := range string(g) {
		offs = append(offs, i)
		if len(offs) > 26 {
			break
		}
	}
	offs = append(offs, len(g))
	t.offs = offs
	nr := len(offs) - 1
	if nr <= o.CharMin { // the word with its markers is as short as an n-gram: the word feature covers it
		return
	}
	for n := o.CharMin; n <= o.CharMax && n < nr; n++ {
		for k := 0; k+n <= nr; k++ {
			t.add(kChar, hashBytes(kChar, g[offs[k]:offs[k+n]]), lab)
		}
	}
}

func (t *tokens) author(a string) {
	start := len(t.arena)
	t.arena = lowerInto(t.arena, a)
	name := t.arena[start:]
	n := 0
	for i := 0; i < len(name) && n < 6; {
		r, sz := utf8.DecodeRune(name[i:])
		if !isWordRune(r) {
			i += sz
			continue
		}
		j := i + sz
		for j < len(name) {
			r2, n2 := utf8.DecodeRune(name[j:])
			if !isWordRune(r2) {
				break
			}
			j += n2
		}
		t.labels = append(t.labels, label{kAuthor, int32(start + i), int32(start + j)})
		t.add(kAuthor, hashBytes(kAuthor, name[i:j]), int32(len(t.labels)-1))
		n++
		i = j
	}
}

// countPhones counts runs of 9-15 digits, allowing separators, that look
// like phone numbers.
func (t *tokens) countPhones(low []byte) {
	digits, seps := 0, 0
	flush := func() {
		if digits >= 9 && digits <= 15 {
			t.phones++
		}
		digits, seps = 0, 0
	}
	for i := 0; i < len(low); i++ {
		c := low[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
			seps = 0
		case digits > 0 && (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+') && seps < 2:
			seps++
		case digits == 0 && (c == '+' || c == '('):
		default:
			flush()
		}
	}
	flush()
}

var lenNames = [...]string{"length 0", "length 1", "length 2-3", "length 4-7", "length 8-15", "length 16-31",
	"length 32-63", "length 64-127", "length 128-255", "length 256-511", "length 512+"}

func (t *tokens) metaFeatures(content string, o *tokOpts) {
	letters, upper, excl, quest, runes, codeP := 0, 0, 0, 0, 0, 0
	backtick := false
	money, emoji, nonLatin := false, false, false
	prev := rune(0)
	for _, r := range content {
		runes++
		switch {
		case r == '!':
			excl++
		case r == '?':
			quest++
		case r == '`':
			backtick = true
		case r == '{' || r == '}' || r == ';' || r == '(' || r == ')' || r == '=' || r == '[' || r == ']' || r == '\\' || r == '$' || r == '_' || r == '<' || r == '>':
			codeP++
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
			if r > 0x24f && !nonLatin {
				nonLatin = true
			}
		case r >= 0x1f000 || (r >= 0x2600 && r <= 0x27bf):
			emoji = true
		case '0' <= r && r <= '9' && (prev == '£' || prev == '$' || prev == '€'):
			money = true
		}
		prev = r
	}
	l := bits.Len(uint(runes))
	if l >= len(lenNames) {
		l = len(lenNames) - 1
	}
	t.metaLab(lenNames[l])
	if letters >= 6 {
		switch {
		case upper*10 >= letters*7:
			t.metaLab("mostly capitals")
		case upper*10 >= letters*3:
			t.metaLab("many capitals")
		}
	}
	switch {
	case excl >= 3:
		t.metaLab("3+ exclamation marks")
	case excl > 0:
		t.metaLab("exclamation mark")
	}
	if quest > 0 {
		t.metaLab("question mark")
	}
	if money {
		t.metaLab("money amount")
	}
	if backtick {
		t.metaLab("code markup")
	}
	if codeP >= 3 && codeP*20 >= runes {
		t.metaLab("code-like punctuation")
	}
	if emoji {
		t.metaLab("emoji")
	}
	if nonLatin {
		t.metaLab("non-Latin script")
	}
	if t.phones > 0 {
		t.metaLab("phone number")
	}
	switch n := len(t.links); {
	case n == 1:
		t.metaLab("contains a link")
	case n == 2:
		t.metaLab("contains 2 links")
	case n >= 3:
		t.metaLab("contains 3+ links")
	}
}

func (t *tokens) metaLab(name string) {
	t.meta(name, t.addLabelString(kMeta, name))
}

// --- links -----------------------------------------------------------------

// A small set of top-level domains recognised in bare host names ("bit.ly",
// "example.com"). Links with a scheme or "www." accept any TLD.
var bareTLDs = map[string]bool{
	"com": true, "net": true, "org": true, "info": true, "biz": true, "io": true, "co": true,
	"me": true, "tv": true, "ly": true, "gl": true, "us": true, "uk": true, "de": true,
	"ru": true, "cn": true, "in": true, "br": true, "fr": true, "es": true, "it": true,
	"nl": true, "pl": true, "xyz": true, "top": true, "site": true, "online": true,
	"club": true, "shop": true, "store": true, "app": true, "dev": true, "ac": true,
	"be": true, "to": true, "cc": true, "ws": true, "su": true, "ua": true, "au": true,
	"ca": true, "eu": true, "win": true, "bet": true, "casino": true, "live": true,
	"pro": true, "vip": true, "link": true, "click": true, "fm": true, "gg": true,
}

var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "ac": true, "gov": true, "edu": true, "ne": true, "or": true}

// parseLink extracts host and registrable domain from a URL or bare host
// (already lower case). explicit says the text had a scheme or "www.".
func parseLink(s string, explicit bool) (link, bool) {
	for _, p := range [...]string{"https://", "http://", "//"} {
		if strings.HasPrefix(s, p) {
			s = s[len(p):]
			explicit = true
			break
		}
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 { // user@host
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 { // port
		s = s[:i]
	}
	s = strings.TrimRight(s, ".")
	if !isHostName([]byte(s)) || strings.IndexByte(s, '.') < 0 {
		return link{}, false
	}
	host := strings.TrimPrefix(s, "www.")
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if len(tld) < 2 || !isLetters(tld) {
		return link{}, false
	}
	if !explicit && !bareTLDs[tld] {
		return link{}, false
	}
	return link{host: host, domain: registrable(host)}, true
}

// registrable returns the last two labels of host, or three when the second
// to last is a generic second level under a country code (example.co.uk).
func registrable(host string) string {
	i := strings.LastIndexByte(host, '.')
	if i <= 0 {
		return host
	}
	j := strings.LastIndexByte(host[:i], '.')
	if j < 0 {
		return host
	}
	if len(host)-i-1 == 2 && secondLevel[host[j+1:i]] {
		if k := strings.LastIndexByte(host[:j], '.'); k >= 0 {
			return host[k+1:]
		}
		return host
	}
	return host[j+1:]
}

func isHostName(b []byte) bool {
	if len(b) == 0 || len(b) > 253 {
		return false
	}
	prevDot := true
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
			prevDot = false
		case c == '.':
			if prevDot {
				return false
			}
			prevDot = true
		default:
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
func hasDot(b []byte) bool              { return indexByte(b, '.') >= 0 }
func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
func indexString(b []byte, s string) int { return strings.Index(string(b), s) }
