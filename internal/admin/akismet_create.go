package admin

import (
	"net/http"
	"net/url"
	"strings"

	"marquee/internal/errs"
)

// POST /admin/akismet — adds an Akismet API key for a blog's URL; the key
// is shown once, only its hash is stored. A URL that is not one shows the
// form again, 422, with what was typed.
func (h *Handler) AkismetCreate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.akismetAdmin(w, r)
	if !ok {
		return
	}
	blog := strings.TrimSpace(r.PostFormValue("blog"))
	err := checkBlogURL(blog)
	var key string
	if err == nil {
		key, _, err = h.Akismet.AddKey(r.Context(), blog)
	}
	if err != nil {
		field, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.showAkismet(w, r, u, blog, formStatus(err), fieldErrors{field: errs.Message(err)})
		return
	}
	p := h.newPage(r, u, "Akismet key created", "akismet")
	p.Data = secretData{
		Heading: "Akismet key created",
		Intro: "For " + blog + ". Clients send it as the api_key field to " +
			strings.TrimSuffix(p.SiteURL, "/") + "/1.1/ instead of rest.akismet.com.",
		Label: "Key", Secret: key,
		Note: "Copy it now: it is not shown again (only its hash is stored). Revoke it here when it is no longer needed.",
		Back: "Back to Akismet keys", BackTo: "/admin/akismet",
	}
	h.render(w, r, http.StatusCreated, "secret", p)
}

// checkBlogURL accepts the address of a site: http or https, with a host
// and nothing else before it, as the blog field of Akismet calls carries.
func checkBlogURL(blog string) error {
	const msg = "give the blog's address, such as https://shop.example.com/"
	if blog == "" {
		return errs.Field("blog", "%s", msg)
	}
	if len(blog) > 500 {
		return errs.Field("blog", "the blog's address is limited to 500 characters")
	}
	u, err := url.Parse(blog)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
		strings.ContainsAny(blog, " \t\r\n") {
		return errs.Field("blog", "%q is not a web address: %s", truncateRunes(blog, 80), msg)
	}
	return nil
}

// truncateRunes cuts s to n characters for a message.
func truncateRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
