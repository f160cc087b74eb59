package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marquee/internal/comment"
	"marquee/internal/errs"
)

type queueTab struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

type commentsData struct {
	Tabs       []queueTab
	Status     string
	PostID     int64
	PostTitle  string
	AllPosts   string // the same tab without the post filter
	Q          string
	Rows       []commentRow
	Pager      pager
	Bulk       []actionButton
	Back       string // this page's address, where its forms return
	EmptyLabel string // "Empty spam" on the spam and trash tabs
}

// queueTabs are the states of the queue, in the order of its tabs.
var queueTabs = []struct{ status, label string }{
	{"pending", "Pending"}, {"approved", "Approved"}, {"spam", "Spam"}, {"trash", "Trash"}, {"all", "All"},
}

// GET /admin/comments — the moderation queue: a tab per state with its
// count (?status=, pending by default), filtered by ?post_id= and ?q= (in
// the author, e-mail address, URL, text or IP address), 50 a page, with
// bulk and per-comment actions and a reply form under each comment.
func (h *Handler) CommentsList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.moderator(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	d := commentsData{Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q"))}
	if _, ok := bulkActions[d.Status]; !ok {
		d.Status = "pending"
	}
	if len(d.Q) > 200 {
		d.Q = d.Q[:200]
	}
	if id, err := strconv.ParseInt(q.Get("post_id"), 10, 64); err == nil && id > 0 {
		d.PostID = id
		p, err := h.Posts.ByID(ctx, id)
		switch {
		case err == nil:
			d.PostTitle = p.Title
		case errs.Is(err, errs.NotFound):
			d.PostTitle = "post " + strconv.FormatInt(id, 10) + " (deleted)"
		default:
			h.fail(w, r, err)
			return
		}
	}
	link := func(status string, postID int64, page int) string {
		v := url.Values{}
		v.Set("status", status)
		if postID != 0 {
			v.Set("post_id", strconv.FormatInt(postID, 10))
		}
		if d.Q != "" {
			v.Set("q", d.Q)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "/admin/comments?" + v.Encode()
	}
	counts, err := h.Comments.Counts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, t := range queueTabs {
		n := counts[comment.Status(t.status)]
		if t.status == "all" {
			n = 0
			for _, c := range counts {
				n += c
			}
		}
		d.Tabs = append(d.Tabs, queueTab{Label: t.label, Count: n, URL: link(t.status, d.PostID, 1), Current: t.status == d.Status})
	}
	if d.PostID != 0 {
		d.AllPosts = link(d.Status, 0, 1)
	}

	page := pageParam(r)
	f := comment.Filter{Status: comment.Status(d.Status), PostID: d.PostID, Search: d.Q, Limit: commentsPerPage}
	f.Offset = (page - 1) * commentsPerPage
	cs, total, err := h.Comments.List(ctx, f)
	if err == nil && len(cs) == 0 && total > 0 && page > 1 {
		// The page emptied (its comments were moderated away): show the last.
		page = (total + commentsPerPage - 1) / commentsPerPage
		f.Offset = (page - 1) * commentsPerPage
		cs, total, err = h.Comments.List(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, u, "Comments", "comments")
	d.Rows, err = h.commentRows(ctx, cs, p.Site.Base(r, h.BaseURL), p.Site.Location())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Back = link(d.Status, d.PostID, page)
	pv := url.Values{"status": {d.Status}, "q": {d.Q}}
	if d.PostID != 0 {
		pv.Set("post_id", strconv.FormatInt(d.PostID, 10))
	}
	d.Pager = newPager("/admin/comments", pv, page, commentsPerPage, total)
	d.Bulk = buttons(bulkActions[d.Status])
	switch {
	case d.Status == "spam" && counts[comment.Spam] > 0:
		d.EmptyLabel = "Empty spam"
	case d.Status == "trash" && counts[comment.Trash] > 0:
		d.EmptyLabel = "Empty trash"
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "comments", p)
}
