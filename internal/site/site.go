// Package site owns the settings an administrator changes at run time:
// the site's name, its address, how many posts a page shows, its time zone.
package site

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
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
}

// Defaults are the settings of a new site.
func Defaults() Settings {
	return Settings{
		Title:        "Marquee",
		Tagline:      "Stories, notes and replies",
		PostsPerPage: 10,
		TimeZone:     "UTC",
		Language:     "en",
	}
}

// Location is the time zone dates are shown in.
func (s Settings) Location() *time.Location {
	if loc, err := time.LoadLocation(s.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Validate checks every field and names the first that is wrong.
func (s *Settings) Validate() error {
	s.Title = strings.TrimSpace(s.Title)
	s.Tagline = strings.TrimSpace(s.Tagline)
	s.BaseURL = strings.TrimRight(strings.TrimSpace(s.BaseURL), "/")
	if s.Title == "" || utf8.RuneCountInString(s.Title) > 200 {
		return errs.Field("title", "the site title must have 1 to 200 characters")
	}
	if utf8.RuneCountInString(s.Tagline) > 300 {
		return errs.Field("tagline", "the tagline is longer than 300 characters")
	}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errs.Field("base_url", "the base URL must look like https://example.org")
		}
	}
	if s.PostsPerPage < 1 || s.PostsPerPage > 100 {
		return errs.Field("posts_per_page", "posts per page must be between 1 and 100")
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" {
		return errs.Field("time_zone", "%q is not a known time zone (try Europe/Paris or UTC)", s.TimeZone)
	}
	if s.Language == "" || len(s.Language) > 20 {
		return errs.Field("language", "the language must be a tag such as en or fr")
	}
	return nil
}

func (s Settings) pairs() map[string]string {
	return map[string]string{
		"title":          s.Title,
		"tagline":        s.Tagline,
		"base_url":       s.BaseURL,
		"posts_per_page": strconv.Itoa(s.PostsPerPage),
		"time_zone":      s.TimeZone,
		"language":       s.Language,
	}
}

func (s *Settings) set(key, value string) {
	switch key {
	case "title":
		s.Title = value
	case "tagline":
		s.Tagline = value
	case "base_url":
		s.BaseURL = value
	case "posts_per_page":
		if n, err := strconv.Atoi(value); err == nil {
			s.PostsPerPage = n
		}
	case "time_zone":
		s.TimeZone = value
	case "language":
		s.Language = value
	}
}

// Store reads and writes settings, keeping the current ones in memory: they
// are read on every page view.
type Store struct {
	db    *sqldb.DB
	cache atomic.Pointer[Settings]
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
		st.set(k, v)
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
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for k, v := range st.pairs() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	s.Invalidate()
	return err
}

// Invalidate drops the in-memory copy, so the next Get reads the database.
func (s *Store) Invalidate() { s.cache.Store(nil) }

// Base is the site's absolute address without a trailing slash: the
// setting when an admin chose one, else the -base-url flag, else the
// address the request came to.
func (s Settings) Base(r *http.Request, configured string) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	scheme := "http"
	if middleware.IsHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
