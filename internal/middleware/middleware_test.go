package middleware

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientBehindProxies: forwarding headers are believed only from the
// configured proxies, and a client cannot forge its address by sending the
// header itself.
func TestClientBehindProxies(t *testing.T) {
	p, err := ParseProxies("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	var gotIP string
	var gotHTTPS bool
	h := p.Client(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotIP, gotHTTPS = ClientIP(r).String(), IsHTTPS(r)
	}))
	for _, c := range []struct {
		remote, xff, proto string
		ip                 string
		https              bool
	}{
		{"203.0.113.5:1234", "", "", "203.0.113.5", false},
		{"203.0.113.5:1234", "198.51.100.1", "https", "203.0.113.5", false}, // not a proxy: ignored
		{"10.1.2.3:80", "198.51.100.1", "https", "198.51.100.1", true},
		{"10.1.2.3:80", "6.6.6.6, 198.51.100.1, 10.9.9.9", "http", "198.51.100.1", false}, // forged leftmost hop skipped
		{"192.0.2.1:80", "2001:db8::7", "", "2001:db8::7", false},
		{"10.1.2.3:80", "not-an-ip", "", "10.1.2.3", false},
		{"[::ffff:10.1.2.3]:80", "198.51.100.9", "", "198.51.100.9", false},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.remote
		if c.xff != "" {
			req.Header.Set("X-Forwarded-For", c.xff)
		}
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if gotIP != c.ip || gotHTTPS != c.https {
			t.Errorf("%s via %q (%s): client %s https=%v, want %s %v", c.remote, c.xff, c.proto, gotIP, gotHTTPS, c.ip, c.https)
		}
	}
	if _, err := ParseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}

func TestHeadersAndLimits(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1<<20)
		if _, err := r.Body.Read(buf); err != nil && err.Error() != "EOF" && strings.Contains(err.Error(), "too large") {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}
	})
	for _, https := range []bool{false, true} {
		w := httptest.NewRecorder()
		Headers(https, ok).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		csp := w.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers: %v", w.Header())
		}
		if (w.Header().Get("Strict-Transport-Security") != "") != https {
			t.Errorf("HSTS with https=%v: %q", https, w.Header().Get("Strict-Transport-Security"))
		}
	}
	w := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 100)))
	MaxBody(10, ok).ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d", w.Code)
	}
	// A panic becomes a 500, not a dropped connection.
	w = httptest.NewRecorder()
	Recover(discardLogger(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })).
		ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 {
		t.Errorf("panic: %d", w.Code)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
