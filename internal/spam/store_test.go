package spam_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestStoreLearnsAcrossProcesses: two Stores on one database stand for two
// processes; a decision taken on one changes the other's verdict after Sync,
// and a restart (a new Store) comes back with what was learned.
func TestStoreLearnsAcrossProcesses(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a := spam.NewStore(sqldbtest.Open(t, dsn))
			b := spam.NewStore(sqldbtest.Open(t, dsn))
			a.SnapshotEvery = 3
			campaign := func(i int) spam.Sample {
				return spam.Sample{Author: "Best Deals", Content: fmt.Sprintf("Wonderful zorblax gadget offer number %d, only today at zorblax-deals dot shop", i)}
			}
			fb, err := b.Filter(ctx, spam.SiteModel)
			if err != nil {
				t.Fatal(err)
			}
			before := fb.Check(campaign(99), spam.History{})
			for i := range 6 {
				if err := a.Learn(ctx, spam.SiteModel, campaign(i), true); err != nil {
					t.Fatal(err)
				}
			}
			fa, _ := a.Filter(ctx, spam.SiteModel)
			if r := fa.Check(campaign(7), spam.History{}); !r.IsSpam() {
				t.Fatalf("the learning process does not catch the campaign: %+v", r)
			}
			if err := b.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			after := fb.Check(campaign(99), spam.History{})
			if !after.IsSpam() || after.Score <= before.Score {
				t.Fatalf("the other process did not learn: before %.3f %s, after %.3f %s", before.Score, before.Verdict, after.Score, after.Verdict)
			}
			// A restart: snapshot plus replayed events.
			c := spam.NewStore(sqldbtest.Open(t, dsn))
			fc, err := c.Filter(ctx, spam.SiteModel)
			if err != nil {
				t.Fatal(err)
			}
			if r := fc.Check(campaign(99), spam.History{}); math.Abs(r.Score-after.Score) > 1e-3 || r.Verdict != after.Verdict {
				t.Fatalf("after restart score %.4f, want %.4f", r.Score, after.Score)
			}
			// Reset returns everyone to the starter model.
			if err := a.Reset(ctx, spam.SiteModel); err != nil {
				t.Fatal(err)
			}
			b.Sync(ctx)
			if r := fb.Check(campaign(99), spam.History{}); math.Abs(r.Score-before.Score) > 1e-3 {
				t.Fatalf("after reset score %.4f, want the starter's %.4f", r.Score, before.Score)
			}
			// Pruning keeps what no snapshot holds yet, and drops the rest.
			a.Snapshot(ctx, spam.SiteModel)
			a.Learn(ctx, spam.SiteModel, campaign(50), true) // after the snapshot
			pruned, err := a.Prune(ctx, time.Now().Add(time.Hour))
			if err != nil || pruned == 0 {
				t.Fatalf("prune: %d %v", pruned, err)
			}
			if sp, _, _ := a.Events(ctx, spam.SiteModel); sp != 1 {
				t.Fatalf("%d spam events left, want the 1 after the snapshot", sp)
			}
			n, err := a.Forget(ctx, "")
			if err != nil || n != 0 {
				t.Fatalf("forget empty: %d %v", n, err)
			}
			var db *sqldb.DB = sqldbtest.Open(t, dsn)
			a.Learn(ctx, spam.SiteModel, spam.Sample{Email: "gone@example.org", Content: "hello"}, false)
			if n, _ := a.Forget(ctx, "gone@example.org"); n != 1 {
				t.Fatalf("forget removed %d events", n)
			}
			var left int
			db.QueryRowContext(ctx, "SELECT count(*) FROM spam_events WHERE email = 'gone@example.org'").Scan(&left)
			if left != 0 {
				t.Fatal("erased address still stored")
			}
		})
	}
}
