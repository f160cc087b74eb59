package admin

import (
	"net/http"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/post"
)

type statusCount struct {
	Status string
	Count  int
	URL    string
}

type typeCounts struct {
	Label  string
	Type   string
	Total  int
	Counts []statusCount
}

type dashboardData struct {
	Types    []typeCounts
	Drafts   []postRow
	Comments []statusCount // for moderators: the queue's states
	Pending  int
}

var statuses = []post.Status{post.Published, post.Scheduled, post.Draft, post.Private}

// GET /admin/ — the dashboard: how many posts and pages there are in each
// status, the latest drafts, the comments awaiting moderation (for those who
// moderate), and the way to everything else.
func (h *Handler) Dashboard(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p := h.newPage(r, u, "Dashboard", "dashboard")
	var d dashboardData
	for _, t := range []struct {
		typ   post.Type
		label string
	}{{post.TypePost, "Posts"}, {post.TypePage, "Pages"}} {
		m, err := h.Posts.Count(ctx, t.typ)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		tc := typeCounts{Label: t.label, Type: string(t.typ)}
		for _, s := range statuses {
			tc.Counts = append(tc.Counts, statusCount{Status: string(s), Count: m[s],
				URL: "/admin/posts?type=" + string(t.typ) + "&status=" + string(s)})
			tc.Total += m[s]
		}
		d.Types = append(d.Types, tc)
	}
	f := post.Filter{Status: post.Draft, Limit: 5}
	if !ownAll(u) {
		f.AuthorID = u.ID
	}
	drafts, _, err := h.Posts.List(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Drafts = postRows(drafts, u, p.Site.Location())
	if u.CanModerate() && h.Comments != nil {
		m, err := h.Comments.Counts(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, s := range []comment.Status{comment.Pending, comment.Approved, comment.Spam, comment.Trash} {
			d.Comments = append(d.Comments, statusCount{Status: string(s), Count: m[s], URL: "/admin/comments?status=" + string(s)})
		}
		d.Pending = m[comment.Pending]
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "dashboard", p)
}

// ownAll reports whether u sees every writer's posts in the admin; authors
// see only their own.
func ownAll(u *account.User) bool { return u.Role == account.Admin || u.Role == account.Editor }
