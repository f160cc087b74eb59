package throttle

import (
	"net/netip"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(12*time.Second, 10) // a burst of 10, then 5 a minute
	l.now = func() time.Time { return now }
	for i := range 10 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("action %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > 12*time.Second {
		t.Fatalf("11th action: %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client is throttled")
	}
	now = now.Add(12 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no token after the refill time")
	}
	if b, _ := l.Blocked("a"); !b {
		t.Fatal("Blocked does not see an empty bucket")
	}
	if b, _ := l.Blocked("c"); b {
		t.Fatal("an unknown key is blocked")
	}
	var none *Limiter
	if ok, _ := none.Allow("x"); !ok {
		t.Fatal("a nil limiter must allow everything")
	}
	// Sweeping forgets full buckets.
	now = now.Add(2 * time.Hour)
	l.Allow("z")
	if len(l.keys) != 1 {
		t.Fatalf("%d buckets kept after a sweep, want 1", len(l.keys))
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"::ffff:192.0.2.7":        "192.0.2.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1234": "2001:db8:1:2::/64",
	} {
		if got := ClientKey(netip.MustParseAddr(in)); got != want {
			t.Errorf("ClientKey(%s) = %s, want %s", in, got, want)
		}
	}
}
