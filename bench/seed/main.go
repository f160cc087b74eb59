// Command seed fills a Marquee database with the content of the load test:
// a ~1,000-word post with 100 approved, threaded comments (W1), and enough
// posts for a full home page and feed (W2, W4). It prints the post's path.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"marquee/internal/app"
	"marquee/internal/comment"
	"marquee/internal/post"
)

func main() {
	db := flag.String("db", "bench.db", "database to fill")
	posts := flag.Int("posts", 30, "posts besides the long one")
	flag.Parse()
	if err := run(*db, *posts); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// words is neutral filler: the load test measures the engine, not the text.
var words = strings.Fields(`the light falls on the water and the city goes quiet while two people
walk along the river talking about music and the places they wanted to live when they were young
a piano plays somewhere above the street and the evening turns blue over the roofs`)

func text(n, seed int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			if i%110 == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(words[(i*7+seed)%len(words)])
	}
	return b.String()
}

func run(db string, n int) error {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: db}, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now().UTC()
	for i := range n {
		p := &post.Post{Title: fmt.Sprintf("A post about the city, part %d", i+1), Body: text(400, i), Status: post.Published,
			PublishedAt: now.Add(-time.Duration(i+2) * time.Hour), CommentsOpen: true, Tags: []post.Tag{{Name: "City"}}}
		if err := a.Posts.Create(ctx, p); err != nil {
			return err
		}
	}
	long := &post.Post{Title: "The long review", Body: text(1000, 3), Status: post.Published, PublishedAt: now.Add(-time.Hour),
		CommentsOpen: true, Tags: []post.Tag{{Name: "Film"}, {Name: "Music"}}}
	if err := a.Posts.Create(ctx, long); err != nil {
		return err
	}
	var ids []int64
	for i := range 100 {
		c := &comment.Comment{PostID: long.ID, Author: fmt.Sprintf("Reader %d", i), Email: fmt.Sprintf("reader%d@example.org", i),
			Content: text(40, i), Status: comment.Approved, CreatedAt: now.Add(time.Duration(i-120) * time.Minute)}
		if i%3 != 0 && len(ids) > 0 {
			c.ParentID = ids[len(ids)-1]
		}
		if err := a.Comments.Create(ctx, c, 5); err != nil {
			return err
		}
		ids = append(ids, c.ID)
	}
	fmt.Printf("/%s/ %d\n", long.Slug, long.ID)
	return nil
}
