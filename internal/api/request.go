package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"marquee/internal/errs"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// decode reads the request's JSON object into dst, which must be a pointer
// to a struct, then runs the checks. Whatever is wrong with the body becomes an error a person
// understands: which field, which position, what was expected.
func decode(w http.ResponseWriter, r *http.Request, dst any, checks ...func() error) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return errUnsupportedMedia
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return &errs.Error{Kind: errs.TooLarge, Message: "the request body is larger than 1 MiB"}
		}
		return errs.Wrap(errs.Invalid, err, "the request body could not be read")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return errs.E(errs.Invalid, "the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(b, dst, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(b, int(dec.InputOffset()))
		return errs.E(errs.Invalid, "the body must hold a single JSON object, but more follows it (line %d, column %d)", line, col)
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// jsonError turns what encoding/json reports into an errs error.
func jsonError(b []byte, dst any, err error) error {
	if e, ok := errors.AsType[*errs.Error](err); ok {
		return e // from a field's own UnmarshalJSON
	}
	if e, ok := errors.AsType[*json.SyntaxError](err); ok {
		line, col := position(b, int(e.Offset))
		return errs.E(errs.Invalid, "the body is not valid JSON: %s (line %d, column %d)", e.Error(), line, col)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := position(b, len(b))
		return errs.E(errs.Invalid, "the body is not valid JSON: it ends before the object is complete (line %d, column %d)", line, col)
	}
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if e.Field == "" {
			return errs.E(errs.Invalid, "the body must be a JSON object, not %s", article(e.Value))
		}
		return errs.Field(e.Field, "%s must be %s, not %s", e.Field, expected(dst, e.Field), article(e.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			name = n
		}
		return errs.Field(name, "unknown field %q; the fields are %s", name, strings.Join(fieldNames(dst), ", "))
	}
	return errs.Wrap(errs.Invalid, err, "the body is not valid JSON")
}

// position turns a byte offset into a 1-based line and column.
func position(b []byte, off int) (line, col int) {
	off = min(max(off, 0), len(b))
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// article names a JSON value kind as encoding/json reports it ("number",
// "number 1.5", "string", …) for a sentence.
func article(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + v
	case "bool":
		return "true or false"
	}
	return "a " + v
}

// expected describes, for a person, the JSON a field of dst takes.
func expected(dst any, field string) string {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "another type"
	}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == field {
			return describe(f.Type)
		}
	}
	return "another type"
}

func describe(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(describe(t.Elem()), "a "), "an ") + "s"
	}
	return "an object"
}

// fieldNames lists the JSON names of dst's fields, for "unknown field".
func fieldNames(dst any) []string {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var names []string
	if t.Kind() != reflect.Struct {
		return names
	}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// timeField is an optional, nullable RFC 3339 time in a request: absent
// (Set false), null or "" (Set, Zero), or a time. It knows its JSON name so
// that its errors name it.
type timeField struct {
	Set  bool
	Time time.Time // zero for null
}

func (f *timeField) UnmarshalJSON(b []byte) error {
	f.Set, f.Time = true, time.Time{}
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errs.Field("published_at", "published_at must be a date and time in RFC 3339 format, such as 2025-05-01T09:30:00Z, or null")
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return errs.Field("published_at", "published_at %q is not a date and time in RFC 3339 format, such as 2025-05-01T09:30:00Z", s)
	}
	f.Time = t
	return nil
}

// queryInt reads an integer query parameter within [lo, hi] (no upper
// bound when hi is 0), or def when the parameter is absent.
func queryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || (hi > 0 && n > hi) {
		if hi <= 0 {
			return 0, errs.Field(name, "%s must be a whole number of at least %d, not %q", name, lo, s)
		}
		return 0, errs.Field(name, "%s must be a whole number from %d to %d, not %q", name, lo, hi, s)
	}
	return n, nil
}

// pathID reads the {id} of the path; anything but a positive integer names
// nothing that exists.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "no such %s", what)
	}
	return id, nil
}
