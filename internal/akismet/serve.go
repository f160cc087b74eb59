package akismet

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"marquee/internal/middleware"
)

// Standalone is the handler for a listener of the API's own
// (-akismet-addr): the API's routes, "invalid" 404s for every other path,
// behind panic recovery and access logs.
func (h *Handler) Standalone() http.Handler {
	mux := h.Mux()
	mux.HandleFunc("/", h.NotFound)
	return middleware.Log(h.Log, middleware.Recover(h.Log, mux))
}

// ListenAndServe serves Standalone on addr until ctx ends, then shuts down
// gracefully and writes the buffered usage counts. ready, if set, is
// called with the bound address.
func (h *Handler) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h.Standalone(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	h.Log.Info("serving the Akismet API", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(err, h.Keys.Flush(fctx))
}
