package akismet

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
)

var benchTexts = []string{
	hamText,
	"Great post! I have been looking for a clear explanation of Go's escape analysis for ages, this finally made it click.",
	"Buy cheap replica watches online, best prices, free shipping worldwide, visit our shop today!!! http://watches.example/deal",
	"I disagree with the third point: the benchmark ignores GC pauses, which dominate at this heap size. See https://github.com/golang/go/issues/123",
	"Earn $5000 per week working from home, no experience needed. Contact WhatsApp +1 555 0100 now.",
}

func benchBodies(key string) []string {
	out := make([]string, 0, len(benchTexts)*4)
	for i := range 4 {
		for j, txt := range benchTexts {
			f := url.Values{
				"api_key": {key}, "blog": {"https://blog.example.org/"}, "user_ip": {fmt.Sprintf("203.0.113.%d", i*10+j)},
				"user_agent": {"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}, "comment_author": {fmt.Sprintf("Reader %d", j)},
				"comment_author_email": {fmt.Sprintf("reader%d@example.net", j)}, "comment_content": {txt},
				"permalink": {"https://blog.example.org/2024/05/post/"}, "comment_type": {"comment"},
			}
			out = append(out, f.Encode())
		}
	}
	return out
}

// BenchmarkCommentCheck is one comment-check through the handler (key
// lookup, form decoding, scoring, usage count), on SQLite, without network.
//
//	go test -run '^$' -bench CommentCheck -benchmem ./internal/akismet/
func BenchmarkCommentCheck(b *testing.B) {
	db := sqldbtest.Open(b, sqldbtest.DSNs(b)["sqlite"])
	e := newEnv(b, db, Config{Rate: -1})
	h := e.h.Mux()
	bodies := benchBodies(e.key)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("POST", "/1.1/comment-check", strings.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || (rec.Body.String() != "true" && rec.Body.String() != "false") {
			b.Fatalf("%d %q", rec.Code, rec.Body.String())
		}
		i++
	}
}

// BenchmarkCommentCheckLoopback is the load test: 32 keep-alive clients
// over real TCP on loopback against the standalone server; it reports
// requests per second and the 99th-percentile latency.
//
//	go test -run '^$' -bench CommentCheckLoopback -benchtime 20000x ./internal/akismet/
func BenchmarkCommentCheckLoopback(b *testing.B) {
	db := sqldbtest.Open(b, sqldbtest.DSNs(b)["sqlite"])
	e := newEnv(b, db, Config{Rate: -1})
	bodies := benchBodies(e.key)
	const clients = 32
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	target := e.srv.URL + "/1.1/comment-check"
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t0 := time.Now()
				resp, err := client.Post(target, "application/x-www-form-urlencoded", strings.NewReader(bodies[i%int64(len(bodies))]))
				if err != nil {
					failed.Store(err.Error())
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || (string(body) != "true" && string(body) != "false") {
					failed.Store(fmt.Sprintf("%d %q", resp.StatusCode, body))
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
}
