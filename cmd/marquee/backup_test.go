package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"marquee/internal/app"
	"marquee/internal/post"
)

// TestBackupWhileServingAndRestore takes a backup while posts are being
// written, restores it over a changed site and finds the backed-up content.
func TestBackupWhileServingAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "site.db")
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: db}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		a.Posts.Create(ctx, &post.Post{Title: fmt.Sprint("Before ", i), Body: "x", Status: post.Published})
	}
	// Writers keep going while the backup runs.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a.Posts.Create(ctx, &post.Post{Title: fmt.Sprint("During ", i), Body: "x", Status: post.Published})
			time.Sleep(time.Millisecond)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	backup := filepath.Join(dir, "backup.db")
	out, _, err := runCmd(t, map[string]string{"MARQUEE_DB": db}, "", "backup", backup)
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if _, _, err := runCmd(t, map[string]string{"MARQUEE_DB": db}, "", "backup", backup); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
	_, wantTotal, _ := postsIn(t, backup)
	a.Posts.Create(ctx, &post.Post{Title: "After the backup", Body: "x", Status: post.Published})
	a.Close()

	out, _, err = runCmd(t, nil, "", "restore", "-db", db, backup)
	if err != nil || !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %q %v", out, err)
	}
	titles, total, err := postsIn(t, db)
	if err != nil || total != wantTotal || strings.Contains(titles, "After the backup") || !strings.Contains(titles, "Before 19") {
		t.Logf("titles: %.300s", titles)
		t.Fatalf("after restore: %d posts (want %d), %v", total, wantTotal, err)
	}
	// A file that is not a backup is refused and changes nothing.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all"), 0o600)
	if _, _, err := runCmd(t, nil, "", "restore", "-db", db, junk); err == nil {
		t.Fatal("a junk file was restored")
	}
	if _, total2, _ := postsIn(t, db); total2 != total {
		t.Fatal("a refused restore changed the database")
	}
	if _, _, err := runCmd(t, nil, "", "backup", "-db", "postgres://x@127.0.0.1/none", "out.db"); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
}

func postsIn(t *testing.T, db string) (string, int, error) {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: db}, nil)
	if err != nil {
		return "", 0, err
	}
	defer a.Close()
	ps, total, err := a.Posts.List(context.Background(), post.Filter{Limit: 500, Search: "e"})
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Title + "\n")
	}
	return b.String(), total, err
}
