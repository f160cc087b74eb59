package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/media"
)

// mediaStore serves uploaded images; they live in the database so that
// every process of a site can answer for them.
type mediaStore interface {
	Variant(ctx context.Context, id int64, variant string) (*media.Variant, error)
}

// GET /media/{id}/{variant}/{name} — an uploaded image in one of its sizes,
// cached for a year: an upload never changes under its id.
func (h *Handler) MediaShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || h.Media == nil {
		h.NotFound(w, r)
		return
	}
	v, err := h.Media.Variant(r.Context(), id, r.PathValue("variant"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	etag := `"` + strconv.FormatInt(v.MediaID, 10) + "-" + v.Name + `"`
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", etag)
	if strings.Contains(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", v.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(v.Data)))
	w.Write(v.Data)
}
