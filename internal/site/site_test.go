package site_test

import (
	"context"
	"testing"

	"marquee/internal/errs"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

func TestSettingsRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := site.NewStore(db)
		st, err := s.Get(ctx)
		if err != nil || st != site.Defaults() {
			t.Fatalf("a new site's settings: %+v %v", st, err)
		}
		st.Title, st.PostsPerPage, st.TimeZone = "My Blog", 7, "Europe/Paris"
		st.Comments.HoldAll, st.Comments.ModerationWords = true, "casino\npills"
		changed := 0
		s.Changed = func(context.Context) { changed++ }
		if err := s.Save(ctx, st); err != nil || changed != 1 {
			t.Fatalf("save: %v (changed %d)", err, changed)
		}
		// Another process (another Store) reads what was saved.
		got, err := site.NewStore(db).Get(ctx)
		if err != nil || got != st {
			t.Fatalf("read back %+v, want %+v (%v)", got, st, err)
		}
		for _, bad := range []func(*site.Settings){
			func(s *site.Settings) { s.Title = "" },
			func(s *site.Settings) { s.PostsPerPage = 0 },
			func(s *site.Settings) { s.TimeZone = "Mars/Olympus" },
			func(s *site.Settings) { s.BaseURL = "ftp://x" },
			func(s *site.Settings) { s.Comments.ThreadDepth = 11 },
		} {
			b := st
			bad(&b)
			if err := s.Save(ctx, b); !errs.Is(err, errs.Invalid) {
				t.Errorf("invalid settings saved: %+v (%v)", b, err)
			}
		}
		if got, _ := s.Get(ctx); got != st {
			t.Fatal("a refused save changed the settings")
		}
		if words := site.Words(st.Comments.ModerationWords); len(words) != 2 || words[1] != "pills" {
			t.Fatalf("words: %v", words)
		}
		// One secret for every process of the site.
		a, err := s.Secret(ctx)
		b, err2 := site.NewStore(db).Secret(ctx)
		if err != nil || err2 != nil || len(a) < 16 || string(a) != string(b) {
			t.Fatal("processes disagree on the site's secret")
		}
	})
}
