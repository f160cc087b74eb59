package api

import (
	"net/http"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
	"marquee/internal/throttle"
)

// TestBadTokensThrottled: a client guessing tokens gets 429 after ten
// failures, while a valid token from another client is not throttled.
func TestBadTokensThrottled(t *testing.T) {
	e := newEnv(t, sqldbtest.Open(t, sqldbtest.DSNs(t)["sqlite"]), "")
	e.h.TokenFailures = throttle.New(6*time.Second, 10) // as in production
	try := func(token string) *http.Response {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/posts", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := range 10 {
		if res := try("mq_guess"); res.StatusCode != 401 {
			t.Fatalf("guess %d: %d", i+1, res.StatusCode)
		}
	}
	res := try("mq_guess")
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th guess: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// A valid token is never throttled, even from that client.
	if res := try(e.tokens["admin"]); res.StatusCode != 200 {
		t.Fatalf("valid token from the throttled client: %d", res.StatusCode)
	}
}
