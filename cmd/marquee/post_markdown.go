package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"marquee/internal/post"
)

// A post file is Markdown that may start with front matter between two
// "---" lines, as Hugo and Jekyll write them. Only the keys below are
// read; the parser is strict (an unknown key, a repeated one or a value it
// cannot read is an error naming the line), so that nothing in a file is
// silently ignored.

// frontMatterKeys are the keys a post file may set, in the order
// `post show` writes them.
var frontMatterKeys = []string{"title", "slug", "type", "status", "date", "tags", "excerpt", "draft"}

// postFile is what a post file says: its body and the fields its front
// matter sets (nil: not said).
type postFile struct {
	name    string // for messages: the file name, or "standard input"
	Title   *string
	Slug    *string
	Excerpt *string
	Type    *post.Type
	Status  *post.Status
	Draft   *bool
	Date    *string   // as written; read by parseDate in the site's zone
	Tags    *[]string // names; empty: no tags
	Body    string
	// Empty: the file holds nothing at all, not even front matter.
	Empty bool
	lines map[string]int // the line each key is on
}

// errAt is an error about line n of the file.
func (f *postFile) errAt(n int, format string, args ...any) error {
	return fmt.Errorf("%s line %d: %s", f.name, n, fmt.Sprintf(format, args...))
}

// parsePostFile reads a post file. CRLF line ends and a byte-order mark are
// accepted; the body loses its leading blank lines and trailing line ends,
// which Markdown ignores.
func parsePostFile(name string, src []byte) (*postFile, error) {
	f := &postFile{name: name, lines: map[string]int{}}
	s := strings.TrimPrefix(string(src), "\uFEFF")
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return nil, fmt.Errorf("%s is not UTF-8 text (it contains invalid bytes or a NUL)", name)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	f.Empty = strings.TrimSpace(s) == ""
	lines := strings.Split(s, "\n")
	first := strings.TrimRight(lines[0], " \t")
	switch first {
	case "+++":
		return nil, f.errAt(1, "TOML front matter (+++) is not supported; put the fields between --- lines")
	case "---":
		end := -1
		for i := 1; i < len(lines); i++ {
			if l := strings.TrimRight(lines[i], " \t"); l == "---" || l == "..." {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, f.errAt(1, "the front matter has no closing --- line")
		}
		if err := f.parseFrontMatter(lines[1:end]); err != nil {
			return nil, err
		}
		lines = lines[end+1:]
	}
	f.Body = trimBody(strings.Join(lines, "\n"))
	return f, nil
}

// trimBody drops leading blank lines and trailing white space.
func trimBody(s string) string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// parseFrontMatter reads the lines between the --- lines; the first is
// line 2 of the file.
func (f *postFile) parseFrontMatter(lines []string) error {
	blank := func(l string) bool {
		t := strings.TrimSpace(l)
		return t == "" || strings.HasPrefix(t, "#")
	}
	for i := 0; i < len(lines); i++ {
		n := i + 2
		line := strings.TrimRight(lines[i], " \t")
		if blank(line) {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || line[0] == '-' {
			return f.errAt(n, "unexpected indented line or list item (only tags may be a list, right after \"tags:\")")
		}
		key, val, ok := strings.Cut(line, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || key == "" || strings.ContainsAny(key, " \t\"'[]{}") {
			return f.errAt(n, "expected \"key: value\", found %q", line)
		}
		val = strings.TrimSpace(val)
		if prev, dup := f.lines[key]; dup {
			return f.errAt(n, "%s is given twice (first on line %d)", key, prev)
		}
		f.lines[key] = n
		switch key {
		case "title", "slug", "excerpt", "date", "type", "status", "draft":
			v, err := scalar(val)
			if err != nil {
				return f.errAt(n, "%s: %v", key, err)
			}
			if err := f.set(n, key, v); err != nil {
				return err
			}
		case "tags":
			var tags []string
			if val == "" {
				// A block list may follow: "- name" lines.
				for i+1 < len(lines) {
					j := i + 1
					for j < len(lines) && blank(lines[j]) {
						j++
					}
					if j == len(lines) {
						break
					}
					t := strings.TrimSpace(lines[j])
					if t != "-" && !strings.HasPrefix(t, "- ") {
						break
					}
					v, err := scalar(strings.TrimSpace(t[1:]))
					if err != nil {
						return f.errAt(j+2, "tags: %v", err)
					}
					if v != "" {
						tags = append(tags, v)
					}
					i = j
				}
			} else {
				var err error
				if tags, err = tagList(val); err != nil {
					return f.errAt(n, "tags: %v", err)
				}
			}
			if tags == nil {
				tags = []string{}
			}
			f.Tags = &tags
		default:
			return f.errAt(n, "unknown front-matter key %q (known: %s)", key, strings.Join(frontMatterKeys, ", "))
		}
	}
	if f.Draft != nil && f.Status != nil && *f.Draft != (*f.Status == post.Draft) {
		return f.errAt(f.lines["draft"], "draft: %t contradicts status: %s on line %d", *f.Draft, *f.Status, f.lines["status"])
	}
	return nil
}

// set stores the value of a one-value key, checking it.
func (f *postFile) set(n int, key, v string) error {
	switch key {
	case "title":
		f.Title = &v
	case "slug":
		f.Slug = &v
	case "excerpt":
		f.Excerpt = &v
	case "date":
		if _, err := parseDate(v, time.UTC); err != nil {
			return f.errAt(n, "%v", err)
		}
		f.Date = &v
	case "type":
		t, err := parseType(v)
		if err != nil {
			return f.errAt(n, "%v", err)
		}
		f.Type = &t
	case "status":
		s, err := parseStatus(v)
		if err != nil {
			return f.errAt(n, "%v", err)
		}
		f.Status = &s
	case "draft":
		b, ok := map[string]bool{"true": true, "false": false}[strings.ToLower(v)]
		if !ok {
			return f.errAt(n, "draft must be true or false, not %q", v)
		}
		f.Draft = &b
	}
	return nil
}

// status is the status the front matter asks for, if any: status:, else
// draft: true (a draft) or draft: false (published, as Hugo reads it).
func (f *postFile) status() (post.Status, bool) {
	switch {
	case f.Status != nil:
		return *f.Status, true
	case f.Draft != nil && *f.Draft:
		return post.Draft, true
	case f.Draft != nil:
		return post.Published, true
	}
	return "", false
}

// parseType reads a type as post.ParseType does, naming a wrong value.
func parseType(v string) (post.Type, error) {
	t, err := post.ParseType(v)
	if err != nil {
		return "", fmt.Errorf("%v, not %q", err, v)
	}
	return t, nil
}

// parseStatus reads a status as post.ParseStatus does, naming a wrong
// value. Its message lists draft first, as -status's help does, where
// post's lists published first.
func parseStatus(v string) (post.Status, error) {
	s, err := post.ParseStatus(v)
	if err != nil {
		return "", fmt.Errorf("status must be draft, published, scheduled or private, not %q", v)
	}
	return s, nil
}

// dateLayouts are the dates a post file or -at may give. Those without a
// zone are read in the site's time zone.
var dateLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339, true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true}, // Jekyll's
	{"2006-01-02 15:04 -0700", true},
	{"2006-01-02", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02T15:04:05", false},
}

// parseDate reads a date in one of dateLayouts; the result is in UTC.
func parseDate(v string, loc *time.Location) (time.Time, error) {
	for _, l := range dateLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, v)
		} else {
			t, err = time.ParseInLocation(l.layout, v, loc)
		}
		if y := t.UTC().Year(); err == nil && y >= 1 && y <= 9999 {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write 2025-03-01T09:30:00+01:00 (RFC 3339), 2025-03-01 or 2025-03-01 09:30", v)
}

// scalar reads a value: "double-quoted" (with backslash escapes),
// 'single-quoted' (a doubled quote is one) or plain, taken as written up
// to a " #" comment, as YAML reads it.
func scalar(v string) (string, error) {
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return uncomment(v), nil
	}
	s, rest, err := quoted(v)
	if err != nil {
		return "", err
	}
	if rest = strings.TrimSpace(rest); rest != "" && !strings.HasPrefix(rest, "#") {
		return "", fmt.Errorf("unexpected %q after the closing quote", rest)
	}
	return s, nil
}

// uncomment cuts a plain value at a comment: "#" at its start or after
// white space.
func uncomment(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] == '#' && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}

// quoted reads the quoted string at the start of v and returns it and what
// follows it.
func quoted(v string) (s, rest string, err error) {
	q := v[0]
	for i := 1; i < len(v); i++ {
		switch {
		case q == '"' && v[i] == '\\':
			i++
		case v[i] == q && q == '\'' && i+1 < len(v) && v[i+1] == '\'':
			i++
		case v[i] == q:
			if q == '\'' {
				return strings.ReplaceAll(v[1:i], "''", "'"), v[i+1:], nil
			}
			s, err := strconv.Unquote(v[:i+1])
			if err != nil {
				return "", "", fmt.Errorf("%s is not a valid quoted string (check its backslashes)", v[:i+1])
			}
			return s, v[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("the quote opened in %s is not closed", v)
}

// tagList reads "[a, b]" or "a, b"; items may be quoted (to hold a comma).
func tagList(v string) ([]string, error) {
	if strings.HasPrefix(v, "[") {
		end := strings.LastIndexByte(v, ']')
		if end < 0 {
			return nil, fmt.Errorf("the list %s has no closing ]", v)
		}
		if rest := strings.TrimSpace(v[end+1:]); rest != "" && !strings.HasPrefix(rest, "#") {
			return nil, fmt.Errorf("unexpected %q after the list", rest)
		}
		v = v[1:end]
	}
	var tags []string
	for v = strings.TrimSpace(v); v != ""; {
		var item string
		if v[0] == '"' || v[0] == '\'' {
			s, rest, err := quoted(v)
			if err != nil {
				return nil, err
			}
			if rest = strings.TrimSpace(rest); strings.HasPrefix(rest, "#") {
				rest = "" // a comment
			}
			if rest != "" && rest[0] != ',' {
				return nil, fmt.Errorf("expected a comma after %s", v[:len(v)-len(rest)])
			}
			item, v = s, strings.TrimPrefix(rest, ",")
		} else {
			item, v, _ = strings.Cut(v, ",")
			if c := uncomment(item); c != item {
				item, v = c, "" // the rest of the line is a comment
			}
			if item = strings.TrimSpace(item); strings.ContainsAny(item, "[]{}") {
				return nil, fmt.Errorf("unexpected bracket in %q (nested lists are not supported; quote the tag)", item)
			}
		}
		if item != "" {
			tags = append(tags, item)
		}
		v = strings.TrimSpace(v)
	}
	return tags, nil
}

// headingTitle finds the first level-one "# Heading" line outside code
// blocks: the title, and the body without that line.
func headingTitle(body string) (title, rest string, ok bool) {
	lines := strings.SplitAfter(body, "\n")
	var fence byte
	var fenceLen int
	for i, l := range lines {
		t := strings.TrimRight(l, "\n")
		s := strings.TrimLeft(t, " ")
		if len(t)-len(s) >= 4 || strings.HasPrefix(s, "\t") {
			continue // indented: code, or inside a list item
		}
		if fence != 0 {
			n := len(s) - len(strings.TrimLeft(s, string(fence)))
			if n >= fenceLen && strings.TrimSpace(s[n:]) == "" {
				fence = 0
			}
			continue
		}
		if strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~") {
			fence = s[0]
			fenceLen = len(s) - len(strings.TrimLeft(s, string(fence)))
			continue
		}
		if !strings.HasPrefix(s, "# ") && !strings.HasPrefix(s, "#\t") {
			continue
		}
		h := strings.TrimSpace(s[1:])
		// An optional closing run of #s, after a space, is not part of it.
		if c := strings.TrimRight(h, "#"); c != h && (c == "" || strings.HasSuffix(c, " ") || strings.HasSuffix(c, "\t")) {
			h = strings.TrimSpace(c)
		}
		if h == "" {
			continue
		}
		return h, trimBody(strings.Join(lines[:i], "") + strings.Join(lines[i+1:], "")), true
	}
	return "", body, false
}

// formatPostFile writes p as a post file that create and update read
// back to the same post. Dates are in the site's zone.
func formatPostFile(p *post.Post, loc *time.Location, now time.Time) string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlString(p.Title))
	fmt.Fprintf(&b, "slug: %s\n", yamlString(p.Slug))
	fmt.Fprintf(&b, "type: %s\n", p.Type)
	fmt.Fprintf(&b, "status: %s\n", p.EffectiveStatus(now))
	if !p.PublishedAt.IsZero() {
		fmt.Fprintf(&b, "date: %s\n", p.PublishedAt.In(loc).Format(time.RFC3339))
	}
	tags := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		tags[i] = yamlString(t.Name)
		if strings.ContainsAny(tags[i], ",[]{}") && tags[i][0] != '"' { // what tagList splits or refuses
			tags[i] = strconv.Quote(t.Name)
		}
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))
	if p.Excerpt != "" {
		fmt.Fprintf(&b, "excerpt: %s\n", yamlString(p.Excerpt))
	}
	if p.Format == post.HTML {
		b.WriteString("# The body is HTML (imported from WordPress); post update keeps it HTML.\n")
	}
	if p.Password != "" {
		b.WriteString("# The post is password protected; post update keeps the password (change it in the admin).\n")
	}
	b.WriteString("---\n\n")
	if body := trimBody(p.Body); body != "" {
		b.WriteString(body)
		b.WriteString("\n")
	}
	return b.String()
}

// yamlString writes s plain when YAML and scalar both read it back as the
// same string, and double-quoted otherwise.
func yamlString(s string) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`0123456789.+") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~":
		return strconv.Quote(s)
	}
	return s
}
