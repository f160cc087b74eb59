package akismet

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// KeyLen is the length of a key: 12 lower-case hexadecimal characters, like
// Akismet's own, so that a key fits in a DNS label and in every client's
// idea of what a key looks like.
const KeyLen = 12

// Key is an API key as stored. The key itself is never stored: only its
// SHA-256 and its first characters (Prefix), to tell keys apart.
type Key struct {
	ID        int64
	Prefix    string
	Blog      string
	CreatedAt time.Time
	RevokedAt *time.Time
	Calls     int64 // this month's comment-check calls (Keys only)
}

// Revoked reports whether the key was revoked.
func (k *Key) Revoked() bool { return k.RevokedAt != nil }

// Model names the key's own spam model.
func (k *Key) Model() string { return "akismet:" + strconv.FormatInt(k.ID, 10) }

// Usage counts a key's use of the API on one site in one month.
type Usage struct {
	Calls          int64 // comment-check calls (spam + ham)
	Spam           int64 // comment-check answered true
	Ham            int64 // comment-check answered false
	MissedSpam     int64 // submit-spam calls
	FalsePositives int64 // submit-ham calls
}

func (u *Usage) add(d Usage) {
	u.Calls += d.Calls
	u.Spam += d.Spam
	u.Ham += d.Ham
	u.MissedSpam += d.MissedSpam
	u.FalsePositives += d.FalsePositives
}

// SiteUsage is one site's line in key-sites.
type SiteUsage struct {
	Site string
	Usage
}

// Store keeps the keys and their usage. Usage counts are buffered in memory
// and written at most every FlushEvery (and before every read of them), so
// that comment-check does not wait for a disk write; a crash loses at most
// that much of the counts, never a key or a learning decision.
type Store struct {
	db *sqldb.DB
	// FlushEvery is how long counts wait in memory before they are written.
	FlushEvery time.Duration

	mu      sync.Mutex
	pending map[usageKey]Usage
	timer   *time.Timer
	closed  bool
	flushMu sync.Mutex // one flush at a time
}

type usageKey struct {
	keyID       int64
	month, site string
}

// NewStore returns a Store on db.
func NewStore(db *sqldb.DB) *Store {
	return &Store{db: db, FlushEvery: time.Second, pending: map[usageKey]Usage{}}
}

// NewKey returns a fresh random key.
func NewKey() string {
	b := make([]byte, KeyLen/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// NormalizeKey lower-cases a key as a client sent it and reports whether it
// has the form of a key (lower-case letters and digits, at most 64).
func NormalizeKey(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 64 {
		return "", false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return "", false
		}
	}
	return s, true
}

// AddKey creates a key for blog and returns the key, shown only this once.
func (s *Store) AddKey(ctx context.Context, blog string) (string, *Key, error) {
	blog = strings.TrimSpace(blog)
	if err := checkBlogURL(blog); err != nil {
		return "", nil, err
	}
	key := NewKey()
	k := &Key{Prefix: key[:4], Blog: blog, CreatedAt: sqldb.Now()}
	err := s.db.WriteQueryRow(ctx, `INSERT INTO akismet_keys (key_hash, key_prefix, blog, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, hashKey(key), k.Prefix, k.Blog, k.CreatedAt).Scan(&k.ID)
	if err != nil {
		return "", nil, s.db.Err(err, "that key exists already; try again")
	}
	return key, k, nil
}

const keyCols = "id, key_prefix, blog, created_at, revoked_at"

func scanKey(row interface{ Scan(...any) error }, extra ...any) (*Key, error) {
	k := &Key{}
	if err := row.Scan(append([]any{&k.ID, &k.Prefix, &k.Blog, &k.CreatedAt, &k.RevokedAt}, extra...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "no such key")
		}
		return nil, err
	}
	return k, nil
}

// Lookup finds a key, revoked or not; an unknown key is errs.NotFound.
func (s *Store) Lookup(ctx context.Context, key string) (*Key, error) {
	key, ok := NormalizeKey(key)
	if !ok {
		return nil, errs.E(errs.NotFound, "no such key")
	}
	return scanKey(s.db.QueryRowContext(ctx, "SELECT "+keyCols+" FROM akismet_keys WHERE key_hash = $1", hashKey(key)))
}

// Revoke revokes a key: every call with it is answered invalid from now on.
func (s *Store) Revoke(ctx context.Context, key string) (*Key, error) {
	k, err := s.Lookup(ctx, key)
	if err != nil {
		return nil, err
	}
	return s.RevokeID(ctx, k.ID)
}

// RevokeID revokes the key with the given id (as Keys lists it).
func (s *Store) RevokeID(ctx context.Context, id int64) (*Key, error) {
	if _, err := s.db.ExecContext(ctx, "UPDATE akismet_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
		sqldb.Now(), id); err != nil {
		return nil, err
	}
	return scanKey(s.db.QueryRowContext(ctx, "SELECT "+keyCols+" FROM akismet_keys WHERE id = $1", id))
}

// Keys lists every key, oldest first, with its calls in month ("YYYY-MM").
func (s *Store) Keys(ctx context.Context, month string) ([]*Key, error) {
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.key_prefix, k.blog, k.created_at, k.revoked_at,
		CAST(coalesce((SELECT sum(u.calls) FROM akismet_usage u WHERE u.key_id = k.id AND u.month = $1), 0) AS BIGINT)
		FROM akismet_keys k ORDER BY k.id`, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ks []*Key
	for rows.Next() {
		var calls int64
		k, err := scanKey(rows, &calls)
		if err != nil {
			return nil, err
		}
		k.Calls = calls
		ks = append(ks, k)
	}
	return ks, rows.Err()
}

// Month is the "YYYY-MM" of t in UTC, the unit of usage counts.
func Month(t time.Time) string { return t.UTC().Format("2006-01") }

// Count adds d to a key's usage on site in month. It returns at once; the
// counts reach the database within FlushEvery.
func (s *Store) Count(keyID int64, month, site string, d Usage) {
	k := usageKey{keyID, month, site}
	s.mu.Lock()
	u := s.pending[k]
	u.add(d)
	s.pending[k] = u
	s.scheduleLocked()
	s.mu.Unlock()
}

// scheduleLocked arms the flush timer unless it is armed. s.mu is held.
func (s *Store) scheduleLocked() {
	if s.timer != nil || s.closed {
		return
	}
	s.timer = time.AfterFunc(s.FlushEvery, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s.Flush(ctx) // on failure the counts stay pending for the next try
	})
}

// Flush writes the buffered counts. Call it before shutting down.
func (s *Store) Flush(ctx context.Context) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	batch := s.pending
	s.pending = map[usageKey]Usage{}
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for k, u := range batch {
			if _, err := tx.ExecContext(ctx, `INSERT INTO akismet_usage
				(key_id, month, site, calls, spam, ham, missed_spam, false_positives)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (key_id, month, site) DO UPDATE SET
				calls = akismet_usage.calls + excluded.calls,
				spam = akismet_usage.spam + excluded.spam,
				ham = akismet_usage.ham + excluded.ham,
				missed_spam = akismet_usage.missed_spam + excluded.missed_spam,
				false_positives = akismet_usage.false_positives + excluded.false_positives`,
				k.keyID, k.month, k.site, u.Calls, u.Spam, u.Ham, u.MissedSpam, u.FalsePositives); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Put the batch back, so the counts are written by a later flush.
		s.mu.Lock()
		for k, u := range batch {
			p := s.pending[k]
			p.add(u)
			s.pending[k] = p
		}
		s.scheduleLocked()
		s.mu.Unlock()
	}
	return err
}

// Close writes the buffered counts and stops the flush timer; counts made
// after it are written only by an explicit Flush. Call it at shutdown,
// before the database closes.
func (s *Store) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return s.Flush(ctx)
}

// MonthCalls is a key's comment-check calls in month, over all its sites.
func (s *Store) MonthCalls(ctx context.Context, keyID int64, month string) (int64, error) {
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT CAST(coalesce(sum(calls), 0) AS BIGINT) FROM akismet_usage
		WHERE key_id = $1 AND month = $2`, keyID, month).Scan(&n)
	return n, err
}

// SitesQuery selects and orders a key's sites for key-sites.
type SitesQuery struct {
	Month         string // "YYYY-MM"
	Filter        string // part of the site's name; "" = all
	Order         string // total (default), spam, ham, missed_spam, false_positives
	Limit, Offset int
}

var siteOrders = map[string]string{
	"": "calls", "total": "calls", "spam": "spam", "ham": "ham",
	"missed_spam": "missed_spam", "false_positives": "false_positives",
}

// Sites lists a key's sites in a month, busiest first, and how many match.
func (s *Store) Sites(ctx context.Context, keyID int64, q SitesQuery) ([]SiteUsage, int, error) {
	col, ok := siteOrders[q.Order]
	if !ok {
		return nil, 0, errs.Field("order", "order must be total, spam, ham, missed_spam or false_positives")
	}
	if err := s.Flush(ctx); err != nil {
		return nil, 0, err
	}
	filter := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q.Filter)) + "%"
	where := `FROM akismet_usage WHERE key_id = $1 AND month = $2 AND site LIKE $3 ESCAPE '\'`
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) "+where, keyID, q.Month, filter).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT site, calls, spam, ham, missed_spam, false_positives `+where+
		` ORDER BY `+col+` DESC, site LIMIT $4 OFFSET $5`, keyID, q.Month, filter, q.Limit, q.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []SiteUsage{}
	for rows.Next() {
		var u SiteUsage
		if err := rows.Scan(&u.Site, &u.Calls, &u.Spam, &u.Ham, &u.MissedSpam, &u.FalsePositives); err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// checkBlogURL accepts the address of a site: http or https, with a host,
// no credentials, no spaces.
func checkBlogURL(blog string) error {
	const msg = "give the blog's address, such as https://shop.example.com/"
	if blog == "" {
		return errs.Field("blog", "%s", msg)
	}
	if len(blog) > 500 {
		return errs.Field("blog", "the blog's address is limited to 500 characters")
	}
	u, err := url.Parse(blog)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
		strings.ContainsAny(blog, " \t\r\n") {
		shown := []rune(blog)
		if len(shown) > 80 {
			shown = append(shown[:80], '…')
		}
		return errs.Field("blog", "%q is not a web address: %s", string(shown), msg)
	}
	return nil
}
