package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements by their text. Parsing SQL was a
// third of the CPU time of a comment post before it; a *sql.Stmt is safe
// for concurrent use and prepares itself on each connection once.
type stmtCache struct {
	pool    *sql.DB
	mu      sync.RWMutex
	m       map[string]*sql.Stmt
	pending map[string]bool // being prepared in the background (peek)
}

// maxStmts bounds the cache: queries built at run time (IN lists of any
// length) must not grow it without end; past the bound they run unprepared.
const maxStmts = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, n := c.m[query], len(c.m)
	c.mu.RUnlock()
	if st != nil || n >= maxStmts {
		return st
	}
	// Prepared without the lock held: preparing may wait for the writer
	// connection, and whoever holds it may be looking in the cache.
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the caller runs it unprepared and reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[query]; old != nil || len(c.m) >= maxStmts {
		st.Close()
		return old
	}
	c.m[query] = st
	return st
}

// peek returns query's statement if it is cached, and otherwise has it
// prepared in the background, for a caller inside a transaction: the
// transaction holds the writer connection, so preparing on the pool now
// could wait for the caller itself.
func (c *stmtCache) peek(query string) *sql.Stmt {
	c.mu.RLock()
	st, pending := c.m[query], c.pending[query]
	c.mu.RUnlock()
	if st != nil || pending {
		return st
	}
	c.mu.Lock()
	if c.pending[query] || c.m[query] != nil || len(c.m) >= maxStmts {
		c.mu.Unlock()
		return nil
	}
	c.pending[query] = true
	c.mu.Unlock()
	go func() {
		c.get(context.Background(), query)
		c.mu.Lock()
		delete(c.pending, query)
		c.mu.Unlock()
	}()
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}
