package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// durable is one running `marquee serve` process of the durability tests.
// server is a real `marquee serve` process started by a test.
type server struct {
	cmd    *exec.Cmd
	base   string
	stderr *lockedWriter // over buf: the process writes while tests read
	buf    *bytes.Buffer
	done   chan error
}

// log is what the process wrote to stderr so far.
func (s *server) log() string {
	s.stderr.mu.Lock()
	defer s.stderr.mu.Unlock()
	return s.buf.String()
}

var servingRe = regexp.MustCompile(`Marquee is serving (http://\S+?)/ `)

// buildMarquee builds the real binary once per test.
func buildMarquee(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "marquee")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func durableEnv() []string {
	return append(os.Environ(), "MARQUEE_ADMIN_EMAIL=admin@example.org", "MARQUEE_ADMIN_PASSWORD=durable-password-1",
		"MARQUEE_DEMO=false", "MARQUEE_BASE_URL=", "MARQUEE_ADDR=", "MARQUEE_DB=")
}

// startServe starts the binary on db and waits until it serves.
func startServe(t *testing.T, bin, db string) *server {
	t.Helper()
	return startBinary(t, bin, "serve", "-addr", "127.0.0.1:0", "-db", db, "-demo=false", "-log-level", "warn")
}

// startBinary runs bin with args, and waits for its "serving" line and
// for /healthz to answer 200.
func startBinary(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = durableEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	d := &server{cmd: cmd, buf: &bytes.Buffer{}, done: make(chan error, 1)}
	d.stderr = &lockedWriter{w: d.buf}
	cmd.Stderr = d.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-d.done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { d.done <- cmd.Wait() }()
	select {
	case d.base = <-found:
	case err := <-d.done:
		d.done <- err
		t.Fatalf("marquee serve exited: %v\n%s", err, d.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("marquee serve did not start\n%s", d.log())
	}
	for i := 0; ; i++ {
		res, err := http.Get(d.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 200 {
			t.Fatalf("/healthz never answered 200: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	return d
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// createToken runs `marquee token create` on db.
func createToken(t *testing.T, bin, db string) string {
	t.Helper()
	cmd := exec.Command(bin, "token", "create", "-db", db, "-name", "durability")
	cmd.Env = durableEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		t.Fatal("token create printed nothing")
	}
	return f[len(f)-1]
}

// call sends one API request; it returns the status and the id in the
// answer, or the error of the round trip.
func call(c *http.Client, method, url, token string, body any, trace *httptrace.ClientTrace) (int, int64, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	ctx := context.Background()
	if trace != nil {
		ctx = httptrace.WithClientTrace(ctx, trace)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, 0, err
	}
	json.Unmarshal(b, &out)
	return res.StatusCode, out.ID, nil
}

func loadClient() *http.Client {
	// A connection per request: a request either reaches the server on a
	// connection of its own or fails to connect.
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

// startWithPost builds the binary, starts it on a new SQLite file, makes an
// API token and a post open for comments: what both load tests start from.
func startWithPost(t *testing.T) (bin, db string, d *server, token string, c *http.Client, postID int64) {
	t.Helper()
	bin = buildMarquee(t)
	db = filepath.Join(t.TempDir(), "site.db")
	d = startServe(t, bin, db)
	token = createToken(t, bin, db)
	c = loadClient()
	code, postID, err := call(c, "POST", d.base+"/api/v1/posts", token, map[string]any{"title": "Discussion", "body": "Talk here.",
		"status": "published", "comments_open": true}, nil)
	if err != nil || code != http.StatusCreated {
		t.Fatalf("create the post: %d %v", code, err)
	}
	return bin, db, d, token, c, postID
}

// TestDurabilityAfterKill: every comment and post the API acknowledged
// (201 with an id) is still there after the server is killed with SIGKILL
// in the middle of a write load and started again on the same file.
func TestDurabilityAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the durability test builds the binary and kills it under load")
	}
	bin, db, d, token, c, postID := startWithPost(t)
	var totalComments, totalPosts int
	for round := 1; round <= 3; round++ {
		var mu sync.Mutex
		var comments, posts []int64
		var errs, other atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					var code int
					var id int64
					var err error
					isComment := (g+n)%2 == 0
					if isComment {
						code, id, err = call(c, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", d.base, postID), token,
							map[string]any{"content": fmt.Sprintf("Round %d, writer %d, comment %d.", round, g, n)}, nil)
					} else {
						code, id, err = call(c, "POST", d.base+"/api/v1/posts", token, map[string]any{
							"title": fmt.Sprintf("Round %d writer %d post %d", round, g, n), "body": "Written under load.",
							"status": "published"}, nil)
					}
					switch {
					case err != nil:
						errs.Add(1)
						time.Sleep(5 * time.Millisecond)
					case code == http.StatusCreated && id > 0:
						mu.Lock()
						if isComment {
							comments = append(comments, id)
						} else {
							posts = append(posts, id)
						}
						mu.Unlock()
					default:
						other.Add(1)
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-d.done
		time.Sleep(200 * time.Millisecond) // let the writers see the dead server
		close(stop)
		wg.Wait()
		mu.Lock()
		acked := len(comments) + len(posts)
		mu.Unlock()
		if acked == 0 {
			t.Fatalf("round %d: nothing was acknowledged before the kill\n%s", round, d.log())
		}

		d = startServe(t, bin, db)
		missing := 0
		for _, w := range []struct {
			what string
			ids  []int64
			path string
		}{{"comment", comments, "/api/v1/comments/%d"}, {"post", posts, "/api/v1/posts/%d"}} {
			for _, id := range w.ids {
				code, got, err := call(c, "GET", d.base+fmt.Sprintf(w.path, id), token, nil, nil)
				if err != nil || code != http.StatusOK || got != id {
					missing++
					if missing <= 10 {
						t.Errorf("round %d: acknowledged %s %d is gone after the restart: %d %v", round, w.what, id, code, err)
					}
				}
			}
		}
		t.Logf("round %d: %d comments and %d posts acknowledged before SIGKILL, %d missing after restart (%d failed requests, %d other answers)",
			round, len(comments), len(posts), missing, errs.Load(), other.Load())
		totalComments += len(comments)
		totalPosts += len(posts)
	}
	t.Logf("in all: %d comments and %d posts acknowledged and checked", totalComments, totalPosts)
}

// TestGracefulShutdown: SIGTERM during a write load lets every request the
// server had accepted finish with an answer (no reset connection), and the
// process exits 0.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the shutdown test builds the binary and runs it under load")
	}
	_, _, d, token, c, postID := startWithPost(t)
	var sentAt atomic.Int64 // unix nanoseconds of the SIGTERM; 0 before
	var mu sync.Mutex
	var answered, refused, lateErrors int
	var dropped []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				var connAt atomic.Int64
				trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connAt.Store(time.Now().UnixNano()) }}
				var err error
				if n%2 == 0 {
					_, _, err = call(c, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", d.base, postID), token,
						map[string]any{"content": fmt.Sprintf("Writer %d, comment %d.", g, n)}, trace)
				} else {
					_, _, err = call(c, "POST", d.base+"/api/v1/posts", token, map[string]any{
						"title": fmt.Sprintf("Writer %d post %d", g, n), "body": "Written under load.", "status": "published"}, trace)
				}
				sig := sentAt.Load()
				conn := connAt.Load()
				mu.Lock()
				switch {
				case err == nil:
					answered++
				case conn == 0 || errors.Is(err, syscall.ECONNREFUSED):
					refused++ // never reached the server: fine once it stopped listening
				case sig != 0 && conn < sig-int64(20*time.Millisecond):
					// Connected well before the SIGTERM: the server had accepted it.
					dropped = append(dropped, err.Error())
				default:
					lateErrors++ // connected around the signal: in the kernel's queue, perhaps never accepted
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(time.Second)
	sentAt.Store(time.Now().UnixNano())
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	select {
	case exitErr = <-d.done:
	case <-time.After(30 * time.Second):
		t.Fatal("marquee serve did not exit within 30 s of SIGTERM")
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("SIGTERM under load: %d answered, %d refused after the listener closed, %d errors on connections made around the signal, %d dropped",
		answered, refused, lateErrors, len(dropped))
	if exitErr != nil {
		t.Errorf("marquee serve exited with %v after SIGTERM, want 0\n%s", exitErr, d.log())
	}
	if len(dropped) > 0 {
		t.Errorf("%d requests the server had accepted got no answer, e.g. %s", len(dropped), dropped[0])
	}
	if answered == 0 {
		t.Error("no request was answered")
	}
}
