package akismet

import (
	"sync"
	"time"
)

// limiter is a token bucket per key: rate requests per second on average,
// bursts of up to burst. (golang.org/x/time/rate is not a dependency of the
// module; this is the few lines of it we need.)
type limiter struct {
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: map[int64]*bucket{}}
}

// allow takes a token from id's bucket. When none is left it reports how
// long until one is.
func (l *limiter) allow(id int64, now time.Time) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(id, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// throttled reports whether id's next request would be refused.
func (l *limiter) throttled(id int64, now time.Time) bool {
	if l.rate <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refill(id, now).tokens < 1
}

// refill brings id's bucket up to now. l.mu is held.
func (l *limiter) refill(id int64, now time.Time) *bucket {
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[id] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	return b
}
