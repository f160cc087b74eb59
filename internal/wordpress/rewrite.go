package wordpress

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"marquee/internal/media"
)

// upload is one file of the old site's uploads folder (wp-content/uploads):
// an attachment's file, or a file post bodies show without the export
// listing it as an attachment.
type upload struct {
	rel string // its path in the uploads folder, "2013/01/photo.jpg", as the URL spells it
	url string // where the old site served it; for an attachment, its attachment_url as written
	// files are where to look for it, in order: rel, then for a file only
	// the bodies show in a resized copy, that copy.
	files []fileRef
	// sizes are the copies WordPress made ("2013/01/photo-300x200.jpg", in
	// lower case) with their sizes, and other names of the same file
	// (the original of a "-scaled" image) with 0×0.
	sizes      map[string][2]int
	creator    string // the attachment's dc:creator
	attachment bool
	listed     bool // the document names it (else only an earlier import did)

	existing bool // imported by an earlier run
	prepared *spooled
	media    *media.Media // once stored (or found stored)
}

type fileRef struct{ rel, url string }

// key is how wp_map knows the file.
func (u *upload) key() string { return "upload:" + strings.ToLower(u.rel) }

// target is what a reference to an upload asks for: the upload, and the
// size of the copy it names (0×0 for the file itself).
type target struct {
	u    *upload
	w, h int
}

// matcher recognises references to the old site's uploads in the forms
// WordPress writes: absolute URLs on the site's host (http or https, with
// or without www.) or on the host that served the attachments (a CDN,
// files.wordpress.com, Jetpack's i0.wp.com), site-relative paths, and
// the names of the resized copies.
type matcher struct {
	// bases are the upload folders' paths by host (without www.), their
	// ASCII letters in lower case (lowerASCII), ending in "/"; "" holds
	// those of site-relative references.
	bases map[string][]string
	// site is true for the exported site's own hosts.
	site map[string]bool
	// refs maps a lower-case path under a base to its target.
	refs map[string]target
	// uploads are every upload the matcher knows, in the order met.
	uploads []*upload
	byKey   map[string]*upload
	// scheme and siteHost are the site's, as its address writes them, for
	// site-relative references.
	scheme, siteHost string
}

// uploadsPath is where WordPress keeps uploads under its address.
const uploadsPath = "wp-content/uploads/"

// newMatcher returns a matcher for the uploads of the site at these
// addresses (its base site URL, base blog URL and link).
func newMatcher(addrs ...string) *matcher {
	m := &matcher{bases: map[string][]string{}, site: map[string]bool{}, refs: map[string]target{}, byKey: map[string]*upload{}}
	for _, raw := range addrs {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" {
			continue
		}
		if m.scheme == "" && (u.Scheme == "http" || u.Scheme == "https") {
			m.scheme, m.siteHost = u.Scheme, u.Host
		}
		h := hostOf(u)
		m.site[h] = true
		dir := lowerASCII(strings.TrimRight(u.Path, "/")) + "/"
		m.addBase(h, dir+uploadsPath)
		m.addBase("", dir+uploadsPath)
	}
	m.addBase("", "/"+uploadsPath)
	if m.scheme == "" {
		m.scheme = "https"
	}
	return m
}

func hostOf(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func (m *matcher) addBase(host, base string) {
	base = lowerASCII(base) // under cuts paths at its length
	for _, b := range m.bases[host] {
		if b == base {
			return
		}
	}
	m.bases[host] = append(m.bases[host], base)
	if m.site[host] && host != "" {
		m.addBase("", base)
	}
}

// add records an upload (merging it with a known one of the same file)
// and returns the one kept.
func (m *matcher) add(u *upload) *upload {
	if old := m.byKey[u.key()]; old != nil {
		for k, v := range u.sizes {
			if old.sizes == nil {
				old.sizes = map[string][2]int{}
			}
			old.sizes[k] = v
		}
		old.attachment = old.attachment || u.attachment
		old.listed = old.listed || u.listed
		if old.creator == "" {
			old.creator = u.creator
		}
		u = old
	} else {
		m.byKey[u.key()] = u
		m.uploads = append(m.uploads, u)
	}
	rel := strings.ToLower(u.rel)
	m.refs[rel] = target{u: u}
	if sm := editedRe.FindStringSubmatch(rel); sm != nil {
		if _, taken := m.refs[sm[1]+sm[2]]; !taken {
			m.refs[sm[1]+sm[2]] = target{u: u}
		}
	}
	for k, wh := range u.sizes {
		if _, taken := m.refs[k]; !taken {
			m.refs[k] = target{u: u, w: wh[0], h: wh[1]}
		}
	}
	return u
}

// editedRe is the name of a file WordPress made from a big or rotated
// original ("photo-scaled.jpg"): references to the original mean it.
var editedRe = regexp.MustCompile(`^(.+)-(?:scaled|rotated)(\.[a-z0-9]+)$`)

// resizedRe is the name of a copy WordPress resized: "photo-300x200.jpg".
var resizedRe = regexp.MustCompile(`^(.+)-(\d{1,5})x(\d{1,5})(\.[a-z0-9]+)$`)

// photonRe is Jetpack's image CDN, which serves
// i0.wp.com/example.com/wp-content/uploads/….
var photonRe = regexp.MustCompile(`^i[0-9]\.wp\.com$`)

// ref is a reference to a file under a known uploads folder.
type ref struct {
	host   string // "" for a site-relative reference
	scheme string
	hostAs string // the host as written
	base   string // as written
	rel    string // as written
	w, h   int    // a size asked in the query (files.wordpress.com's ?w=, Photon's ?resize=)
}

// under tells whether raw is a URL under one of the uploads folders.
func (m *matcher) under(raw string) (ref, bool) {
	raw = strings.TrimSpace(raw)
	if len(raw) < 4 || len(raw) > 2048 || !strings.Contains(raw, "/") {
		return ref{}, false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ref{}, false
	}
	r := ref{scheme: strings.ToLower(u.Scheme)}
	switch r.scheme {
	case "", "http", "https":
	default:
		return ref{}, false
	}
	p := u.Path
	if u.Host != "" {
		r.host, r.hostAs = hostOf(u), u.Host
		if photonRe.MatchString(r.host) {
			first, rest, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
			if !ok {
				return ref{}, false
			}
			r.hostAs = first
			r.host = strings.TrimPrefix(strings.ToLower(first), "www.")
			p = "/" + rest
		}
		if _, ok := m.bases[r.host]; !ok {
			return ref{}, false
		}
	} else if r.scheme != "" || !strings.HasPrefix(p, "/") {
		return ref{}, false
	}
	lp := lowerASCII(p) // the same length as p
	for _, b := range m.bases[r.host] {
		if strings.HasPrefix(lp, b) && len(lp) > len(b) {
			r.base, r.rel = p[:len(b)], p[len(b):]
			q := u.Query()
			r.w, _ = strconv.Atoi(q.Get("w"))
			r.h, _ = strconv.Atoi(q.Get("h"))
			for _, k := range []string{"resize", "fit"} {
				if w, h, ok := strings.Cut(q.Get(k), ","); ok {
					r.w, _ = strconv.Atoi(w)
					r.h, _ = strconv.Atoi(h)
				}
			}
			return r, true
		}
	}
	return ref{}, false
}

// match finds the upload raw refers to.
func (m *matcher) match(raw string) (target, bool) {
	r, ok := m.under(raw)
	if !ok {
		return target{}, false
	}
	t, ok := m.lookup(r.rel)
	if ok && t.w == 0 && t.h == 0 {
		t.w, t.h = max(r.w, 0), max(r.h, 0)
	}
	return t, ok
}

func (m *matcher) lookup(rel string) (target, bool) {
	rel = strings.ToLower(rel)
	if t, ok := m.refs[rel]; ok {
		return t, true
	}
	if sm := resizedRe.FindStringSubmatch(rel); sm != nil {
		if t, ok := m.refs[sm[1]+sm[4]]; ok && t.w == 0 && t.h == 0 {
			t.w, _ = strconv.Atoi(sm[2])
			t.h, _ = strconv.Atoi(sm[3])
			return t, true
		}
	}
	return target{}, false
}

// variant chooses the media variant a reference gets: the original for a
// link or the file itself, else the smallest variant at least as large as
// the copy asked for (the original when none is).
func variant(m *media.Media, w, h int, link bool) media.VariantInfo {
	best := m.Size(media.Original)
	if link || (w <= 0 && h <= 0) {
		return best
	}
	for _, v := range m.Variants {
		if v.Width >= w && v.Height >= h && v.Width*v.Height < best.Width*best.Height {
			best = v
		}
	}
	return best
}

// resolve returns the media URL that replaces raw, and the width of the
// variant, when raw refers to an upload stored in the media library.
func (m *matcher) resolve(raw string, link bool) (string, int, bool) {
	t, ok := m.match(raw)
	if !ok || t.u.media == nil {
		return "", 0, false
	}
	v := variant(t.u.media, t.w, t.h, link)
	return t.u.media.URL(v.Name), v.Width, true
}

// rewrite points every reference of body to a stored upload at its media
// URL and says how many it changed. A body with none is returned as it is.
func (m *matcher) rewrite(body string) (string, int) {
	return walkRefs(body, m.resolve)
}

// refFunc is told each URL a body holds (link: in an href) and returns
// its replacement, with the width of the image it names, when it has one.
type refFunc func(raw string, link bool) (string, int, bool)

// commentURLRe finds URLs in HTML comments, where the block editor keeps
// its blocks' attributes ({"url":"https://…/wp-content/uploads/…"}).
var commentURLRe = regexp.MustCompile(`(?:(?:https?:)?//[^\s"'<>()\\]+|/` + uploadsPath + `[^\s"'<>()\\]+)`)

// walkRefs calls fn for every URL of body's tags' attributes (each entry
// of a srcset) and of its comments, and replaces those fn replaces. Only
// changed tags are written anew; every other byte is kept as it was.
func walkRefs(body string, fn refFunc) (string, int) {
	if !strings.Contains(body, "/") {
		return body, 0
	}
	var b strings.Builder
	n := 0
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		raw := z.Raw()
		switch tt {
		case html.ErrorToken:
			if n == 0 {
				return body, 0
			}
			b.Write(raw)
			return b.String(), n
		case html.StartTagToken, html.SelfClosingTagToken:
			if !strings.Contains(string(raw), "/") {
				b.Write(raw)
				continue
			}
			rawCopy := string(raw)
			tok := z.Token()
			changed := false
			for i, a := range tok.Attr {
				if strings.HasSuffix(a.Key, "srcset") {
					if v, k := rewriteSrcset(a.Val, fn); k > 0 {
						tok.Attr[i].Val, changed, n = v, true, n+k
					}
					continue
				}
				if a.Key == "style" {
					if v, k := rewriteCSS(a.Val, fn); k > 0 {
						tok.Attr[i].Val, changed, n = v, true, n+k
					}
					continue
				}
				if v, _, ok := fn(a.Val, a.Key == "href"); ok && v != a.Val {
					tok.Attr[i].Val, changed, n = v, true, n+1
				}
			}
			if changed {
				b.WriteString(tok.String())
			} else {
				b.WriteString(rawCopy)
			}
		case html.CommentToken:
			c := commentURLRe.ReplaceAllStringFunc(string(raw), func(u string) string {
				if v, _, ok := fn(u, false); ok && v != u {
					n++
					return v
				}
				return u
			})
			b.WriteString(c)
		default:
			b.Write(raw)
		}
	}
}

// cssURLRe is a url() of a style attribute: the block editor's cover and
// media-and-text blocks show their images as backgrounds.
var cssURLRe = regexp.MustCompile(`url\(\s*['"]?([^'"()\s]+)['"]?\s*\)`)

// rewriteCSS replaces the url()s of a style attribute fn replaces.
func rewriteCSS(s string, fn refFunc) (string, int) {
	n := 0
	var b strings.Builder
	last := 0
	for _, m := range cssURLRe.FindAllStringSubmatchIndex(s, -1) {
		v, _, ok := fn(s[m[2]:m[3]], false)
		if !ok {
			continue
		}
		b.WriteString(s[last:m[2]])
		b.WriteString(v)
		last = m[3]
		n++
	}
	if n == 0 {
		return s, 0
	}
	b.WriteString(s[last:])
	return b.String(), n
}

// srcsetCandidate is one image of a srcset: its URL and descriptor ("300w").
type srcsetCandidate struct{ url, desc string }

// parseSrcset splits a srcset as browsers do: a URL runs to white space
// (a URL ending in commas ends its candidate), a descriptor to a comma.
func parseSrcset(s string) []srcsetCandidate {
	var out []srcsetCandidate
	for {
		s = strings.TrimLeft(s, " \t\n\r\f,")
		if s == "" {
			return out
		}
		i := strings.IndexAny(s, " \t\n\r\f")
		var u string
		if i < 0 {
			u, s = s, ""
		} else {
			u, s = s[:i], s[i:]
		}
		if strings.HasSuffix(u, ",") {
			out = append(out, srcsetCandidate{url: strings.TrimRight(u, ",")})
			continue
		}
		d := s
		if j := strings.IndexByte(s, ','); j >= 0 {
			d, s = s[:j], s[j+1:]
		} else {
			s = ""
		}
		out = append(out, srcsetCandidate{url: u, desc: strings.Join(strings.Fields(d), " ")})
	}
}

// rewriteSrcset replaces the srcset entries fn replaces, gives each a
// width descriptor that tells the size of the variant it now names, and
// drops entries that became repeats of earlier ones (two WordPress sizes
// may get the same variant).
func rewriteSrcset(s string, fn refFunc) (string, int) {
	cs := parseSrcset(s)
	n := 0
	for i, c := range cs {
		v, w, ok := fn(c.url, false)
		if !ok {
			continue
		}
		cs[i].url = v
		if strings.HasSuffix(c.desc, "w") && w > 0 {
			cs[i].desc = strconv.Itoa(w) + "w"
		}
		n++
	}
	if n == 0 {
		return s, 0
	}
	seenURL, seenDesc := map[string]bool{}, map[string]bool{}
	var parts []string
	for _, c := range cs {
		d := c.desc
		if d == "" {
			d = "1x"
		}
		if seenURL[c.url] || seenDesc[d] {
			continue
		}
		seenURL[c.url], seenDesc[d] = true, true
		parts = append(parts, strings.TrimSpace(c.url+" "+c.desc))
	}
	return strings.Join(parts, ", "), n
}

// attachmentSizes reads the names and sizes of the copies WordPress made
// of an image from its _wp_attachment_metadata (PHP-serialised), and the
// name of the original a "-scaled" image was made from.
func attachmentSizes(meta, rel string) map[string][2]int {
	if !strings.Contains(meta, `"file"`) && !strings.Contains(meta, "original_image") {
		return nil
	}
	dir := path.Dir(rel)
	join := func(name string) string {
		if dir == "." {
			return strings.ToLower(name)
		}
		return strings.ToLower(dir + "/" + name)
	}
	out := map[string][2]int{}
	for _, sm := range metaSizeRe.FindAllStringSubmatch(meta, -1) {
		if strings.Contains(sm[1], "/") {
			continue
		}
		w, _ := strconv.Atoi(sm[2])
		h, _ := strconv.Atoi(sm[3])
		out[join(sm[1])] = [2]int{w, h}
	}
	if sm := metaOriginalRe.FindStringSubmatch(meta); sm != nil && !strings.Contains(sm[1], "/") {
		out[join(sm[1])] = [2]int{}
	}
	return out
}

var (
	metaSizeRe     = regexp.MustCompile(`s:4:"file";s:\d+:"([^"]+)";s:5:"width";i:(\d+);s:6:"height";i:(\d+);`)
	metaOriginalRe = regexp.MustCompile(`s:14:"original_image";s:\d+:"([^"]+)";`)
)
