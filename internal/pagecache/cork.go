package pagecache

import (
	"context"
	"net"
	"syscall"
)

// net/http sends a body longer than its 4 KiB buffer in two writes (the
// headers with the first bytes, then the rest), and on a TCP connection
// without Nagle each write leaves as its own segment and wakes the reader
// once. Corked, the kernel sends a hit as one (nginx does the same with
// tcp_nopush): +15 % requests a second for the 11 KB home page, +20 % for
// a 64 KB feed, no change for a 108 KB post (bench/run.sh; loopback).

// corkAbove is the body size from which a hit needs more than one write.
const corkAbove = 3 << 10

type connKey struct{}

// WithConn remembers the TCP connection a request arrives on, for
// http.Server.ConnContext, so that hits can cork it.
func WithConn(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*net.TCPConn); ok {
		if rc, err := tc.SyscallConn(); err == nil {
			return context.WithValue(ctx, connKey{}, rc)
		}
	}
	return ctx
}

func connOf(ctx context.Context) (syscall.RawConn, bool) {
	rc, ok := ctx.Value(connKey{}).(syscall.RawConn)
	return rc, ok
}
