package admin

import (
	"net/http"
	"strconv"

	"marquee/internal/media"
)

const mediaPerPage = 24

type mediaItem struct {
	ID        int64
	Filename  string
	Thumb     string
	URL       string
	Markdown  string
	Size      string
	Uploaded  string
	CanDelete bool
}

type mediaData struct {
	Items []mediaItem
	Pager pager
}

// GET /admin/media — the uploaded images with their Markdown snippets, and
// an upload form that works without JavaScript.
func (h *Handler) MediaList(w http.ResponseWriter, r *http.Request) {
	u, ok := h.user(w, r)
	if !ok {
		return
	}
	page := pageParam(r)
	ms, total, err := h.Media.List(r.Context(), mediaPerPage, (page-1)*mediaPerPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, u, "Media", "media")
	loc := p.Site.Location()
	var d mediaData
	for _, m := range ms {
		o := m.Size(media.Original)
		d.Items = append(d.Items, mediaItem{
			ID: m.ID, Filename: m.Filename, Thumb: m.URL("thumb"), URL: m.URL(bestVariant(m.Has)), Markdown: m.Markdown(),
			Size:     strconv.Itoa(o.Width) + " × " + strconv.Itoa(o.Height),
			Uploaded: formatTime(m.CreatedAt, loc), CanDelete: ownAll(u) || m.UploaderID == u.ID,
		})
	}
	d.Pager = newPager("/admin/media", r.URL.Query(), page, mediaPerPage, total)
	p.Data = d
	h.render(w, r, http.StatusOK, "media", p)
}
