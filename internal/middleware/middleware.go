// Package middleware holds the HTTP wrappers every Marquee handler sits
// behind: panic recovery, access logs, security headers, body limits and the
// client address as seen through trusted proxies.
package middleware

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// CSP is the Content-Security-Policy of every page: our own scripts, styles
// and images only, nothing inline, never framed.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Headers sets the security headers on every response; HSTS only when the
// site is served over https.
func Headers(https bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// Recover turns a panic into a logged 500 rather than a dropped connection.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", p)
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Log writes one structured line per request at debug level, and at info
// level for server errors.
func Log(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration", time.Since(start))
	})
}

// MaxBody limits request bodies; handlers see an error past n bytes and
// answer 413.
func MaxBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			http.Error(w, "Request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// Proxies decides whose forwarding headers are believed.
type Proxies struct{ prefixes []netip.Prefix }

// ParseProxies reads a comma-separated list of CIDRs or addresses.
func ParseProxies(s string) (Proxies, error) {
	var p Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return p, err
			}
			p.prefixes = append(p.prefixes, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pr, err := netip.ParsePrefix(f)
		if err != nil {
			return p, err
		}
		p.prefixes = append(p.prefixes, pr.Masked())
	}
	return p, nil
}

func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p.prefixes {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

type ctxKey int

const (
	keyClientIP ctxKey = iota
	keyHTTPS
)

// Client records the client's address and scheme in the request context:
// X-Forwarded-For is walked from the right, skipping trusted proxies, so a
// client cannot forge its address by sending the header itself.
func (p Proxies) Client(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := remoteAddr(r.RemoteAddr)
		https := r.TLS != nil
		if ip.IsValid() && p.trusted(ip) {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				hops := strings.Split(xff, ",")
				for i := len(hops) - 1; i >= 0; i-- {
					a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
					if err != nil {
						break
					}
					ip = a.Unmap()
					if !p.trusted(ip) {
						break
					}
				}
			}
			if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
				https = strings.EqualFold(strings.TrimSpace(proto), "https")
			}
		}
		ctx := context.WithValue(r.Context(), keyClientIP, ip)
		ctx = context.WithValue(ctx, keyHTTPS, https)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func remoteAddr(s string) netip.Addr {
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// ClientIP is the client's address as decided by Client.
func ClientIP(r *http.Request) netip.Addr {
	if a, ok := r.Context().Value(keyClientIP).(netip.Addr); ok {
		return a
	}
	return remoteAddr(r.RemoteAddr)
}

// IsHTTPS reports whether the client reached us over https.
func IsHTTPS(r *http.Request) bool {
	if v, ok := r.Context().Value(keyHTTPS).(bool); ok {
		return v
	}
	return r.TLS != nil
}
