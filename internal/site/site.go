// Package site owns the settings an administrator changes at run time:
// the site's name, its address, how many posts a page shows, its time zone.
package site

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/sqldb"
)

// Settings are the site-wide choices stored in the database.
type Settings struct {
	Title        string
	Tagline      string
	BaseURL      string // empty: the -base-url flag or the request's host
	PostsPerPage int
	TimeZone     string
	Language     string
	Comments     CommentRules
}

// CommentRules are the discussion settings, with WordPress's defaults.
type CommentRules struct {
	RequireNameEmail bool   // a name and an e-mail address are required
	HoldFirstTime    bool   // hold a commenter until one of their comments was approved
	HoldAll          bool   // hold every comment for moderation
	MaxLinks         int    // hold a comment with more links than this
	ModerationWords  string // one per line: a match holds the comment
	DisallowedWords  string // one per line: a match sends it to the trash
	CloseAfterDays   int    // close comments on posts older than this; 0: never
	ThreadDepth      int    // 1 (flat) to 10
	PerPage          int    // top-level comments per page
	NewestFirst      bool   // order of top-level comments
	MaxLength        int    // characters in a comment
	DiscardBlatant   bool   // drop blatant spam instead of keeping it in the spam folder
	SpamFilter       bool   // score comments with the local spam filter
}

// Defaults are the settings of a new site.
func Defaults() Settings {
	return Settings{
		Title:        "Marquee",
		Tagline:      "Stories, notes and replies",
		PostsPerPage: 10,
		TimeZone:     "UTC",
		Language:     "en",
		Comments: CommentRules{RequireNameEmail: true, HoldFirstTime: true, MaxLinks: 2, ThreadDepth: 5,
			PerPage: 50, MaxLength: 5000, SpamFilter: true},
	}
}

// Location is the time zone dates are shown in.
func (s Settings) Location() *time.Location {
	if loc, err := time.LoadLocation(s.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Validate checks every field. All the problems found are joined
// (errors.Join), each an errs.Field, so that a form can mark them all.
func (s *Settings) Validate() error {
	var problems []error
	bad := func(field, format string, args ...any) {
		problems = append(problems, errs.Field(field, format, args...))
	}
	s.Title = strings.TrimSpace(s.Title)
	s.Tagline = strings.TrimSpace(s.Tagline)
	s.BaseURL = strings.TrimRight(strings.TrimSpace(s.BaseURL), "/")
	if s.Title == "" || utf8.RuneCountInString(s.Title) > 200 {
		bad("title", "the site title must have 1 to 200 characters")
	}
	if utf8.RuneCountInString(s.Tagline) > 300 {
		bad("tagline", "the tagline is longer than 300 characters")
	}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("base_url", "the base URL must look like https://example.org")
		}
	}
	if s.PostsPerPage < 1 || s.PostsPerPage > 100 {
		bad("posts_per_page", "posts per page must be between 1 and 100")
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" {
		bad("time_zone", "%q is not a known time zone (try Europe/Paris or UTC)", s.TimeZone)
	}
	if s.Language == "" || len(s.Language) > 20 {
		bad("language", "the language must be a tag such as en or fr")
	}
	c := &s.Comments
	if c.MaxLinks < 0 || c.MaxLinks > 100 {
		bad("comments_max_links", "the link limit must be between 0 and 100")
	}
	if c.CloseAfterDays < 0 || c.CloseAfterDays > 36500 {
		bad("comments_close_after_days", "close after must be between 0 (never) and 36500 days")
	}
	if c.ThreadDepth < 1 || c.ThreadDepth > 10 {
		bad("comments_thread_depth", "the reply depth must be between 1 and 10")
	}
	if c.PerPage < 1 || c.PerPage > 500 {
		bad("comments_per_page", "comments per page must be between 1 and 500")
	}
	if c.MaxLength < 100 || c.MaxLength > 100000 {
		bad("comments_max_length", "the comment length limit must be between 100 and 100000 characters")
	}
	if len(c.ModerationWords) > 64<<10 || len(c.DisallowedWords) > 64<<10 {
		bad("comments_moderation_words", "the word lists are limited to 64 KiB each")
	}
	return errors.Join(problems...)
}

// Words splits a word list setting into its non-empty, lower-cased lines.
func Words(list string) []string {
	var ws []string
	for _, l := range strings.Split(list, "\n") {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			ws = append(ws, l)
		}
	}
	return ws
}

// fields lists every stored setting; a new setting is one line here.
var fields = []Field[Settings]{
	String("title", func(s *Settings) *string { return &s.Title }),
	String("tagline", func(s *Settings) *string { return &s.Tagline }),
	String("base_url", func(s *Settings) *string { return &s.BaseURL }),
	Int("posts_per_page", func(s *Settings) *int { return &s.PostsPerPage }),
	String("time_zone", func(s *Settings) *string { return &s.TimeZone }),
	String("language", func(s *Settings) *string { return &s.Language }),
	Bool("comments_require_name_email", func(s *Settings) *bool { return &s.Comments.RequireNameEmail }),
	Bool("comments_hold_first_time", func(s *Settings) *bool { return &s.Comments.HoldFirstTime }),
	Bool("comments_hold_all", func(s *Settings) *bool { return &s.Comments.HoldAll }),
	Int("comments_max_links", func(s *Settings) *int { return &s.Comments.MaxLinks }),
	String("comments_moderation_words", func(s *Settings) *string { return &s.Comments.ModerationWords }),
	String("comments_disallowed_words", func(s *Settings) *string { return &s.Comments.DisallowedWords }),
	Int("comments_close_after_days", func(s *Settings) *int { return &s.Comments.CloseAfterDays }),
	Int("comments_thread_depth", func(s *Settings) *int { return &s.Comments.ThreadDepth }),
	Int("comments_per_page", func(s *Settings) *int { return &s.Comments.PerPage }),
	Bool("comments_newest_first", func(s *Settings) *bool { return &s.Comments.NewestFirst }),
	Int("comments_max_length", func(s *Settings) *int { return &s.Comments.MaxLength }),
	Bool("comments_discard_blatant", func(s *Settings) *bool { return &s.Comments.DiscardBlatant }),
	Bool("comments_spam_filter", func(s *Settings) *bool { return &s.Comments.SpamFilter }),
}

// Store reads and writes settings, keeping the current ones in memory: they
// are read on every page view.
type Store struct {
	db     *sqldb.DB
	cache  atomic.Pointer[Settings]
	secret atomic.Pointer[[]byte]
	// Changed, when set, is called after settings are saved.
	Changed func(ctx context.Context)
}

// NewStore returns a Store on db.
func NewStore(db *sqldb.DB) *Store { return &Store{db: db} }

// Get returns the current settings.
func (s *Store) Get(ctx context.Context) (Settings, error) {
	if c := s.cache.Load(); c != nil {
		return *c, nil
	}
	st := Defaults()
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		for _, f := range fields {
			if f.Key == k {
				f.Set(&st, v)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	s.cache.Store(&st)
	return st, nil
}

// Save validates and stores all settings at once.
func (s *Store) Save(ctx context.Context, st Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error { return SaveFields(ctx, tx, fields, &st) })
	s.Invalidate()
	if err == nil && s.Changed != nil {
		s.Changed(ctx)
	}
	return err
}

// Invalidate drops the in-memory copy, so the next Get reads the database.
func (s *Store) Invalidate() { s.cache.Store(nil) }

// Configured is the site's address as an operator set it, without a
// trailing slash: the setting when an admin chose one, else the -base-url
// flag, else "" (where no request is at hand to tell, e.g. in mail).
func (s Settings) Configured(flag string) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/")
	}
	return strings.TrimRight(flag, "/")
}

// Base is the site's absolute address without a trailing slash: the
// configured one, else the address the request came to.
func (s Settings) Base(r *http.Request, configured string) string {
	if b := s.Configured(configured); b != "" {
		return b
	}
	scheme := "http"
	if middleware.IsHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Secret returns the site's signing key (form tokens, commenter cookies,
// avatar hashes), creating it on first use. It lives in the database so
// that every process of a site signs alike.
func (s *Store) Secret(ctx context.Context) ([]byte, error) {
	if k := s.secret.Load(); k != nil {
		return *k, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := s.db.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO NOTHING",
		hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'secret_key'").Scan(&v); err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) < 16 {
		return nil, fmt.Errorf("site: the stored secret key is damaged")
	}
	s.secret.Store(&k)
	return k, nil
}
