package app

import (
	"context"
	"time"

	"marquee/internal/comment"
	"marquee/internal/pagecache"
	"marquee/internal/web"
)

// Page cache limits: bodies in memory, and how long an entry may live even
// if no change invalidates it (pages show the time of day: "closed after N
// days", scheduled posts).
const (
	PageCacheBytes = 32 << 20
	PageCacheTTL   = 10 * time.Minute
)

// invalidate drops the cached pages showing tags, in this process and,
// on PostgreSQL, in every other process of the site.
func (a *App) invalidate(ctx context.Context, tags ...string) {
	if a.Cache != nil {
		a.Cache.Invalidate(tags...)
	}
}

// cacheWatcher keeps the page cache exact as comments change: a comment
// entering or leaving the approved state changes its post's page, the
// comment feeds and the reply counts of listings; nothing else does.
type cacheWatcher struct{ a *App }

func (w cacheWatcher) Changed(ctx context.Context, c *comment.Comment, from comment.Status) {
	if from == comment.Approved || c.Status == comment.Approved {
		w.a.invalidate(ctx, web.TagPost(c.PostID), web.TagComments, web.TagCounts)
	}
}

func newPageCache(h *web.Handler) *pagecache.Cache {
	c := pagecache.New(PageCacheBytes, PageCacheTTL)
	c.Splice = h.Splice
	c.Personal = web.PersonalCookies
	return c
}
