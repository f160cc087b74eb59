package change_test

import (
	"context"
	"slices"
	"testing"

	"marquee/internal/change"
	"marquee/internal/sqldb/sqldbtest"
)

// Two feeds on one database stand for two processes.
func TestFeedAcrossProcesses(t *testing.T) {
	for name, dsn := range sqldbtest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a := change.New(sqldbtest.Open(t, dsn))
			b := change.New(sqldbtest.Open(t, dsn))
			a.Publish(ctx, "old")
			if err := b.Start(ctx); err != nil {
				t.Fatal(err)
			}
			var got []string
			collect := func(tags []string) { got = append(got, tags...) }
			a.Publish(ctx, "post:1", "counts")
			a.Publish(ctx, "site")
			if err := b.Follow(ctx, collect); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{"post:1", "counts", "site"}) {
				t.Fatalf("followed %v: a change before Start, or one missed", got)
			}
			got = nil
			b.Follow(ctx, collect)
			if len(got) != 0 {
				t.Fatalf("changes applied twice: %v", got)
			}
		})
	}
}
