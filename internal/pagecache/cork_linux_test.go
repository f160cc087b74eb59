package pagecache

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestCorkedHits: over a real keep-alive TCP connection, large hits arrive
// whole and exact, and the connection is never left corked (a corked
// socket would hold the next response back for 200 ms).
func TestCorkedHits(t *testing.T) {
	c := New(1<<20, 0)
	c.ttl = 1 << 62
	page := strings.Repeat("The light falls on the water. ", 2000) // 60 KB
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Store(r.Context(), "text/html", []byte(page), "t")
		w.Write([]byte(page))
	}))
	var mu sync.Mutex
	var conns []*net.TCPConn
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnContext = func(ctx context.Context, nc net.Conn) context.Context {
		mu.Lock()
		conns = append(conns, nc.(*net.TCPConn))
		mu.Unlock()
		return WithConn(ctx, nc)
	}
	srv.Start()
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).DisableCompression = true // the plain body, past the cork threshold
	for i := range 4 {
		res, err := client.Get(srv.URL + "/p")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) != page || (i > 0 && res.Header.Get("Content-Length") != strconv.Itoa(len(page))) {
			t.Fatalf("request %d: %d bytes, Content-Length %s", i, len(b), res.Header.Get("Content-Length"))
		}
		if i > 0 && res.Header.Get("X-Cache") != "hit" {
			t.Fatalf("request %d not a hit", i)
		}
		mu.Lock()
		if len(conns) != 1 {
			t.Fatalf("%d connections: keep-alive lost", len(conns))
		}
		rc, _ := conns[0].SyscallConn()
		mu.Unlock()
		corked := -1
		rc.Control(func(fd uintptr) { corked, _ = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK) })
		if corked != 0 {
			t.Fatalf("after request %d the connection is left corked (%d)", i, corked)
		}
	}
}
