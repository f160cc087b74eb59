package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
)

// TestCluster runs three real `marquee serve` processes on one PostgreSQL
// schema behind a round-robin reverse proxy, with their database
// connections going through a TCP relay the test can cut, and checks what
// a cluster promises: caches invalidated everywhere within a second, spam
// decisions shared, scheduled posts published once, a process killed with
// SIGKILL costing no acknowledged comment, and database outages (cut
// connections, a server that refuses them) ridden out with 503s, never
// 500s, and no restart.
func TestCluster(t *testing.T) {
	base := os.Getenv(sqldbtest.EnvPostgres)
	if base == "" {
		t.Skip("set " + sqldbtest.EnvPostgres + " to a PostgreSQL URL to run the cluster test")
	}
	if testing.Short() {
		t.Skip("-short: the cluster test builds the binary and runs three servers")
	}
	bin := buildMarquee(t)
	dsn := sqldbtest.PostgresSchema(t, base)
	relay := newRelay(t, dsn)
	u, _ := url.Parse(dsn)
	u.Host = relay.addr
	q := u.Query()
	appName := "marquee-cluster-" + q.Get("search_path")
	q.Set("application_name", appName)
	u.RawQuery = q.Encode()
	nodeDSN := u.String()
	direct, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()

	// The first process migrates and creates the admin; the others join.
	nodes := []*node{startNode(t, bin, nodeDSN)}
	token := createToken(t, bin, nodeDSN)
	var wg sync.WaitGroup
	more := make([]*node, 2)
	for i := range more {
		wg.Go(func() { more[i] = startNode(t, bin, nodeDSN) })
	}
	wg.Wait()
	nodes = append(nodes, more...)
	lb := newBalancer(t, nodes)
	c := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	api := func(n string, method, path string, body any) (int, map[string]any) {
		t.Helper()
		code, out, err := apiCall(c, method, n+path, token, body)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return code, out
	}

	// A post scheduled a few seconds ahead, checked at the end: whichever
	// process's job comes first publishes it, exactly once.
	code, sched := api(nodes[2].base, "POST", "/api/v1/posts", map[string]any{"title": "Scheduled for later", "body": "Soon.",
		"status": "scheduled", "published_at": time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339)})
	if code != http.StatusCreated {
		t.Fatalf("schedule a post: %d %v", code, sched)
	}
	schedID := int64(sched["id"].(float64))

	// A post created on one process, a comment approved on another, the
	// page read on all three.
	code, p := api(nodes[0].base, "POST", "/api/v1/posts", map[string]any{"title": "Cluster post", "body": "Shared by three.",
		"status": "published", "comments_open": true})
	if code != http.StatusCreated {
		t.Fatalf("create the post: %d %v", code, p)
	}
	postID := int64(p["id"].(float64))
	path := "/" + p["slug"].(string) + "/"
	code, cm := api(nodes[0].base, "POST", fmt.Sprintf("/api/v1/posts/%d/comments", postID), map[string]any{"content": "Approved on node one, seen on all."})
	if code != http.StatusCreated {
		t.Fatalf("comment: %d %v", code, cm)
	}
	commentID := int64(cm["id"].(float64))
	if code, _ := api(nodes[0].base, "PATCH", fmt.Sprintf("/api/v1/comments/%d", commentID), map[string]any{"status": "pending"}); code != http.StatusOK {
		t.Fatalf("hold the comment: %d", code)
	}
	time.Sleep(1500 * time.Millisecond) // every process has followed the hold
	for _, n := range nodes {
		if page := get(t, c, n.base+path); strings.Contains(page, "Approved on node one") {
			t.Fatalf("%s shows a held comment", n.base)
		}
		get(t, c, n.base+path) // cached now
	}
	if code, _ := api(nodes[1].base, "PATCH", fmt.Sprintf("/api/v1/comments/%d", commentID), map[string]any{"status": "approved"}); code != http.StatusOK {
		t.Fatalf("approve the comment: %d", code)
	}
	approved := time.Now()
	for i, n := range nodes {
		eventually(t, 3*time.Second, fmt.Sprintf("process %d shows the approved comment", i), func() bool {
			return strings.Contains(get(t, c, n.base+path), "Approved on node one")
		})
	}
	t.Logf("approved comment on every process's page after %v", time.Since(approved).Round(10*time.Millisecond))

	// A spam decision on one process changes the verdict on another.
	campaign := func(n int) map[string]string {
		return map[string]string{"author": fmt.Sprintf("Kettle Review %d", n), "email": fmt.Sprintf("kettle%d@mail.example", n),
			"comment": fmt.Sprintf("Honest review of the Brewmaster 3000 kettle: boils in 40 seconds. Read my full brewmaster kettle comparison on brewmaster-kettle-reviews dot site %d", n)}
	}
	verdict := func(n *node, i int) string {
		t.Helper()
		replyForm(t, c, n.base, path, campaign(i))
		_, out := api(n.base, "GET", fmt.Sprintf("/api/v1/comments?post_id=%d&limit=1", postID), nil)
		cs, _ := out["comments"].([]any)
		if len(cs) == 0 {
			t.Fatal("no comment listed")
		}
		c := cs[0].(map[string]any)
		if !strings.Contains(c["content"].(string), fmt.Sprintf("site %d", i)) {
			t.Fatalf("newest comment is not campaign comment %d: %v", i, c["content"])
		}
		return c["status"].(string)
	}
	if v := verdict(nodes[2], 0); v == "spam" {
		t.Fatalf("the campaign is spam before anyone said so; pick another")
	}
	for i := 1; i <= 2; i++ { // marked spam by a moderator on process 0
		replyForm(t, c, nodes[0].base, path, campaign(i))
		_, out := api(nodes[0].base, "GET", fmt.Sprintf("/api/v1/comments?post_id=%d&limit=1", postID), nil)
		id := int64(out["comments"].([]any)[0].(map[string]any)["id"].(float64))
		if code, _ := api(nodes[0].base, "PATCH", fmt.Sprintf("/api/v1/comments/%d", id), map[string]any{"status": "spam"}); code != http.StatusOK {
			t.Fatalf("mark spam: %d", code)
		}
	}
	marked := time.Now()
	i := 3
	eventually(t, 4*time.Second, "process 2 calls the campaign spam", func() bool {
		i++
		return verdict(nodes[2], i) == "spam"
	})
	t.Logf("spam decision on process 0 caught on process 2 after %v", time.Since(marked).Round(10*time.Millisecond))

	// A page nothing below changes, cached on every process: it is served
	// while the database is down.
	code, quiet := api(nodes[0].base, "POST", "/api/v1/posts", map[string]any{"title": "Quiet post", "body": "Nothing happens here.",
		"status": "published"})
	if code != http.StatusCreated {
		t.Fatalf("create the quiet post: %d %v", code, quiet)
	}
	quietPath := "/" + quiet["slug"].(string) + "/"
	time.Sleep(1100 * time.Millisecond) // followed everywhere
	for _, n := range nodes {
		get(t, c, n.base+quietPath)
	}

	// Load through the balancer: comments posted by a writer goroutine,
	// every acknowledged one recorded.
	ld := startLoad(t, lb.URL, token, postID)

	// Cut every database connection of the cluster mid-load.
	time.Sleep(500 * time.Millisecond)
	var cut int
	if err := direct.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`, appName).Scan(&cut); err != nil {
		t.Fatal(err)
	}
	before := ld.acked.Load()
	eventually(t, 5*time.Second, "comments acknowledged after the connections were cut", func() bool { return ld.acked.Load() > before+10 })
	t.Logf("terminated %d connections; load went on", cut)

	// The database unreachable: connections cut and new ones refused.
	relay.down()
	downAt := time.Now()
	for i, n := range nodes {
		eventually(t, 8*time.Second, fmt.Sprintf("process %d answers /healthz with 503", i), func() bool {
			res, err := c.Get(n.base + "/healthz")
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == http.StatusServiceUnavailable
		})
		req, _ := http.NewRequest("GET", n.base+fmt.Sprintf("/api/v1/comments/%d", commentID), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("process %d, database down: %d (Retry-After %q), want 503 with Retry-After", i, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if d := time.Since(start); d > 7*time.Second {
			t.Errorf("process %d took %v to say the database is down", i, d)
		}
		if page := get(t, c, n.base+quietPath); !strings.Contains(page, "Nothing happens here") {
			t.Errorf("process %d: the cached page is not served while the database is down", i)
		}
	}
	time.Sleep(time.Second)
	relay.up()
	t.Logf("database unreachable for %v", time.Since(downAt).Round(10*time.Millisecond))
	for i, n := range nodes {
		eventually(t, 10*time.Second, fmt.Sprintf("process %d answers /healthz with 200 again", i), func() bool {
			res, err := c.Get(n.base + "/healthz")
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == http.StatusOK
		})
	}
	before = ld.acked.Load()
	eventually(t, 10*time.Second, "comments acknowledged after the outage", func() bool { return ld.acked.Load() > before+10 })

	// SIGKILL one process mid-load; the balancer takes it out of rotation
	// as a health check would, and the others go on.
	victim := nodes[1]
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	lb.remove(victim.base)
	before = ld.acked.Load()
	eventually(t, 5*time.Second, "comments acknowledged after the kill", func() bool { return ld.acked.Load() > before+20 })
	acked, statuses := ld.stop()
	t.Logf("load: %d comments acknowledged; answers %v", len(acked), statuses)
	if statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answers were 500: a database failure must be a 503", statuses[http.StatusInternalServerError])
		shown := 0
		for _, n := range nodes {
			for _, l := range strings.Split(n.log(), "\n") {
				if strings.Contains(l, "request failed") && shown < 10 {
					t.Log(l)
					shown++
				}
			}
		}
	}
	// Every acknowledged comment is in the database.
	var missing int
	for _, id := range acked {
		var n int
		if err := direct.QueryRow("SELECT count(*) FROM comments WHERE id = $1", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged comments are not in the database", missing, len(acked))
	}

	// The scheduled post: published, by exactly one process.
	eventually(t, 20*time.Second, "the scheduled post is published", func() bool {
		var status string
		direct.QueryRow("SELECT status FROM posts WHERE id = $1", schedID).Scan(&status)
		return status == "published"
	})
	time.Sleep(time.Second) // a second publisher would have logged by now
	line := regexp.MustCompile(fmt.Sprintf(`msg="published scheduled post" id=%d\b`, schedID))
	var published int
	for _, n := range nodes {
		published += len(line.FindAllString(n.log(), -1))
	}
	if published != 1 {
		t.Errorf("the scheduled post was published %d times, want once", published)
	}
}

// node is one `marquee serve` process of the cluster.
// node is one process of the cluster.
type node = server

// startNode starts `marquee serve` on dsn (log level info, no comment
// throttling: the load comes from one address) and waits until it serves;
// flags come after these, so they win.
func startNode(t *testing.T, bin, dsn string, flags ...string) *node {
	t.Helper()
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", dsn, "-demo=false", "-log-level", "info",
		"-trusted-proxies", "127.0.0.1/32", "-comment-every", "-1s"}, flags...)
	return startBinary(t, bin, args...)
}

// balancer is a round-robin reverse proxy over the processes, keeping the
// Host header and adding X-Forwarded-For, as nginx or Caddy would.
type balancer struct {
	*httptest.Server
	mu      sync.Mutex
	targets []*url.URL
	next    int
}

func newBalancer(t *testing.T, nodes []*node) *balancer {
	b := &balancer{}
	for _, n := range nodes {
		u, _ := url.Parse(n.base)
		b.targets = append(b.targets, u)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			b.mu.Lock()
			target := b.targets[b.next%len(b.targets)]
			b.next++
			b.mu.Unlock()
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		ErrorLog: nil,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	b.Server = httptest.NewServer(rp)
	t.Cleanup(b.Close)
	return b
}

func (b *balancer) remove(base string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, u := range b.targets {
		if "http://"+u.Host == base {
			b.targets = append(b.targets[:i], b.targets[i+1:]...)
			return
		}
	}
}

// relay forwards TCP connections to the PostgreSQL server; down closes
// them all and refuses new ones until up.
type relay struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newRelay(t *testing.T, dsn string) *relay {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	r := &relay{t: t, target: target, conns: map[net.Conn]bool{}}
	r.listen("127.0.0.1:0")
	r.addr = r.ln.Addr().String()
	t.Cleanup(r.down)
	return r
}

func (r *relay) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.mu.Lock()
	r.ln = ln
	r.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.pipe(c)
		}
	}()
}

func (r *relay) pipe(c net.Conn) {
	s, err := net.Dial("tcp", r.target)
	if err != nil {
		c.Close()
		return
	}
	r.mu.Lock()
	if r.ln == nil {
		r.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	r.conns[c], r.conns[s] = true, true
	r.mu.Unlock()
	go func() { io.Copy(s, c); s.Close(); c.Close() }()
	io.Copy(c, s)
	c.Close()
	s.Close()
}

func (r *relay) down() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ln != nil {
		r.ln.Close()
		r.ln = nil
	}
	for c := range r.conns {
		c.Close()
		delete(r.conns, c)
	}
}

func (r *relay) up() { r.listen(r.addr) }

// load posts comments through the balancer from four goroutines.
type load struct {
	stopc    chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	ids      []int64
	statuses map[int]int
	acked    atomic.Int64
}

func startLoad(t *testing.T, base, token string, postID int64) *load {
	l := &load{stopc: make(chan struct{}), statuses: map[int]int{}}
	c := &http.Client{Timeout: 20 * time.Second}
	for g := range 4 {
		l.wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-l.stopc:
					return
				default:
				}
				code, out, err := apiCall(c, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", base, postID), token,
					map[string]any{"content": fmt.Sprintf("Load %d/%d.", g, n)})
				if err != nil {
					code = -1 // the connection failed: not acknowledged
				}
				l.mu.Lock()
				l.statuses[code]++
				if id, _ := out["id"].(float64); code == http.StatusCreated && id > 0 {
					l.ids = append(l.ids, int64(id))
					l.acked.Add(1)
				}
				l.mu.Unlock()
				if code != http.StatusCreated {
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
	t.Cleanup(func() {
		select {
		case <-l.stopc:
		default:
			l.stop()
		}
	})
	return l
}

func (l *load) stop() ([]int64, map[int]int) {
	close(l.stopc)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ids, l.statuses
}

// apiCall sends one API request and decodes the JSON answer.
func apiCall(c *http.Client, method, url, token string, body any) (int, map[string]any, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	b, err := io.ReadAll(res.Body)
	json.Unmarshal(b, &out)
	return res.StatusCode, out, err
}

// get fetches a page as an anonymous reader (no cookies: the cached copy).
func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

var replies atomic.Int64

var tokenRe = regexp.MustCompile(`name="token" value="([^"]*)"`)

// replyForm sends a reader's reply through the post's form.
// Each comes from its own address (X-Forwarded-For, believed from
// 127.0.0.1), so the sender's history plays no part in the verdict.
func replyForm(t *testing.T, c *http.Client, base, path string, fields map[string]string) {
	t.Helper()
	page := get(t, c, base+path)
	m := regexp.MustCompile(`name="post_id" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no reply form")
	}
	vals := url.Values{"post_id": {m[1]}}
	if tm := tokenRe.FindStringSubmatch(page); tm != nil {
		vals.Set("token", tm[1])
	}
	for k, v := range fields {
		vals.Set(k, v)
	}
	req, _ := http.NewRequest("POST", base+"/comments", strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", replies.Add(1)))
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
}

// eventually polls cond until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
