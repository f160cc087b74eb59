package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
)

// TestClusterThroughput measures, when MARQUEE_CLUSTER_BENCH is set, the
// requests per second of a cached post page and of comment posts (API)
// with 1, 2 and 3 `marquee serve` processes on PostgreSQL and 1 on SQLite.
// The load generator runs in this test, on the same machine, and spreads
// requests over the processes round-robin (no proxy in between):
//
//	MARQUEE_CLUSTER_BENCH=1 MARQUEE_TEST_POSTGRES=postgres://… \
//	  go test -run TestClusterThroughput -v ./cmd/marquee/
//
// Performance figures are this test's log, not assertions.
func TestClusterThroughput(t *testing.T) {
	if os.Getenv("MARQUEE_CLUSTER_BENCH") == "" {
		t.Skip("set MARQUEE_CLUSTER_BENCH=1 (and MARQUEE_TEST_POSTGRES) to measure cluster throughput")
	}
	bin := buildMarquee(t)
	type setup struct {
		name string
		dsn  func() string
		n    int
	}
	setups := []setup{{"sqlite x1", func() string { return filepath.Join(t.TempDir(), "site.db") }, 1}}
	if base := os.Getenv(sqldbtest.EnvPostgres); base != "" {
		for n := 1; n <= 3; n++ {
			setups = append(setups, setup{fmt.Sprintf("postgres x%d", n), func() string { return sqldbtest.PostgresSchema(t, base) }, n})
		}
	}
	dur := 5 * time.Second
	for _, s := range setups {
		dsn := s.dsn()
		nodes := []*node{startNode(t, bin, dsn, "-log-level", "warn")}
		token := createToken(t, bin, dsn)
		for len(nodes) < s.n {
			nodes = append(nodes, startNode(t, bin, dsn, "-log-level", "warn"))
		}
		c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		code, p, err := apiCall(c, "POST", nodes[0].base+"/api/v1/posts", token, map[string]any{"title": "Read me", "body": "A post **worth** reading.\n\n" + loremBench,
			"status": "published", "comments_open": true})
		if err != nil || code != http.StatusCreated {
			t.Fatalf("post: %d %v", code, err)
		}
		id := int64(p["id"].(float64))
		path := "/" + p["slug"].(string) + "/"
		code, p2, _ := apiCall(c, "POST", nodes[0].base+"/api/v1/posts", token, map[string]any{"title": "Talk", "body": "Comments here.",
			"status": "published", "comments_open": true})
		if code != http.StatusCreated {
			t.Fatalf("post: %d", code)
		}
		talk := int64(p2["id"].(float64))
		time.Sleep(1100 * time.Millisecond)
		page := measure(t, nodes, 32, dur, func(base string) bool {
			res, err := c.Get(base + path)
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == 200
		})
		comments := measure(t, nodes, 32, dur, func(base string) bool {
			code, _, err := apiCall(c, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", base, talk), token, map[string]any{"content": "A comment under load."})
			return err == nil && code == http.StatusCreated
		})
		t.Logf("%-12s cached post page: %7.0f req/s   comment posts: %6.0f req/s", s.name, page, comments)
		if s.n == 1 {
			t.Logf("wrk: wrk -t2 -c32 -d5s %s%s ; post id %d", nodes[0].base, path, id)
			if os.Getenv("MARQUEE_CLUSTER_BENCH") == "wrk" {
				out, _ := exec.Command("wrk", "-t2", "-c32", "-d5s", nodes[0].base+path).CombinedOutput()
				t.Logf("%s", out)
			}
		}
		for _, n := range nodes {
			n.cmd.Process.Kill()
			<-n.done
		}
	}
}

// measure runs fn from workers goroutines over the nodes round-robin for
// dur and returns the successful calls per second; a failure fails t.
func measure(t *testing.T, nodes []*node, workers int, dur time.Duration, fn func(base string) bool) float64 {
	var ok, bad, next atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(dur)
	for range workers {
		wg.Go(func() {
			for time.Now().Before(end) {
				n := nodes[int(next.Add(1))%len(nodes)]
				if fn(n.base) {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d failed requests", bad.Load())
	}
	return float64(ok.Load()) / dur.Seconds()
}

const loremBench = `Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.
Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.`
