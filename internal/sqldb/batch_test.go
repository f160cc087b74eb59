package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestBatchIsolatesFailures: many concurrent writes share transactions, yet
// each one that succeeded is committed and each one that failed left
// nothing behind.
func TestBatchIsolatesFailures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 200)
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Batch(ctx, func(tx *sql.Tx) error {
					if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2)", fmt.Sprint("k", i), "v"); err != nil {
						return err
					}
					switch i % 10 {
					case 3:
						return errors.New("refused") // its insert must roll back alone
					case 7:
						panic("boom")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var n int
			db.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE key = $1", fmt.Sprint("k", i)).Scan(&n)
			failed := i%10 == 3 || i%10 == 7
			if failed != (err != nil) {
				t.Fatalf("write %d: error %v", i, err)
			}
			if failed && n != 0 || !failed && n != 1 {
				t.Fatalf("write %d (failed=%v): %d rows", i, failed, n)
			}
		}
	})
}
