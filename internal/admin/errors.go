package admin

import (
	"encoding/json"
	"errors"
	"net/http"

	"marquee/internal/errs"
)

// This file is the admin's one place where errors become statuses and
// pages; the statuses themselves come from errs.Status.

type errorData struct {
	Status  int
	Heading string
	Message string
	Login   bool // offer the login link
}

// fail shows err as an error page with the status errs.Status gives it.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	err = bodyError(err)
	status := errs.Status(err)
	if status >= 500 {
		h.Log.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	d := errorData{Status: status, Heading: http.StatusText(status), Message: errs.Message(err)}
	switch status {
	case http.StatusNotFound:
		d.Heading = "Not found"
	case http.StatusForbidden:
		d.Heading = "Not allowed"
	case http.StatusUnauthorized:
		d.Heading, d.Login = "Please log in", true
	case http.StatusRequestEntityTooLarge:
		d.Heading = "Too large"
	case http.StatusTooManyRequests:
		d.Heading = "Please wait"
	}
	errs.SetHeaders(w.Header(), err)
	u, _ := h.currentUser(r)
	p := h.newPage(r, u, d.Heading, "")
	p.Data = d
	h.render(w, r, status, "error", p)
}

// failJSON answers the editor's scripts: {"error": "…"} and the status.
func (h *Handler) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	err = bodyError(err)
	status := errs.Status(err)
	if status >= 500 {
		h.Log.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	errs.SetHeaders(w.Header(), err)
	writeJSON(w, status, map[string]string{"error": errs.Message(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// formStatus is the status of a form shown again with its error: 422 for
// input that is wrong, else what errs.Status says (409 for a taken slug).
func formStatus(err error) int {
	if errs.Is(err, errs.Invalid) {
		return http.StatusUnprocessableEntity
	}
	return errs.Status(err)
}

// formError reports whether err belongs next to a form's fields (the person
// can fix it by changing what they typed) and which field it names.
func formError(err error) (field string, ok bool) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return "", false
	}
	switch e.Kind {
	case errs.Invalid, errs.Conflict, errs.TooLarge:
		return e.Field, true
	}
	return "", false
}

// fieldErrors maps a form's field names to their messages.
type fieldErrors map[string]string

// bodyError turns an over-long request body into TooLarge.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.Wrap(errs.TooLarge, err, "what you sent is larger than the limit of %d MiB", mbe.Limit>>20)
	}
	return err
}
