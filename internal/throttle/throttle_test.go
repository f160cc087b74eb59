package throttle

import (
	"net/netip"
	"strings"
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
	key := func(s string) string { return ClientKey(netip.MustParseAddr(s)) }
	if key("192.0.2.7") != key("::ffff:192.0.2.7") {
		t.Error("an IPv4 address and its mapped IPv6 form are two clients")
	}
	if key("2001:db8:1:2:3:4:5:6") != key("2001:db8:1:2:ffff::1234") {
		t.Error("two addresses of one IPv6 /64 are two clients")
	}
	if key("192.0.2.7") == key("192.0.2.8") || key("2001:db8:1:2::1") == key("2001:db8:1:3::1") {
		t.Error("different clients share a key")
	}
	if k := key("192.0.2.7"); strings.Contains(k, "192") || len(k) < 16 {
		t.Errorf("the key %q shows the address", k)
	}
}
