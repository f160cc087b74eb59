package pagecache

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestHolesAndGzip: a cached page with holes is served with fresh fills,
// plain and gzipped, with an exact Content-Length, and the gzip stream
// (pieces compressed once, fills as stored blocks) decodes to the same
// bytes.
func TestHolesAndGzip(t *testing.T) {
	c := New(1<<20, 0)
	c.ttl = 1 << 62
	n := 0
	c.Holes = func(body []byte) ([][]byte, []string) {
		parts := bytes.Split(body, []byte("@@"))
		keys := make([]string, len(parts)-1)
		for i := range keys {
			keys[i] = strconv.Itoa(i)
		}
		return parts, keys
	}
	c.Fill = func(r *http.Request, key string) string { n++; return "<" + key + "-" + strconv.Itoa(n) + ">" }
	page := strings.Repeat("Lorem ipsum dolor sit amet. ", 200) + "@@" + strings.Repeat("x", 70000) + "@@end"
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Store(r.Context(), "text/html", []byte(page), "t")
		w.Write([]byte("miss"))
	}))
	get := func(gz bool) (*http.Response, string) {
		req := httptest.NewRequest("GET", "/p", nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		res := w.Result()
		b, _ := io.ReadAll(res.Body)
		if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(b)) {
			t.Fatalf("Content-Length %s for %d bytes", cl, len(b))
		}
		if gz {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatalf("gzip stream: %v", err)
			}
		}
		return res, string(b)
	}
	if _, b := get(false); b != "miss" {
		t.Fatal("first request not rendered")
	}
	for _, gz := range []bool{false, true, false} {
		res, b := get(gz)
		if res.Header.Get("X-Cache") != "hit" {
			t.Fatal("not a hit")
		}
		want := strings.Replace(strings.Replace(page, "@@", "<0-"+strconv.Itoa(n-1)+">", 1), "@@", "<1-"+strconv.Itoa(n)+">", 1)
		if b != want {
			t.Fatalf("gzip=%v: body differs (%d vs %d bytes)", gz, len(b), len(want))
		}
	}
	c.Invalidate("t")
	if _, b := get(false); b != "miss" {
		t.Fatal("invalidated entry served")
	}
}

// TestCRCCombine: combining the CRCs of two parts gives the CRC of the
// whole, for empty, short and long parts.
func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {3, 100}, {1000, 70000}, {65536, 1}} {
		a, b := make([]byte, n[0]), make([]byte, n[1])
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		want := crc32.ChecksumIEEE(append(append([]byte{}, a...), b...))
		if got := multModP(crcShift(len(b)), crc32.ChecksumIEEE(a)) ^ crc32.ChecksumIEEE(b); got != want {
			t.Errorf("lengths %v: combined %08x, want %08x", n, got, want)
		}
	}
}
