package wordpress

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"marquee/internal/post"
	"marquee/internal/sqldb"
)

// Redirects answers the addresses a WordPress site had with the Marquee
// addresses of the same posts, pages, categories and tags. The public
// site (web.Deps.Redirects) asks it for every 404 and for WordPress's
// query-string addresses (/?p=, /?page_id=, /?cat=, /?tag=,
// /?attachment_id=).
type Redirects struct {
	DB  *sqldb.DB
	Now func() time.Time // nil: time.Now
}

// NewRedirects returns the redirects recorded in db.
func NewRedirects(db *sqldb.DB) *Redirects { return &Redirects{DB: db} }

// queryKeys are WordPress's query-string addresses, tried in this order.
var queryKeys = []string{"p", "page_id", "attachment_id", "cat", "tag"}

// Redirect returns where r's address moved: a path on this site, or the
// original URL of an attachment. Paths match with or without their
// trailing slash and regardless of case. Posts that readers may not see
// (drafts, private, not yet published) are not revealed.
func (rd *Redirects) Redirect(ctx context.Context, r *http.Request) (string, bool, error) {
	var keys []string
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		for _, k := range queryKeys {
			if v := strings.TrimSpace(q.Get(k)); v != "" {
				keys = append(keys, "?"+k+"="+strings.ToLower(v))
			}
		}
	}
	if k := redirectKey(r.URL.Path); k != "" {
		keys = append(keys, k)
	}
	now := time.Now()
	if rd.Now != nil {
		now = rd.Now()
	}
	for _, k := range keys {
		to, ok, err := rd.lookup(ctx, k, now)
		if err != nil || !ok {
			if err != nil {
				return "", false, err
			}
			continue
		}
		if to == r.URL.Path || (r.URL.RawQuery == "" && redirectKey(to) == redirectKey(r.URL.Path) && !strings.Contains(to, "://")) {
			continue // never send a reader to the address they asked for
		}
		return to, true, nil
	}
	return "", false, nil
}

func (rd *Redirects) lookup(ctx context.Context, key string, now time.Time) (string, bool, error) {
	var kind, to, slug, status, tag string
	var pub sql.NullTime
	err := rd.DB.QueryRowContext(ctx, `SELECT r.kind, r.url, coalesce(p.slug, ''), coalesce(p.status, ''), p.published_at, coalesce(t.slug, '')
		FROM wp_redirects r LEFT JOIN posts p ON p.id = r.post_id LEFT JOIN tags t ON t.id = r.tag_id
		WHERE r.path = $1`, key).Scan(&kind, &to, &slug, &status, &pub, &tag)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	switch kind {
	case "url":
		return to, to != "", nil
	case "tag", "tagfeed":
		if tag == "" {
			return "", false, nil
		}
		to = "/tag/" + url.PathEscape(tag) + "/"
		if kind == "tagfeed" {
			to += "feed/"
		}
		return to, true, nil
	case "post", "feed":
		visible := (status == "published" || status == "scheduled") && pub.Valid && !pub.Time.After(now)
		if slug == "" || !visible {
			return "", false, nil
		}
		if kind == "feed" {
			return post.CommentFeedPath(slug), true, nil
		}
		return post.Path(slug), true, nil
	}
	return "", false, nil
}

// redirectKey normalises an old address for storage and lookup: a path
// without repeated or trailing slashes, in lower case; a query form
// ("?p=1") as it is. The root has no key.
func redirectKey(p string) string {
	if strings.HasPrefix(p, "?") {
		return strings.ToLower(p)
	}
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		b.WriteString(seg)
	}
	return strings.ToLower(b.String())
}
