// Package demo holds the content a new site starts with, written by us to
// show what Marquee's Markdown can do. It is seeded once, on an empty site.
package demo

import (
	"context"
	"embed"
	"time"

	"marquee/internal/post"
)

//go:embed content/*.md
var content embed.FS

type item struct {
	file  string
	title string
	typ   post.Type
	tags  []string
	age   time.Duration // published this long before the seed
}

var items = []item{
	{"showcase.md", "Everything Markdown can do here", post.TypePost, []string{"Marquee", "Writing"}, 72 * time.Hour},
	{"evening.md", "An evening walk, in verse", post.TypePost, []string{"Poetry"}, 48 * time.Hour},
	{"replies.md", "Replies without a third party", post.TypePost, []string{"Marquee", "Privacy"}, 24 * time.Hour},
	{"welcome.md", "Welcome to your new site", post.TypePost, []string{"Marquee"}, time.Hour},
	{"about.md", "About", post.TypePage, nil, 96 * time.Hour},
}

// Creator stores posts.
type Creator interface {
	Create(ctx context.Context, p *post.Post) error
}

// Seed creates the demo posts and page as authorID.
func Seed(ctx context.Context, posts Creator, authorID int64, now time.Time) error {
	for _, it := range items {
		body, err := content.ReadFile("content/" + it.file)
		if err != nil {
			return err
		}
		p := &post.Post{Type: it.typ, Title: it.title, Body: string(body), AuthorID: authorID,
			Status: post.Published, PublishedAt: now.Add(-it.age), CommentsOpen: true}
		for _, t := range it.tags {
			p.Tags = append(p.Tags, post.Tag{Name: t})
		}
		if err := posts.Create(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
