package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"marquee/internal/app"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestWarnsWhenMailHasNoAddress: with mail configured but no site address,
// the operator is told at start why lost-password links are missing.
func TestWarnsWhenMailHasNoAddress(t *testing.T) {
	for _, base := range []string{"", "https://blog.example.org"} {
		var logs syncBuffer
		a, err := app.Open(context.Background(), app.Config{DB: filepath.Join(t.TempDir(), "site.db"), Addr: "127.0.0.1:0",
			BaseURL: base, SMTPURL: "smtp://127.0.0.1:1?from=blog@example.org"}, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		err = a.Serve(ctx, func(string) { cancel() })
		a.Close()
		if err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(logs.String(), "lost-password links are not offered")
		if warned != (base == "") {
			t.Errorf("base %q: warned = %v\n%s", base, warned, logs.String())
		}
	}
}
