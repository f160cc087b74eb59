package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"marquee/internal/sqldb/sqldbtest"
)

// TestExclusiveJobs: two handles on one database stand for two processes.
// On PostgreSQL a job running in one is skipped by the other, runs again
// once the first is done, and is freed when the process holding it dies
// (its backend terminated); on SQLite it always runs.
func TestExclusiveJobs(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) { testExclusive(t, dsn) })
	}
}

func testExclusive(t *testing.T, dsn string) {
	ctx := context.Background()
	db := sqldbtest.Open(t, dsn)
	other := db // SQLite: one process writes the file
	pg := db.Dialect.Name() == "postgres"
	if pg {
		other = sqldbtest.Open(t, dsn) // a second pool: another process
	}
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ran, err := db.Exclusive(ctx, "publish-due", func(ctx context.Context) error {
			close(inside)
			<-release
			return nil
		})
		if err == nil && !ran {
			err = errors.New("the first process did not run the job")
		}
		done <- err
	}()
	<-inside
	ran, err := other.Exclusive(ctx, "publish-due", func(context.Context) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if pg && ran {
		t.Error("the job ran in two processes at once")
	}
	if !pg && !ran {
		t.Error("SQLite skipped a job: there is no one else to run it")
	}
	// A different job is not held up.
	if ran, err := other.Exclusive(ctx, "retention", func(context.Context) error { return nil }); err != nil || !ran {
		t.Errorf("another job: ran %v, %v", ran, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ran, err := other.Exclusive(ctx, "publish-due", func(context.Context) error { return nil }); err != nil || !ran {
		t.Errorf("after the first finished: ran %v, %v", ran, err)
	}
	// fn's error comes back.
	boom := errors.New("boom")
	if ran, err := db.Exclusive(ctx, "x", func(context.Context) error { return boom }); !ran || !errors.Is(err, boom) {
		t.Errorf("error of the job: ran %v, %v", ran, err)
	}
	if !pg {
		return
	}

	// The holder dies: its lock goes with its session.
	inside = make(chan struct{})
	stuck := make(chan struct{})
	go db.Exclusive(ctx, "purge-sessions", func(ctx context.Context) error {
		close(inside)
		<-stuck
		return nil
	})
	defer close(stuck)
	<-inside
	var killed int
	err = other.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
			WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
			AND objid = hashtext(current_schema() || '/purge-sessions')::oid`, 0x6d617271).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminate the holder: %d backends, %v", killed, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		ran, err := other.Exclusive(ctx, "purge-sessions", func(context.Context) error { return nil })
		if err == nil && ran {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lock of a dead session was never freed: ran %v, %v", ran, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
