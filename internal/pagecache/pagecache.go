// Package pagecache keeps rendered public pages and feeds in memory, so that
// a flood of readers costs a map lookup rather than a render. Entries carry
// tags naming what they show ("post:12", "posts", "site"…); a change
// invalidates exactly the entries tagged with what changed. Requests of
// logged-in writers and of commenters with personal cookies are never
// served from, or stored in, the cache.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one cached response, as rendered (before per-request splicing).
type Entry struct {
	Body        []byte
	parts       [][]byte // Body between its holes
	keys        []string // the holes' keys
	gz          []piece  // parts, compressed once
	ContentType string
	ETag        string
	Modified    time.Time
	tags        []string
	key         string
	expires     time.Time
}

// Cache is safe for concurrent use.
type Cache struct {
	// Holes finds the per-request parts of a body (the reply form's
	// token): the body is parts[0] + hole 0 + parts[1] + …, each hole named
	// by a key. nil: bodies have no holes.
	Holes func(body []byte) (parts [][]byte, keys []string)
	// Fill gives a hole's content for a request.
	Fill func(r *http.Request, key string) string
	// Personal names the cookies that make a request personal.
	Personal []string

	maxBytes int64
	ttl      time.Duration
	now      func() time.Time

	mu      sync.Mutex
	entries map[string]*Entry
	byTag   map[string]map[string]struct{}
	order   []string // insertion order, for eviction
	size    int64
	gen     uint64 // bumped by every invalidation: a render that started before it is not stored

	hits, misses uint64
}

// New keeps at most maxBytes of bodies, each for at most ttl.
func New(maxBytes int64, ttl time.Duration) *Cache {
	return &Cache{maxBytes: maxBytes, ttl: ttl, now: time.Now,
		entries: map[string]*Entry{}, byTag: map[string]map[string]struct{}{}}
}

type ctxKey struct{}

// capture is how a handler hands its rendered response to the cache.
type capture struct {
	c   *Cache
	key string
	gen uint64
}

// Store is called by handlers with a response that may be cached under the
// request's key, with the tags of what it shows. Requests that are not
// cacheable carry no capture and the call does nothing.
func Store(ctx context.Context, contentType string, body []byte, tags ...string) {
	cp, ok := ctx.Value(ctxKey{}).(*capture)
	if !ok || len(tags) == 0 {
		return
	}
	cp.c.put(cp.key, cp.gen, &Entry{Body: bytes.Clone(body), ContentType: contentType, tags: tags})
}

func (c *Cache) put(key string, gen uint64, e *Entry) {
	sum := sha256.Sum256(e.Body)
	e.ETag = `W/"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	e.parts, e.keys = [][]byte{e.Body}, nil
	if c.Holes != nil {
		e.parts, e.keys = c.Holes(e.Body)
	}
	e.gz = compressPieces(e.parts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // something changed while this was rendered: it may be stale
	}
	now := c.now()
	e.key, e.Modified, e.expires = key, now.Truncate(time.Second), now.Add(c.ttl)
	c.remove(key)
	c.entries[key] = e
	c.order = append(c.order, key)
	c.size += e.bytes()
	for _, t := range e.tags {
		if c.byTag[t] == nil {
			c.byTag[t] = map[string]struct{}{}
		}
		c.byTag[t][key] = struct{}{}
	}
	for c.size > c.maxBytes && len(c.order) > 0 {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.remove(oldest)
	}
	if len(c.order) > 4*len(c.entries)+64 {
		live := c.order[:0]
		for _, k := range c.order {
			if _, ok := c.entries[k]; ok {
				live = append(live, k)
			}
		}
		c.order = live
	}
}

// remove drops key; c.mu is held.
func (c *Cache) remove(key string) {
	e, ok := c.entries[key]
	if !ok {
		return
	}
	delete(c.entries, key)
	c.size -= e.bytes()
	for _, t := range e.tags {
		delete(c.byTag[t], key)
	}
}

// bytes is what an entry holds in memory: the page and its compressed pieces.
func (e *Entry) bytes() int64 {
	n := len(e.Body)
	for _, p := range e.gz {
		n += len(p.flat)
	}
	return int64(n)
}

func (c *Cache) get(key string) (*Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && c.now().After(e.expires) {
		c.remove(key)
		ok = false
	}
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return e, ok
}

// Invalidate drops every entry carrying one of tags.
func (c *Cache) Invalidate(tags ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, t := range tags {
		for key := range c.byTag[t] {
			c.remove(key)
		}
		delete(c.byTag, t)
	}
}

// Stats reports hits, misses, entries and bytes held.
func (c *Cache) Stats() (hits, misses uint64, entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, len(c.entries), c.size
}

// personal reports whether r must bypass the cache.
func (c *Cache) personal(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	for _, name := range c.Personal {
		if ck, err := r.Cookie(name); err == nil && ck.Value != "" {
			return true
		}
	}
	return false
}

// Handler serves hits from the cache and lets next render the misses (which
// call Store to fill it).
func (c *Cache) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.personal(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := r.Host + " " + r.URL.RequestURI()
		if e, ok := c.get(key); ok {
			c.serve(w, r, e)
			return
		}
		c.mu.Lock()
		gen := c.gen
		c.mu.Unlock()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, &capture{c: c, key: key, gen: gen})))
	})
}

// serve writes a hit: 304 when the reader has it, else the body, spliced
// and compressed when the reader accepts gzip.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *Entry) {
	h := w.Header()
	h.Set("ETag", e.ETag)
	h.Set("Last-Modified", e.Modified.UTC().Format(http.TimeFormat))
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, e.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", e.ContentType)
	h.Set("X-Cache", "hit")
	fills := make([]string, len(e.keys))
	for i, k := range e.keys {
		fills[i] = c.Fill(r, k)
	}
	// A known length saves chunked encoding on every response, and one
	// Write of the whole body lets net/http send it in two system calls
	// (headers with the first bytes, then the rest) where writing part by
	// part took four: on a 120 KB page the calls, not the copying, were the
	// cost (bench/run.sh W1).
	buf := bodyPool.Get().(*[]byte)
	b := (*buf)[:0]
	if acceptsGzip(r) && len(e.Body) >= 1024 {
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		b = appendGzip(b, e.gz, fills)
	} else {
		for i, p := range e.parts {
			b = append(b, p...)
			if i < len(fills) {
				b = append(b, fills[i]...)
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	if cap(b) <= maxPooled {
		*buf = b
		bodyPool.Put(buf)
	}
}

// bodyPool holds the buffers hits are assembled in; larger ones are left
// to the collector.
var bodyPool = sync.Pool{New: func() any { return new([]byte) }}

const maxPooled = 1 << 20

func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

var gzipPool = sync.Pool{New: func() any {
	z, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return z
}}

// WriteCompressed writes a body of about size bytes with status, through
// write, gzipped when the client accepts it and the body is worth it. The
// caller has set Content-Type.
func WriteCompressed(w http.ResponseWriter, r *http.Request, status, size int, write func(io.Writer)) {
	if size < 1024 || !acceptsGzip(r) {
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			write(w)
		}
		return
	}
	h := w.Header()
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	h.Del("Content-Length")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	z := gzipPool.Get().(*gzip.Writer)
	z.Reset(w)
	write(z)
	z.Close()
	gzipPool.Put(z)
}
