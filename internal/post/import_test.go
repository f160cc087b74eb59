package post_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"marquee/internal/errs"
	"marquee/internal/post"
	"marquee/internal/sqldb"
	"marquee/internal/sqldb/sqldbtest"
)

// TestCreateTxForImports covers what imports need: their own times, a
// taken slug made unique, many tags, and the WordPress fields.
func TestCreateTxForImports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, author := newStore(t, db)
		created := time.Date(2011, 3, 4, 5, 6, 7, 0, time.UTC)
		updated := created.Add(48 * time.Hour)
		var parent, child, clash *post.Post
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			parent = &post.Post{Type: post.TypePage, Title: "About", Slug: "about", Format: post.HTML, Body: "<p>Hi</p>",
				Status: post.Published, PublishedAt: created, CreatedAt: created, UpdatedAt: updated, AuthorID: author, MenuOrder: 3}
			if err := s.CreateTx(ctx, tx, parent, post.CreateOptions{KeepTimes: true, UniqueSlug: true}); err != nil {
				return err
			}
			var tags []post.Tag
			for i := range 60 {
				tags = append(tags, post.Tag{Name: "tag " + string(rune('a'+i%26)) + string(rune('a'+i/26))})
			}
			child = &post.Post{Type: post.TypePage, Title: "Team", Slug: "team", Body: "x", Status: post.Published, ParentID: parent.ID,
				Sticky: true, Password: "open sesame", Excerpt: "secret teaser", Tags: tags}
			if err := s.CreateTx(ctx, tx, child, post.CreateOptions{MaxTags: 100}); err != nil {
				return err
			}
			clash = &post.Post{Title: "Another about", Slug: "about", Body: "x"}
			return s.CreateTx(ctx, tx, clash, post.CreateOptions{UniqueSlug: true})
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.ByID(ctx, parent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !p.CreatedAt.Equal(created) || !p.UpdatedAt.Equal(updated) || p.MenuOrder != 3 {
			t.Errorf("kept times: created %v, updated %v, order %d", p.CreatedAt, p.UpdatedAt, p.MenuOrder)
		}
		c, err := s.ByID(ctx, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.ParentID != parent.ID || !c.Sticky || c.Password != "open sesame" || len(c.Tags) != 60 {
			t.Errorf("child: parent %d, sticky %v, password %q, %d tags", c.ParentID, c.Sticky, c.Password, len(c.Tags))
		}
		if c.Summary != post.ProtectedSummary {
			t.Errorf("a protected post's summary is %q", c.Summary)
		}
		if clash.Slug != "about-2" {
			t.Errorf("taken slug became %q, want about-2", clash.Slug)
		}
		// Update keeps the fields; the API's tag limit still applies there.
		c.Tags = c.Tags[:2]
		c.Sticky = false
		if err := s.Update(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c2, _ := s.ByID(ctx, c.ID); c2.ParentID != parent.ID || c2.Sticky || c2.Password != "open sesame" {
			t.Errorf("after update: %+v", c2)
		}
		// Without UniqueSlug a taken slug is still a conflict, and Create's rules hold.
		if err := s.Create(ctx, &post.Post{Title: "x", Slug: "about", Body: "x"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("taken slug: %v", err)
		}
		if err := s.Create(ctx, &post.Post{Title: "x", Body: "x", Password: string(make([]byte, 300))}); !errs.Is(err, errs.Invalid) {
			t.Errorf("long password: %v", err)
		}
		err = db.Tx(ctx, func(tx *sql.Tx) error { return s.SetParentTx(ctx, tx, parent.ID, parent.ID) })
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("own parent: %v", err)
		}
	})
}
