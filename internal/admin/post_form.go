package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marquee/internal/account"
	"marquee/internal/errs"
	"marquee/internal/post"
)

// postForm is the editor's form: what the post holds, or what was typed.
type postForm struct {
	ID           int64
	Action       string
	Type         string
	Title        string
	Slug         string
	Format       string
	Body         string
	Excerpt      string
	Tags         string
	Status       string
	PublishedAt  string
	CommentsOpen bool
	TimeZone     string
	Errors       fieldErrors
	ErrorSummary string
	Preview      template.HTML
	ShowPreview  bool
	PublicURL    string
	Statuses     []string
}

func newPostForm(p *post.Post, loc *time.Location) *postForm {
	f := &postForm{ID: p.ID, Type: string(p.Type), Title: p.Title, Slug: p.Slug, Format: string(p.Format),
		Body: p.Body, Excerpt: p.Excerpt, Tags: joinTags(p.Tags), Status: string(p.Status),
		CommentsOpen: p.CommentsOpen}
	if !p.PublishedAt.IsZero() {
		f.PublishedAt = p.PublishedAt.In(loc).Format(datetimeLocal)
	}
	return f
}

// readPostForm takes what was typed, unchanged, so that it can be shown again.
func readPostForm(r *http.Request) *postForm {
	v := r.PostFormValue
	return &postForm{Type: v("type"), Title: v("title"), Slug: strings.TrimSpace(v("slug")), Format: v("format"),
		Body: v("body"), Excerpt: v("excerpt"), Tags: v("tags"), Status: v("status"),
		PublishedAt: strings.TrimSpace(v("published_at")), CommentsOpen: v("comments_open") != ""}
}

// apply copies the form onto p; the time is read in the site's zone.
func (f *postForm) apply(p *post.Post, loc *time.Location) error {
	p.Type = post.Type(f.Type)
	p.Title, p.Slug, p.Body, p.Excerpt = f.Title, f.Slug, f.Body, strings.TrimSpace(f.Excerpt)
	p.Status, p.CommentsOpen = post.Status(f.Status), f.CommentsOpen
	p.Tags = post.SplitTags(f.Tags)
	p.PublishedAt = time.Time{}
	if f.PublishedAt != "" {
		t, err := time.ParseInLocation(datetimeLocal, f.PublishedAt, loc)
		if err != nil {
			t, err = time.ParseInLocation(datetimeLocal+":05", f.PublishedAt, loc)
		}
		if err != nil {
			return errs.Field("published_at", "the publish time must look like 2025-03-01T09:30")
		}
		p.PublishedAt = t.UTC()
	}
	return nil
}

// preview renders the body as saving would, sanitised.
func (h *Handler) preview(format, body string) (template.HTML, error) {
	if post.Format(format) == post.HTML {
		return template.HTML(h.Renderer.HTML(body)), nil
	}
	s, err := h.Renderer.Markdown(body)
	if err != nil {
		return "", errs.Wrap(errs.Invalid, err, "the body could not be rendered")
	}
	// The renderer sanitises: what it returns is safe to show.
	return template.HTML(s), nil
}

// showPostForm renders the editor with status; err, when it concerns the
// input, is shown next to its field.
func (h *Handler) showPostForm(w http.ResponseWriter, r *http.Request, u *account.User, f *postForm, status int, err error) {
	title := "New " + typeLabel(f.Type)
	if f.ID != 0 {
		title = "Edit " + typeLabel(f.Type)
		f.Action = "/admin/posts/" + strconv.FormatInt(f.ID, 10)
	} else {
		f.Action = "/admin/posts"
	}
	p := h.newPage(r, u, title, "posts")
	f.TimeZone = p.Site.TimeZone
	f.Statuses = []string{"draft", "published", "scheduled", "private"}
	if f.Format == "" {
		f.Format = string(post.Markdown)
	}
	if err != nil {
		f.Errors = errs.Fields(err)
		if len(f.Errors) == 0 {
			f.Errors = fieldErrors{"_": errs.Message(err)}
		}
		f.ErrorSummary = "The " + typeLabel(f.Type) + " was not saved: " + errs.Message(err)
		if n := len(f.Errors); n > 1 {
			f.ErrorSummary += fmt.Sprintf(" (%d problems in all, marked below)", n)
		}
	}
	p.Data = f
	h.render(w, r, status, "post_form", p)
}

func typeLabel(t string) string {
	if t == string(post.TypePage) {
		return "page"
	}
	return "post"
}
