package akismet

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"marquee/internal/errs"
)

// Header names exactly as Akismet spells them on the wire (net/http would
// canonicalise them to X-Akismet-…; HTTP does not care, some clients'
// header maps do).
const (
	hdrDebugHelp = "X-akismet-debug-help"
	hdrProTip    = "X-akismet-pro-tip"
)

// Bodies.
const (
	bodyThanks = "Thanks for making the web a better place."
	bodyValid  = "valid"
	bodyTrue   = "true"
	bodyFalse  = "false"
	bodyNot    = "invalid"
)

func setHeader(w http.ResponseWriter, name, value string) {
	w.Header()[name] = []string{value}
}

// text writes a text/plain answer.
func (h *Handler) text(w http.ResponseWriter, status int, body string) {
	hd := w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// invalid answers "invalid" with status and the reason in
// X-akismet-debug-help.
func (h *Handler) invalid(w http.ResponseWriter, status int, help string) {
	setHeader(w, hdrDebugHelp, headerSafe(help))
	h.text(w, status, bodyNot)
}

// json writes v as JSON.
func (h *Handler) json(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// fail answers an error of ours (not the client's): 503 while the database
// is unavailable, else 500, with "invalid" and a debug header either way.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errs.Is(err, errs.Unavailable) {
		w.Header().Set("Retry-After", "5")
		h.invalid(w, http.StatusServiceUnavailable, "The server's database is unavailable; please try again in a moment.")
		return
	}
	h.Log.Error("akismet: request failed", "path", r.URL.Path, "err", err)
	h.invalid(w, http.StatusInternalServerError, "Something went wrong on the server; the error is logged. Please try again later.")
}

// tooMany answers a request over the key's rate limit — 429.
func (h *Handler) tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := max(1, int((wait+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	h.invalid(w, http.StatusTooManyRequests, "Too many requests with this key: the limit is "+
		strconv.FormatFloat(h.Config.Rate, 'f', -1, 64)+" per second (bursts of "+strconv.Itoa(h.Config.Burst)+
		"). Retry after "+strconv.Itoa(secs)+" s.")
}

// headerSafe keeps a header value to printable ASCII on one line.
func headerSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	if len(b) > 400 {
		b = append(b[:397], "..."...)
	}
	return string(b)
}
