package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Group commit. On SQLite every commit waits for an fsync (about a
// millisecond here), and there is one writer: committed one by one, writes
// top out near a thousand a second. Batch gathers the writes that arrive
// while a commit is under way into the next transaction, each in its own
// savepoint, so that one fsync makes many of them durable at once. Each
// caller still hears of its own write only after that write is on disk,
// and a write that fails rolls back alone.

// maxBatch bounds how many writes share one transaction.
const maxBatch = 256

type batchItem struct {
	fn   func(tx *sql.Tx) error
	done chan error
}

type batcher struct {
	db     *DB
	ch     chan *batchItem
	mu     sync.RWMutex // held for reading while sending, for writing to close
	closed bool
	wg     sync.WaitGroup
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, ch: make(chan *batchItem, maxBatch)}
	b.wg.Add(1)
	go b.loop()
	return b
}

// Batch runs fn in a write transaction shared with other concurrent
// callers (SQLite) or in a transaction of its own (PostgreSQL, whose
// connections commit in parallel). fn must only use tx: it may run after
// other callers' work in the same transaction.
func (db *DB) Batch(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.batch == nil {
		return db.Tx(ctx, func(tx *sql.Tx) error { return call(fn, tx) })
	}
	it := &batchItem{fn: fn, done: make(chan error, 1)}
	db.batch.mu.RLock()
	if db.batch.closed {
		db.batch.mu.RUnlock()
		return fmt.Errorf("sqldb: database closed")
	}
	select {
	case db.batch.ch <- it:
	case <-ctx.Done():
		db.batch.mu.RUnlock()
		return ctx.Err()
	}
	db.batch.mu.RUnlock()
	// Wait whatever ctx says: once queued, the write may commit.
	return <-it.done
}

func (b *batcher) loop() {
	defer b.wg.Done()
	for first := range b.ch {
		items := []*batchItem{first}
	gather:
		for len(items) < maxBatch {
			select {
			case it, ok := <-b.ch:
				if !ok {
					break gather
				}
				items = append(items, it)
			default:
				break gather
			}
		}
		b.run(items)
	}
}

func (b *batcher) run(items []*batchItem) {
	ctx := context.Background()
	tx, err := b.db.write.BeginTx(ctx, nil)
	if err != nil {
		for _, it := range items {
			it.done <- b.db.wrap(err)
		}
		return
	}
	var ok []*batchItem
	// One savepoint name serves every item: each is released before the
	// next begins, and the three statements stay prepared.
	for _, it := range items {
		if _, err := b.db.TxExec(ctx, tx, "SAVEPOINT item"); err != nil {
			it.done <- err
			continue
		}
		if err := call(it.fn, tx); err != nil {
			b.db.TxExec(ctx, tx, "ROLLBACK TO item")
			b.db.TxExec(ctx, tx, "RELEASE item")
			it.done <- err
			continue
		}
		if _, err := b.db.TxExec(ctx, tx, "RELEASE item"); err != nil {
			it.done <- err
			continue
		}
		ok = append(ok, it)
	}
	err = b.db.wrap(tx.Commit())
	for _, it := range ok {
		it.done <- err
	}
}

// call runs fn, turning a panic into an error for its caller alone.
func call(fn func(*sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqldb: panic in a batched write: %v", p)
		}
	}()
	return fn(tx)
}

func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.ch)
	}
	b.mu.Unlock()
	b.wg.Wait()
}
