package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// datetimeLocal is the format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// formatTime shows a time in the site's zone; "" for the zero time.
func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2 Jan 2006, 15:04")
}

// postRow is a line of a post listing.
type postRow struct {
	ID          int64
	Title       string
	Type        string
	Status      string
	AuthorName  string
	Updated     string
	Published   string
	EditURL     string
	CanEdit     bool
	Comments    int    // approved comments
	CommentsURL string // the moderation queue of its comments, for moderators
}

func postRows(ps []*post.Post, u *account.User, loc *time.Location) []postRow {
	rows := make([]postRow, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, postRow{
			ID: p.ID, Title: p.Title, Type: string(p.Type), Status: string(p.Status), AuthorName: p.AuthorName,
			Updated: formatTime(p.UpdatedAt, loc), Published: formatTime(p.PublishedAt, loc),
			EditURL: "/admin/posts/" + strconv.FormatInt(p.ID, 10), CanEdit: u.CanEditPost(p.AuthorID),
			Comments: p.CommentCount,
		})
		if u.CanModerate() {
			rows[len(rows)-1].CommentsURL = "/admin/comments?status=all&post_id=" + strconv.FormatInt(p.ID, 10)
		}
	}
	return rows
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "There is nothing at this address.")
	}
	return id, nil
}

// pageParam reads ?page=, 1 when absent or wrong.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// pager links the pages of a listing, keeping its filters.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newPager(base string, q url.Values, page, perPage, total int) pager {
	pg := pager{Page: page, Total: total, Pages: max(1, (total+perPage-1)/perPage)}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && k != "flash" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if page < pg.Pages {
		pg.Next = link(page + 1)
	}
	return pg
}

func joinTags(tags []post.Tag) string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}
