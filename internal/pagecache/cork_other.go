//go:build !linux

package pagecache

import "syscall"

// cork is Linux's TCP_CORK; elsewhere hits are written uncorked.
func cork(syscall.RawConn, bool) {}
