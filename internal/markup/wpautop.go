package markup

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// This file ports wpautop from WordPress's wp-includes/formatting.php, since
// classic WordPress bodies are stored without <p> tags and rely on it to
// look as they did. RE2 has no look-behind or back-references; the two
// places that used them are written out by hand.

const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	moreRe = regexp.MustCompile(`<!--more(?:.*?)?-->|<!--noteaser-->`)

	autopBrBr        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	autopBlockOpen   = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	autopBlockClose  = regexp.MustCompile(`(</` + allBlocks + `>)`)
	autopHr          = regexp.MustCompile(`(<hr\s*?/?>)`)
	autopOptionOpen  = regexp.MustCompile(`\s*<option`)
	autopOptionClose = regexp.MustCompile(`</option>\s*`)
	autopObjectOpen  = regexp.MustCompile(`(<object[^>]*>)\s*`)
	autopObjectClose = regexp.MustCompile(`\s*</object>`)
	autopParamEmbed  = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	autopMediaOpen   = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	autopMediaClose  = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	autopSourceTrack = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	autopFigcapOpen  = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	autopFigcapClose = regexp.MustCompile(`</figcaption>\s*`)
	autopManyNL      = regexp.MustCompile(`\n\n+`)
	autopSplit       = regexp.MustCompile(`\n\s*\n`)
	autopEmptyP      = regexp.MustCompile(`<p>\s*</p>`)
	autopUnclosedP   = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	autopWrappedBlk  = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	autopWrappedLi   = regexp.MustCompile(`<p>(<li.+?)</p>`)
	autopPBlockquote = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	autopPBeforeBlk  = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	autopBlkBeforeP  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	autopPreserve    = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script.*?</script>`),
		regexp.MustCompile(`(?s)<style.*?</style>`),
		regexp.MustCompile(`(?s)<svg.*?</svg>`),
		regexp.MustCompile(`(?s)<math.*?</math>`),
	}
	autopBrAfterBlk  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	autopBrBeforeBlk = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	autopLastP       = regexp.MustCompile(`\n</p>(\n?)$`)
)

const (
	wpnl         = " <!-- wpnl --> "
	wpPreserveNL = "<WPPreserveNewline />"
)

// wpautop wraps double-newline-separated text in <p> and turns the
// remaining newlines into <br />, leaving <pre> and block tags alone.
func wpautop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n" // pad the end

	// <pre> is not touched: swap each one for a placeholder.
	var preTags []string
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 { // malformed HTML
				b.WriteString(part)
				continue
			}
			b.WriteString(part[:start])
			b.WriteString(prePlaceholder(len(preTags)))
			preTags = append(preTags, rawCode(part[start:])+"</pre>")
		}
		b.WriteString(last)
		text = b.String()
	}

	text = autopBrBr.ReplaceAllString(text, "\n\n")
	text = autopBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = autopBlockClose.ReplaceAllString(text, "$1\n\n")
	text = autopHr.ReplaceAllString(text, "$1\n\n")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = replaceInTags(text, "\n", wpnl)

	if strings.Contains(text, "<option") {
		text = autopOptionOpen.ReplaceAllString(text, "<option")
		text = autopOptionClose.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = autopObjectOpen.ReplaceAllString(text, "$1")
		text = autopObjectClose.ReplaceAllString(text, "</object>")
		text = autopParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = autopMediaOpen.ReplaceAllString(text, "$1")
		text = autopMediaClose.ReplaceAllString(text, "$1")
		text = autopSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = autopFigcapOpen.ReplaceAllString(text, "$1")
		text = autopFigcapClose.ReplaceAllString(text, "</figcaption>")
	}

	text = autopManyNL.ReplaceAllString(text, "\n\n")

	var b strings.Builder
	for _, para := range autopSplit.Split(text, -1) {
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(para, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = autopEmptyP.ReplaceAllString(text, "")
	text = autopUnclosedP.ReplaceAllString(text, "<p>$1</p></$2>")
	text = autopWrappedBlk.ReplaceAllString(text, "$1")
	text = autopWrappedLi.ReplaceAllString(text, "$1")
	text = autopPBlockquote.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = autopPBeforeBlk.ReplaceAllString(text, "$1")
	text = autopBlkBeforeP.ReplaceAllString(text, "$1")

	// Line breaks, except inside elements whose newlines matter.
	for _, re := range autopPreserve {
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			return strings.ReplaceAll(m, "\n", wpPreserveNL)
		})
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "<br>", "<br />"), "<br/>", "<br />")
	text = newlinesToBr(text)
	text = strings.ReplaceAll(text, wpPreserveNL, "\n")

	text = autopBrAfterBlk.ReplaceAllString(text, "$1")
	text = autopBrBeforeBlk.ReplaceAllString(text, "$1")
	text = autopLastP.ReplaceAllString(text, "</p>$1")

	for i, pre := range preTags {
		text = strings.Replace(text, prePlaceholder(i), pre, 1)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.ReplaceAll(text, wpnl, "\n")
		text = strings.ReplaceAll(text, "<!-- wpnl -->", "\n")
	}
	return text
}

func prePlaceholder(i int) string { return "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>" }

var (
	preLangAttr    = regexp.MustCompile(`(?i)^<pre\s(?:[^>]*\s)?lang\s*=`)
	preEscapedAttr = regexp.MustCompile(`(?i)\sescaped\s*=\s*["']?(?:true|1)`)
)

// rawCode escapes the content of a <pre lang="…"> (from its start tag to
// before its end tag): that is the markup of the WP-Syntax plugin, common
// on code blogs, whose content is raw source code ("List<String>") that
// the plugin escaped when it showed it, unless the tag says
// escaped="true". Read as HTML, such code loses every "<…>" to the
// sanitiser.
func rawCode(pre string) string {
	end := strings.IndexByte(pre, '>')
	if end < 0 || !preLangAttr.MatchString(pre[:end+1]) || preEscapedAttr.MatchString(pre[:end+1]) {
		return pre
	}
	code := pre[end+1:]
	if !strings.ContainsAny(code, "<>&") {
		return pre
	}
	return pre[:end+1] + html.EscapeString(code)
}

// newlinesToBr is preg_replace('|(?<!<br />)\s*\n|', "<br />\n"): each run
// of whitespace ending in a newline, not preceded by <br />, becomes one.
func newlinesToBr(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for i := 0; i < len(s); {
		if !isPCRESpace(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := i
		for end < len(s) && isPCRESpace(s[end]) {
			end++
		}
		lastNL := strings.LastIndexByte(s[i:end], '\n')
		if lastNL < 0 { // no newline in the run: nothing here can match
			b.WriteString(s[i:end])
			i = end
			continue
		}
		if strings.HasSuffix(s[:i], "<br />") { // the look-behind fails here; retry one byte on
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString("<br />\n")
		i += lastNL + 1
	}
	return b.String()
}

func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// replaceInTags is wp_replace_in_html_tags for one pair: it replaces old
// with new only inside tags and comments, split as wp_html_split does.
func replaceInTags(s, old, new string) string {
	if !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+lt])
		start := i + lt
		end := tagEnd(s, start)
		b.WriteString(strings.ReplaceAll(s[start:end], old, new))
		i = end
	}
	return b.String()
}

// tagEnd returns the end of the tag, comment or CDATA section at s[start],
// or len(s) when it is unterminated.
func tagEnd(s string, start int) int {
	rest := s[start:]
	var close string
	var from int
	switch {
	case strings.HasPrefix(rest, "<!--"):
		close, from = "-->", 2
	case strings.HasPrefix(rest, "<![CDATA["):
		close, from = "]]>", 9
	default:
		close, from = ">", 1
	}
	if j := strings.Index(rest[from:], close); j >= 0 {
		return start + from + j + len(close)
	}
	return len(s)
}
