package web

import (
	"bytes"
	"context"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/site"
)

// A commenter may edit or delete their own comment for a short while after
// posting it (the privacy policy's EditWindowMinutes; 0 turns this off).
// Which comments are theirs is remembered in the browser only: ownCookie
// holds "id:created-id:created…" (created in Unix seconds), signed with the
// site secret like the held cookie, for at most maxOwn comments and for as
// long as the window. An entry counts only when its creation time is the
// stored comment's, so a stale entry never grants a later comment that got
// the same id. The cookie makes requests personal (PersonalCookies): pages
// showing the Edit and Delete links are never cached.
const ownCookie = "marquee_own"

// maxOwn is how many recent comments the cookie remembers.
const maxOwn = 20

// ownEntry is one comment the cookie says this browser posted.
type ownEntry struct {
	ID      int64
	Created int64 // Unix seconds, the comment's CreatedAt
}

// ownEntries reads the signed list of the visitor's recent comments; a
// forged or tampered cookie counts as none.
func ownEntries(key []byte, r *http.Request) []ownEntry {
	c, err := r.Cookie(ownCookie)
	if err != nil {
		return nil
	}
	v, ok := verify(key, "own", c.Value)
	if !ok || v == "" {
		return nil
	}
	var es []ownEntry
	for _, s := range strings.Split(v, "-") {
		a, b, ok := strings.Cut(s, ":")
		if !ok {
			continue
		}
		id, err1 := strconv.ParseInt(a, 10, 64)
		at, err2 := strconv.ParseInt(b, 10, 64)
		if err1 == nil && err2 == nil && id > 0 {
			es = append(es, ownEntry{ID: id, Created: at})
		}
	}
	return es
}

// openEntries keeps the entries whose window is still open at now.
func openEntries(es []ownEntry, now time.Time, window time.Duration) []ownEntry {
	var out []ownEntry
	for _, e := range es {
		if now.Before(time.Unix(e.Created, 0).Add(window)) {
			out = append(out, e)
		}
	}
	return out
}

// setOwn writes the list back, or drops the cookie when it is empty.
func setOwn(w http.ResponseWriter, r *http.Request, key []byte, es []ownEntry, window time.Duration) {
	if len(es) == 0 {
		clearCookie(w, r, ownCookie)
		return
	}
	if len(es) > maxOwn {
		es = es[len(es)-maxOwn:]
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = strconv.FormatInt(e.ID, 10) + ":" + strconv.FormatInt(e.Created, 10)
	}
	setCookie(w, r, ownCookie, sign(key, "own", strings.Join(parts, "-")), window)
}

// editWindow is how long after posting a commenter may change their
// comment; 0: not at all.
func (h *Handler) editWindow(ctx context.Context) (time.Duration, error) {
	pol, err := h.policy(ctx)
	if err != nil {
		return 0, err
	}
	return time.Duration(pol.EditWindowMinutes) * time.Minute, nil
}

// rememberOwn marks c, just posted by an anonymous visitor, as theirs in
// ownCookie. Failing to remember is logged and otherwise ignored: the
// comment is stored either way.
func (h *Handler) rememberOwn(w http.ResponseWriter, r *http.Request, c *comment.Comment) {
	if c.UserID != 0 || (c.Status != comment.Approved && c.Status != comment.Pending) {
		return // writers edit in the admin; spam and trash are not shown
	}
	ctx := r.Context()
	window, err := h.editWindow(ctx)
	if err != nil || window <= 0 {
		if err != nil {
			h.Log.Warn("edit window", "err", err)
		}
		return
	}
	key, err := h.Settings.Secret(ctx)
	if err != nil {
		h.Log.Warn("remember own comment", "err", err)
		return
	}
	es := openEntries(ownEntries(key, r), h.Now(), window)
	es = append(es, ownEntry{ID: c.ID, Created: c.CreatedAt.Unix()})
	setOwn(w, r, key, es, window)
}

// owned is the visitor's comments that are still open for changes, for
// marking them in a thread.
type owned struct {
	created map[int64]int64
	window  time.Duration
	now     time.Time
}

// ownedNow reads the visitor's own comments; it costs nothing (not even the
// policy) when the request carries no ownCookie.
func (h *Handler) ownedNow(r *http.Request, key []byte) owned {
	if _, err := r.Cookie(ownCookie); err != nil {
		return owned{}
	}
	window, err := h.editWindow(r.Context())
	if err != nil || window <= 0 {
		return owned{}
	}
	o := owned{created: map[int64]int64{}, window: window, now: h.Now()}
	for _, e := range ownEntries(key, r) {
		o.created[e.ID] = e.Created
	}
	return o
}

// left is how long the visitor may still change c; 0 when they may not.
func (o owned) left(c *comment.Comment) time.Duration {
	at, ok := o.created[c.ID]
	if !ok || at != c.CreatedAt.Unix() || (c.Status != comment.Approved && c.Status != comment.Pending) {
		return 0
	}
	return max(time.Unix(at, 0).Add(o.window).Sub(o.now), 0)
}

// minutesLeft rounds up, so that an open window never reads "0 minutes".
func minutesLeft(d time.Duration) int { return int(math.Ceil(d.Minutes())) }

// editPath is the address of the edit page of comment id.
func editPath(id int64) string { return "/comments/" + strconv.FormatInt(id, 10) + "/edit" }

// Why a visitor may not change a comment.
const (
	msgNotYours   = "Only the person who wrote a comment can edit or delete it, for a short while after posting it and from the same browser."
	msgTimePassed = "The time to edit this comment has passed."
	msgNoEditing  = "Comments cannot be edited or deleted after posting on this site."
	msgNotShown   = "This comment can no longer be changed."
)

// ownership is what ownComment proves about a comment.
type ownership struct {
	C      *comment.Comment
	Left   time.Duration // until the window closes
	Key    []byte        // the site secret
	Window time.Duration
}

// ownComment loads the comment of the request's {id} and checks that this
// browser posted it and that its window is still open. Every refusal is a
// Forbidden error with a message for the visitor (see refuse).
func (h *Handler) ownComment(r *http.Request) (*ownership, error) {
	ctx := r.Context()
	window, err := h.editWindow(ctx)
	if err != nil {
		return nil, err
	}
	if window <= 0 {
		return nil, errs.E(errs.Forbidden, msgNoEditing)
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errs.E(errs.NotFound, "no such comment")
	}
	key, err := h.Settings.Secret(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Comments.ByID(ctx, id)
	if errs.Is(err, errs.NotFound) {
		// Held comments are not public: their ids are not confirmed either.
		return nil, errs.E(errs.Forbidden, msgNotYours)
	}
	if err != nil {
		return nil, err
	}
	now := h.Now()
	closes := c.CreatedAt.Add(window)
	mine := false
	for _, e := range ownEntries(key, r) {
		if e.ID == c.ID && e.Created == c.CreatedAt.Unix() {
			mine = true
		}
	}
	switch {
	case !now.Before(closes):
		// Also for a browser whose cookie has expired with the window.
		return nil, errs.E(errs.Forbidden, msgTimePassed)
	case !mine:
		return nil, errs.E(errs.Forbidden, msgNotYours)
	case c.Status != comment.Approved && c.Status != comment.Pending:
		return nil, errs.E(errs.Forbidden, msgNotShown)
	}
	return &ownership{C: c, Left: closes.Sub(now), Key: key, Window: window}, nil
}

// refuse answers a visitor who may not change a comment with a 403 page
// saying why; any other error goes to fail.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if errs.KindOf(err) != errs.Forbidden {
		h.fail(w, r, err)
		return
	}
	st, serr := h.Settings.Get(r.Context())
	if serr != nil {
		st = site.Defaults()
	}
	const heading = "You cannot change this comment"
	p := h.newPage(r, st, heading)
	p.Robots = "noindex"
	p.Data = errorData{Status: http.StatusForbidden, Heading: heading, Message: errs.Message(err)}
	w.Header().Set("Cache-Control", "private, no-store")
	h.render(w, r, http.StatusForbidden, "error", p)
}

// editTemplate is the edit page. It is parsed here, at start-up, rather
// than in New's list, so that this feature stays in its own files.
var editTemplate = template.Must(template.New("comment_edit").ParseFS(templateFS, "templates/layout.html", "templates/comment_edit.html"))

// editData fills the edit page.
type editData struct {
	ID           int64
	Action       string // POST: save
	DeleteAction string // POST: delete
	CancelURL    string // back to the comment
	Comment      string
	MaxLength    int
	Minutes      int // left in the window, rounded up
	Held         bool
	Error        string
}

// renderEdit renders the edit page; it is personal, so it is never cached
// (no cache tags, and no-store for the browser's and proxies' caches).
func (h *Handler) renderEdit(w http.ResponseWriter, r *http.Request, status int, st site.Settings, d editData) {
	p := h.newPage(r, st, "Edit your comment")
	p.Robots = "noindex"
	p.Data = d
	var buf bytes.Buffer
	if err := editTemplate.ExecuteTemplate(&buf, "layout", p); err != nil {
		h.Log.Error("render", "template", "comment_edit", "path", r.URL.Path, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	h.emit(w, r, status, "text/html; charset=utf-8", buf.Bytes(), nil)
}
