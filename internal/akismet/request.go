package akismet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"

	"marquee/internal/errs"
)

// call is one authenticated request: its decoded fields and its key.
type call struct {
	form url.Values
	key  *Key
	raw  string // the key as the client sent it, lower-cased
	now  time.Time
}

// begin reads the request's fields, finds its key and applies the key's
// rate limit. On any failure it has answered, and returns nil.
func (h *Handler) begin(w http.ResponseWriter, r *http.Request) *call {
	form, status, help := h.readForm(w, r)
	if help != "" {
		h.invalid(w, status, help)
		return nil
	}
	raw, from := keyOf(form, r)
	if raw == "" {
		h.invalid(w, http.StatusOK, `Empty "api_key" value: send your key as the api_key field (or key, for verify-key), `+
			`as ?api_key= in the URL, or as the first label of the host name (KEY.`+hostOnly(r.Host)+`).`)
		return nil
	}
	key, ok := NormalizeKey(raw)
	if !ok {
		h.invalid(w, http.StatusOK, "The "+from+" is not an API key: keys are lower-case letters and digits (12 of them for keys made by marquee akismet add-key).")
		return nil
	}
	k, err := h.Keys.Lookup(r.Context(), key)
	switch {
	case errs.Is(err, errs.NotFound):
		h.invalid(w, http.StatusOK, "Invalid API key (from the "+from+"): no such key on this server. Make one with: marquee akismet add-key -blog URL")
		return nil
	case err != nil:
		h.fail(w, r, err)
		return nil
	case k.Revoked():
		h.invalid(w, http.StatusOK, "This API key (from the "+from+") was revoked on "+k.RevokedAt.UTC().Format("2006-01-02")+"; ask the server's operator for a new one.")
		return nil
	}
	now := h.Now()
	if ok, wait := h.limit.Allow(strconv.FormatInt(k.ID, 10)); !ok {
		h.tooMany(w, wait)
		return nil
	}
	return &call{form: form, key: k, raw: key, now: now}
}

// readForm reads the body (at most Config.MaxBody), merges it with the
// query string and decodes both from the declared charset to UTF-8. A
// failure comes back as a status and a debug message.
func (h *Handler) readForm(w http.ResponseWriter, r *http.Request) (url.Values, int, string) {
	max := h.Config.MaxBody
	tooLarge := fmt.Sprintf("The request body is larger than this server accepts (%d bytes).", max)
	if r.ContentLength > max {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, http.StatusRequestEntityTooLarge, tooLarge
		}
		return nil, http.StatusBadRequest, "The request body could not be read: " + err.Error()
	}
	form := url.Values{}
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	if len(bytes.TrimSpace(b)) > 0 {
		switch mt {
		case "", "application/x-www-form-urlencoded", "text/plain":
			form, err = url.ParseQuery(string(b))
			if err != nil {
				return nil, http.StatusOK, "The body is not valid application/x-www-form-urlencoded data: " + err.Error() + "."
			}
		case "multipart/form-data":
			mf, err := multipart.NewReader(bytes.NewReader(b), params["boundary"]).ReadForm(max)
			if err != nil {
				return nil, http.StatusOK, "The body is not valid multipart/form-data: " + err.Error() + "."
			}
			defer mf.RemoveAll()
			form = mf.Value
		default:
			return nil, http.StatusOK, "The body is " + mt + "; send the fields as application/x-www-form-urlencoded."
		}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, http.StatusOK, "The query string is not valid: " + err.Error() + "."
	}
	for k, vs := range q {
		form[k] = append(form[k], vs...)
	}
	charset := form.Get("blog_charset")
	if charset == "" {
		charset = params["charset"]
	}
	return decodeForm(form, charset), 0, ""
}

// decodeForm converts every name and value from charset to UTF-8. Text
// declared (or assumed) to be UTF-8 that is not valid UTF-8 is read as
// windows-1252, which is what such text almost always is; an unknown
// charset is treated the same way.
func decodeForm(f url.Values, charset string) url.Values {
	var enc encoding.Encoding
	if charset = strings.TrimSpace(charset); charset != "" {
		if e, err := htmlindex.Get(charset); err == nil {
			if name, _ := htmlindex.Name(e); name != "utf-8" {
				enc = e
			}
		}
	}
	conv := func(s string) string {
		if enc == nil {
			if utf8.ValidString(s) {
				return s
			}
			return decodeWith(charmap.Windows1252, s)
		}
		return decodeWith(enc, s)
	}
	out := make(url.Values, len(f))
	for k, vs := range f {
		dk := conv(k)
		for _, v := range vs {
			out[dk] = append(out[dk], conv(v))
		}
	}
	return out
}

func decodeWith(e encoding.Encoding, s string) string {
	if isASCII(s) {
		return s
	}
	d, err := e.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return d
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// keyOf finds the key in every place clients put it: the api_key field, the
// key field (verify-key), the query string (already in form), or the
// leftmost label of the host name (KEY.rest.example.org), which many
// clients use for every call but verify-key. from says where it was.
func keyOf(form url.Values, r *http.Request) (key, from string) {
	for _, name := range []string{"api_key", "key"} {
		if v := strings.TrimSpace(form.Get(name)); v != "" {
			return v, name + " field"
		}
	}
	host := hostOnly(r.Host)
	if label, rest, ok := strings.Cut(host, "."); ok && rest != "" && isHostKey(label) {
		return label, "host name"
	}
	return "", ""
}

// isHostKey reports whether a host label has the form of our keys, so that
// the first label of an ordinary host name (www, blog, rest) is not taken
// for one.
func isHostKey(label string) bool {
	if len(label) != KeyLen {
		return false
	}
	for _, c := range []byte(strings.ToLower(label)) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// hostOnly is the host name of a Host header, without the port.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// siteOf is the site that key-sites lists for a blog URL: its host name,
// lower-cased, or the value itself when it is no URL.
func siteOf(blog string) string {
	blog = strings.TrimSpace(blog)
	u, err := url.Parse(blog)
	if err == nil && u.Host != "" {
		blog = u.Hostname()
	} else if u, err := url.Parse("http://" + blog); err == nil && u.Host != "" && !strings.ContainsAny(blog, " ") {
		blog = u.Hostname()
	}
	blog = strings.ToLower(blog)
	if len(blog) > 255 {
		blog = strings.ToValidUTF8(blog[:255], "")
	}
	return blog
}
