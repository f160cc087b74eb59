// Package throttle limits how often one client may do something: post a
// comment, fail to present an API token. State is per process and kept in
// memory (several processes each apply the limit: a flood spread over N
// processes gets N times the allowance, which still stops a flood).
package throttle

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a token bucket per key.
type Limiter struct {
	every time.Duration // one token per every
	burst int
	now   func() time.Time

	mu    sync.Mutex
	keys  map[string]*rate.Limiter
	swept time.Time
}

// New allows burst actions at once, then one per every, per key. A zero
// or negative every means no limit (nil Limiter behaves the same).
func New(every time.Duration, burst int) *Limiter {
	if every <= 0 || burst <= 0 {
		return nil
	}
	return &Limiter{every: every, burst: burst, now: time.Now, keys: map[string]*rate.Limiter{}}
}

// WithClock makes the limiter read time from now (a handler's clock, for
// tests that move time); it returns l.
func (l *Limiter) WithClock(now func() time.Time) *Limiter {
	if l != nil {
		l.now = now
	}
	return l
}

// maxKeys bounds memory under a flood from many addresses: past it, idle
// buckets are dropped at once rather than hourly.
const maxKeys = 100000

func (l *Limiter) bucket(key string, now time.Time) *rate.Limiter {
	if now.Sub(l.swept) > time.Hour || len(l.keys) > maxKeys {
		// A bucket that has refilled completely holds no information.
		full := l.every * time.Duration(l.burst)
		for k, b := range l.keys {
			if b.TokensAt(now) >= float64(l.burst) || now.Sub(l.swept) > full {
				delete(l.keys, k)
			}
		}
		l.swept = now
	}
	b, ok := l.keys[key]
	if !ok {
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.keys[key] = b
	}
	return b
}

// Allow takes a token for key; when there is none it says how long until
// there will be.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	if b.AllowN(now, 1) {
		return true, 0
	}
	r := b.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return false, wait
}

// Blocked reports, without taking a token, whether key has none left.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	if l == nil {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.keys[key]
	if !ok || b.TokensAt(now) >= 1 {
		return false, 0
	}
	need := 1 - b.TokensAt(now)
	return true, time.Duration(need * float64(l.every))
}

// ClientKey is the key for an address: IPv4 as is, IPv6 by its /64, since
// one client usually holds a whole /64 — as a keyed hash, because telling
// clients apart needs no raw address in memory (the key is random per
// process and never stored).
func ClientKey(a netip.Addr) string {
	s := a.Unmap().String()
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		s = p.String()
	}
	m := hmac.New(sha256.New, processKey[:])
	m.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

var processKey = func() (k [32]byte) {
	rand.Read(k[:])
	return k
}()
