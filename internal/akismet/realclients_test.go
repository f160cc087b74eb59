package akismet

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestRealClients runs the npm clients akismet-api 6 and @cedx/akismet 16
// (clients/akismet-node, restored with `npm ci` there) against the API on a
// real database and real HTTP.
func TestRealClients(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the real-client test needs Node 20+")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "clients", "akismet-node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "akismet-api")); err != nil {
		t.Skip("clients/akismet-node/node_modules is missing: run `npm ci --prefix clients/akismet-node` first")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db, Config{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "test/")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "MARQUEE_AKISMET_URL="+e.srv.URL, "MARQUEE_AKISMET_KEY="+e.key, "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node --test: %v\n%s", err, out)
		}
		t.Logf("node --test:\n%s", out)
	})
}
