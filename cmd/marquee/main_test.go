package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
)

// runCmd runs the command line as a user would, with its own environment.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestUsageAndVersion(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "version")
	if err != nil || !strings.HasPrefix(out, "marquee ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := runCmd(t, nil, ""); exitCode(err) != 2 {
		t.Fatalf("no command: exit %d", exitCode(err))
	}
	_, _, err = runCmd(t, nil, "", "frobnicate")
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	for _, args := range [][]string{{"-h"}, {"serve", "-h"}, {"user", "add", "-h"}, {"token", "create", "-h"}, {"spam", "eval", "-h"},
		{"user", "-h"}, {"spam", "-h"}} {
		out, _, err := runCmd(t, nil, "", args...)
		if err != nil || !strings.Contains(strings.ToLower(out), "usage") {
			t.Errorf("%v: %q %v", args, out, err)
		}
	}
	if _, _, err := runCmd(t, nil, "", "serve", "-no-such-flag"); exitCode(err) != 2 {
		t.Errorf("bad flag: exit %d (%v)", exitCode(err), err)
	}
}

func TestUsersAndTokens(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"MARQUEE_DB": dsn}
			if _, _, err := runCmd(t, env, "", "token", "create", "-name", "ci"); err == nil || !strings.Contains(err.Error(), "no admin") {
				t.Fatalf("token without an admin: %v", err)
			}
			out, _, err := runCmd(t, env, "a-good-password-1\n", "user", "add", "-email", "Root@Example.org", "-role", "admin")
			if err != nil || !strings.Contains(out, "root@example.org") || strings.Contains(out, "Generated") {
				t.Fatalf("user add: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "", "user", "add", "-email", "ed@example.org", "-role", "editor")
			if err != nil || !strings.Contains(out, "Generated password: ") {
				t.Fatalf("user add with generated password: %q %v", out, err)
			}
			if _, _, err := runCmd(t, env, "", "user", "add", "-email", "ed@example.org", "-role", "editor"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Fatalf("duplicate user: %v", err)
			}
			if _, _, err := runCmd(t, env, "", "user", "add", "-email", "x@example.org", "-role", "king"); exitCode(err) != 2 {
				t.Fatalf("bad role: %v", err)
			}
			out, _, err = runCmd(t, env, "", "token", "create", "-name", "ci")
			fields := strings.Fields(out)
			if err != nil || len(fields) == 0 || !strings.HasPrefix(fields[len(fields)-1], "mq_") {
				t.Fatalf("token create: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "", "user", "list")
			if err != nil || !strings.Contains(out, "ed@example.org\teditor") {
				t.Fatalf("user list: %q %v", out, err)
			}
			out, _, err = runCmd(t, env, "another-password-2\n", "user", "reset-password", "-email", "ed@example.org")
			if err != nil || !strings.Contains(out, "Changed the password") {
				t.Fatalf("reset-password: %q %v", out, err)
			}
			if _, _, err := runCmd(t, env, "short\n", "user", "reset-password", "-email", "ed@example.org"); err == nil {
				t.Fatal("a too short password was accepted")
			}
		})
	}
}

// freeAddr finds a loopback port for a server under test.
func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeEndToEnd starts the real server as `marquee serve` does, with the
// first-run behaviour, then uses the site over HTTP and stops it gracefully.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "site.db")
	addr := freeAddr(t)
	base := "http://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		var errb bytes.Buffer
		err := run(ctx, []string{"serve", "-addr", addr, "-db", db, "-base-url", base, "-log-level", "warn"},
			func(string) string { return "" }, strings.NewReader(""), outW, &errb)
		outW.Close()
		done <- err
	}()
	printed := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(outR)
		printed <- string(b)
	}()
	var up bool
	for range 100 {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			up = res.StatusCode == 200
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !up {
		cancel()
		t.Fatal("server did not answer /healthz")
	}
	res, err := http.Get(base + "/")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("home: %v", err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "Welcome to your new site") {
		t.Error("demo content missing from the home page")
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	// The API through a token made by the CLI, on the live database.
	out, _, err := runCmd(t, map[string]string{"MARQUEE_DB": db}, "", "token", "create", "-name", "e2e")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out)
	req, _ := http.NewRequest("POST", base+"/api/v1/posts", strings.NewReader(`{"title":"From the API","body":"Line one\nline two","status":"published"}`))
	req.Header.Set("Authorization", "Bearer "+fields[len(fields)-1])
	req.Header.Set("Content-Type", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("api create: %v %v", res.StatusCode, err)
	}
	var created struct{ URL string }
	json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res, err := http.Get(created.URL); err != nil || res.StatusCode != 200 {
		t.Fatalf("created post at %s: %v", created.URL, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("graceful shutdown took too long")
	}
	text := <-printed
	if !strings.Contains(text, "e-mail:   admin@example.com") || !strings.Contains(text, "password: ") {
		t.Errorf("first run did not print the admin login:\n%s", text)
	}
	// A second start prints no new password.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var out2 bytes.Buffer
	go func() {
		time.Sleep(500 * time.Millisecond)
		cancel2()
	}()
	if err := run(ctx2, []string{"serve", "-addr", freeAddr(t), "-db", db}, func(string) string { return "" }, nil, &out2, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out2.String(), "password") {
		t.Error("a second start printed a password again")
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "-base-url", "ftp://x"},
		{"serve", "-trusted-proxies", "not-a-cidr", "-db", filepath.Join(t.TempDir(), "x.db")},
		{"serve", "-log-level", "loud"},
	} {
		_, _, err := runCmd(t, nil, "", args...)
		if err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	_, _, err := runCmd(t, nil, "", "serve", "-db", "/nonexistent-dir/x.db", "-addr", freeAddr(t))
	if err == nil {
		t.Error("an unwritable database path was accepted")
	}
}

// BenchmarkColdStart measures a start to the first 200 from /healthz on a
// site with content (run with -benchtime=10x). MARQUEE_COLDSTART_DB names a
// bigger site to start instead (e.g. one seeded with 10,000 posts by
// go run ./bench/seed -posts 10000).
func BenchmarkColdStart(b *testing.B) {
	db := os.Getenv("MARQUEE_COLDSTART_DB")
	if db == "" {
		db = filepath.Join(b.TempDir(), "site.db")
		// Create the site once.
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(300 * time.Millisecond); cancel() }()
		if err := run(ctx, []string{"serve", "-addr", freeAddr(b), "-db", db}, func(string) string { return "" }, nil, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		addr := freeAddr(b)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "-addr", addr, "-db", db, "-log-level", "error"}, func(string) string { return "" }, nil, io.Discard, io.Discard)
		}()
		for {
			res, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			var ne net.Error
			if err != nil && !errors.As(err, &ne) && !strings.Contains(err.Error(), "refused") {
				b.Fatal(err)
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
