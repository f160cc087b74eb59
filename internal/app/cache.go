package app

import (
	"context"
	"slices"
	"time"

	"marquee/internal/comment"
	"marquee/internal/pagecache"
	"marquee/internal/post"
	"marquee/internal/web"
)

// Page cache limits: bodies in memory, and how long an entry may live even
// if no change invalidates it (pages show the time of day: "closed after N
// days", scheduled posts).
const (
	PageCacheBytes = 24 << 20
	PageCacheTTL   = 10 * time.Minute
)

// invalidate drops the cached pages showing tags, here at once and in
// every other process of the site through the change feed.
func (a *App) invalidate(ctx context.Context, tags ...string) {
	a.dropCached(tags)
	if err := a.Changes.Publish(ctx, tags...); err != nil {
		a.Log.Warn("publish change", "err", err)
	}
}

// dropCached drops what this process keeps for tags: pages, and the
// settings when the site itself changed.
func (a *App) dropCached(tags []string) {
	if a.Cache != nil {
		a.Cache.Invalidate(tags...)
	}
	if slices.Contains(tags, web.TagSite) {
		a.Settings.Invalidate()
		a.Privacy.Invalidate()
	}
}

// postsChanged keeps the cache exact as posts and pages change: a post
// changes listings, feeds and post pages (their previous/next links); a
// page is in every page's navigation.
func (a *App) postsChanged(ctx context.Context, typ post.Type) {
	if typ == post.TypePost {
		a.invalidate(ctx, web.TagPosts)
		return
	}
	a.invalidate(ctx, web.TagSite, web.TagPosts)
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
	c.Holes, c.Fill = h.Holes, h.Fill
	c.Personal = web.PersonalCookies
	return c
}

// ContentChanged is for commands that change content behind the stores'
// backs (an import): every cached page of the site is dropped.
func (a *App) ContentChanged(ctx context.Context) {
	a.invalidate(ctx, web.TagSite, web.TagPosts, web.TagComments, web.TagCounts)
}
