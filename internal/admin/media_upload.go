package admin

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"marquee/internal/errs"
)

// POST /admin/media — uploads an image (multipart, field "file"), read as a
// stream under an 11 MiB limit. The editor's script gets JSON
// {id, url, markdown}; a plain form (a browser asking for HTML) goes back
// to the media page.
func (h *Handler) MediaUpload(w http.ResponseWriter, r *http.Request) {
	html := strings.Contains(r.Header.Get("Accept"), "text/html")
	fail := h.failJSON
	if html {
		fail = h.fail
	}
	u, err := h.currentUser(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		fail(w, r, errs.Field("file", "send the image as multipart/form-data in the field “file”"))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			fail(w, r, errs.Field("file", "choose an image to upload"))
			return
		}
		if err != nil {
			if bodyError(err) == err {
				err = errs.Wrap(errs.Invalid, err, "the upload could not be read")
			}
			fail(w, r, err)
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		m, err := h.Media.Upload(r.Context(), u.ID, part.FileName(), part)
		part.Close()
		if err != nil {
			fail(w, r, err)
			return
		}
		if html {
			http.Redirect(w, r, "/admin/media?flash=uploaded", http.StatusSeeOther)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"id": m.ID, "url": m.URL(bestVariant(m.Has)), "markdown": m.Markdown()})
		return
	}
}

// bestVariant is the size posts show: large when there is one.
func bestVariant(has func(string) bool) string {
	if has("large") {
		return "large"
	}
	return "original"
}
