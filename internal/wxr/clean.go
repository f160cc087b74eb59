package wxr

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Real exports are not always well-formed XML text, and WordPress's
// importer copes (its last-resort parser is a regular expression), so this
// file makes the input readable before the XML decoder sees it:
//
//   - a UTF-16 document (a file saved as "Unicode" in a Windows editor) is
//     transcoded to UTF-8, recognised by its byte order mark;
//   - a document declaring another encoding is decoded from it;
//   - in a UTF-8 document, a byte that is not valid UTF-8 is read as
//     windows-1252, the usual cause being Latin-1 text pasted into a UTF-8
//     database, so that "Caf\xe9" reads "Café" instead of failing the file.
//     A document declaring ISO-8859-1 or windows-1252 (old blogs whose
//     blog_charset was not UTF-8) is read the same way, because
//     WordPress wrote its CDATA sections in UTF-8 all the same;
//   - control characters XML forbids (pasted from word processors: a
//     vertical tab for a manual line break, a stray NUL or escape) are
//     dropped, a vertical tab or form feed becoming a space;
//   - output printed before the XML declaration (a PHP warning, a
//     plugin's stray markup) is dropped.
//
// None of this adds or removes a newline, so the line numbers in errors
// are the file's own.

// sniffLen is how much of the document is examined for a byte order mark,
// junk before the XML declaration and the declaration's encoding.
const sniffLen = 8 << 10

// input is the document as the decoder reads it: cleaned, once its start
// has been examined on the first Read.
type input struct {
	raw        io.Reader
	r          io.Reader
	transcoded bool
}

func (in *input) Read(p []byte) (int, error) {
	if in.r == nil {
		in.r, in.transcoded = newCleanReader(in.raw)
	}
	return in.r.Read(p)
}

// charsetReader is the decoder's CharsetReader: it decodes a document that
// declared a non-UTF-8 encoding, then drops the control characters XML
// forbids. A document transcoded from UTF-16 is UTF-8 already, whatever
// its declaration says.
func (in *input) charsetReader(label string, r io.Reader) (io.Reader, error) {
	if in.transcoded && isUTF16(label) || isUTF8(label) || isLatin1(label) {
		return r, nil // cleaned into UTF-8 already
	}
	if isUTF16(label) {
		return nil, &unsupportedEncoding{label + " without a byte order mark"}
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, &unsupportedEncoding{label}
	}
	return &cleanReader{r: transform.NewReader(r, e.NewDecoder())}, nil
}

// newCleanReader returns r made readable as described above, and whether
// the document was transcoded from UTF-16 (its declaration, which still
// says UTF-16, must then be ignored).
func newCleanReader(r io.Reader) (out io.Reader, transcoded bool) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	var rest io.Reader
	switch err {
	case nil:
		rest = r
	case io.EOF, io.ErrUnexpectedEOF:
		rest = bytes.NewReader(nil)
	default: // reported after the bytes before it, so that its line is known
		rest = failing{err}
	}
	var nl []byte
	if junk := leadingJunk(head); junk > 0 {
		// Keep the junk's newlines, so that lines keep their numbers.
		nl = bytes.Repeat([]byte{'\n'}, bytes.Count(head[:junk], []byte{'\n'}))
		head = head[junk:]
	}
	r = io.MultiReader(bytes.NewReader(nl), bytes.NewReader(head), rest)
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		r = transform.NewReader(r, unicode.BOMOverride(transform.Nop))
		return &cleanReader{r: r, repair: true}, true
	}
	if label := declaredEncoding(head); label != "" && !isUTF8(label) && !isLatin1(label) {
		// Decoded by charsetReader once the decoder has read the
		// declaration; the bytes before it are ASCII.
		return r, false
	}
	// UTF-8, or Latin-1 read as UTF-8 with windows-1252 for what is not:
	// WordPress's exporter writes CDATA sections in UTF-8 (wxr_cdata
	// converts text that is not) under the blog's declared charset, so an
	// ISO-8859-1 export mixes both.
	return &cleanReader{r: r, repair: true}, false
}

// isLatin1 reports whether label names ISO-8859-1, windows-1252 or ASCII,
// which the web's encoding index all takes as windows-1252.
func isLatin1(label string) bool {
	e, err := htmlindex.Get(label)
	return err == nil && e == charmap.Windows1252
}

// leadingJunk returns the length of what comes before the XML declaration
// when that is more than space: output a plugin or PHP printed before the
// export ("<b>Warning</b>: Cannot modify header information…"), which
// WordPress's importer gets past. A declaration can only come first, so
// whatever precedes it is not the document.
func leadingJunk(head []byte) int {
	if len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
		return 0 // UTF-16: its declaration does not read as ASCII
	}
	i := bytes.Index(head, []byte("<?xml"))
	if i <= 0 || bytes.Contains(head[:i], []byte("<rss")) { // a declaration-less document quoting one
		return 0
	}
	if len(bytes.TrimLeft(bytes.TrimPrefix(head[:i], []byte("\xef\xbb\xbf")), " \t\r\n")) == 0 {
		return 0
	}
	return i
}

// declaredEncoding returns the encoding named by the XML declaration at the
// start of head, if any.
func declaredEncoding(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(head[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	rest = rest[1:]
	if j := strings.IndexByte(rest, q); j >= 0 {
		return strings.TrimSpace(rest[:j])
	}
	return ""
}

func isUTF8(label string) bool {
	e, err := htmlindex.Get(label)
	return err == nil && e == unicode.UTF8
}

func isUTF16(label string) bool {
	e, err := htmlindex.Get(label)
	if err != nil {
		return strings.HasPrefix(strings.ToLower(label), "utf-16")
	}
	return e == unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM) || e == unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

type unsupportedEncoding struct{ label string }

func (e *unsupportedEncoding) Error() string {
	return "the document's encoding " + e.label + " is not supported; convert the file to UTF-8"
}

// cleanReader drops the control characters XML forbids from UTF-8 text
// and, when repair is set, reads bytes that are not valid UTF-8 as
// windows-1252.
type cleanReader struct {
	r      io.Reader
	repair bool
	buf    []byte
	in     []byte // read but not yet cleaned: an incomplete rune at the end
	out    []byte // cleaned, not yet returned (may alias buf)
	eof    bool
	err    error
}

func (c *cleanReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.eof {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

func (c *cleanReader) fill() {
	if c.buf == nil {
		c.buf = make([]byte, 32<<10)
	}
	k := copy(c.buf, c.in)
	n, err := c.r.Read(c.buf[k:])
	src := c.buf[:k+n]
	if err != nil {
		c.eof, c.err = true, err
	}
	c.in = c.in[:0]
	if c.clean(src) {
		return
	}
	// Keep an incomplete multi-byte sequence for the next read.
	cut := len(src)
	if !c.eof && c.repair {
		for i := len(src) - 1; i >= 0 && i >= len(src)-utf8.UTFMax; i-- {
			if utf8.RuneStart(src[i]) {
				if src[i] >= utf8.RuneSelf && !utf8.FullRune(src[i:]) {
					cut = i
				}
				break
			}
		}
	}
	c.in = append(c.in, src[cut:]...)
	c.out = c.cleanBytes(src[:cut])
}

// clean reports whether src needs nothing done, in which case it becomes
// the output as it is.
func (c *cleanReader) clean(src []byte) bool {
	for _, b := range src {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return false
		}
	}
	if c.repair && !utf8.Valid(src) {
		return false
	}
	if bytes.Contains(src, []byte("\xef\xbf\xbe")) || bytes.Contains(src, []byte("\xef\xbf\xbf")) {
		return false
	}
	c.out = src
	return true
}

func (c *cleanReader) cleanBytes(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(src)/8)
	for i := 0; i < len(src); {
		b := src[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '\v' || b == '\f':
				out = append(out, ' ')
			case b < 0x20 && b != '\t' && b != '\n' && b != '\r':
				// dropped
			default:
				out = append(out, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if c.repair {
				out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b))
			} else {
				out = append(out, b)
			}
		case r == 0xFFFE || r == 0xFFFF:
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = append(out, src[i:i+size]...)
		}
		i += size
	}
	return out
}
