package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"marquee/internal/errs"
	"marquee/internal/site"
)

// POST /admin/settings — saves the settings; errors show the form again,
// 422, with what was typed. The discussion settings are read when the form
// carries them (its hidden "discussion" field), so that a form without them
// leaves them as they are.
func (h *Handler) SettingsSave(w http.ResponseWriter, r *http.Request) {
	u, ok := h.admin(w, r)
	if !ok {
		return
	}
	v := r.PostFormValue
	f := &settingsForm{Title: v("title"), Tagline: v("tagline"), BaseURL: v("base_url"),
		PostsPerPage: strings.TrimSpace(v("posts_per_page")), TimeZone: strings.TrimSpace(v("time_zone")), Language: strings.TrimSpace(v("language"))}
	st, err := h.Settings.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	withComments := v("discussion") != ""
	if withComments {
		f.Comments = readDiscussionForm(r)
	} else {
		f.Comments = newSettingsForm(st).Comments
	}
	st.Title, st.Tagline, st.BaseURL, st.TimeZone = f.Title, f.Tagline, f.BaseURL, f.TimeZone
	if f.Language != "" {
		st.Language = f.Language
	}
	// Every problem at once: what does not parse, and what Validate finds
	// in the rest.
	var problems []error
	if n, err := strconv.Atoi(f.PostsPerPage); err != nil {
		problems = append(problems, errs.Field("posts_per_page", "posts per page must be a whole number between 1 and 100"))
	} else {
		st.PostsPerPage = n
	}
	if withComments {
		problems = append(problems, f.Comments.apply(&st.Comments))
	}
	err = errors.Join(problems...)
	if err != nil {
		err = errors.Join(err, st.Validate())
	} else {
		err = h.Settings.Save(r.Context(), st)
	}
	if err != nil {
		if _, ok := formError(err); !ok {
			h.fail(w, r, err)
			return
		}
		p := h.newPage(r, u, "Settings", "settings")
		p.Error = "The settings were not saved: " + errs.Message(err)
		f.Errors = errs.Fields(err)
		if len(f.Errors) > 1 {
			p.Error += fmt.Sprintf(" (%d problems in all, marked below)", len(f.Errors))
		}
		p.Data = f
		h.render(w, r, formStatus(err), "settings", p)
		return
	}
	http.Redirect(w, r, "/admin/settings?flash=settings", http.StatusSeeOther)
}

func readDiscussionForm(r *http.Request) discussionForm {
	v := r.PostFormValue
	words := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	return discussionForm{
		RequireNameEmail: v("comments_require_name_email") != "", HoldFirstTime: v("comments_hold_first_time") != "",
		HoldAll: v("comments_hold_all") != "", NewestFirst: v("comments_newest_first") != "",
		SpamFilter: v("comments_spam_filter") != "", DiscardBlatant: v("comments_discard_blatant") != "",
		MaxLinks: strings.TrimSpace(v("comments_max_links")), CloseAfterDays: strings.TrimSpace(v("comments_close_after_days")),
		ThreadDepth: strings.TrimSpace(v("comments_thread_depth")), PerPage: strings.TrimSpace(v("comments_per_page")),
		MaxLength:       strings.TrimSpace(v("comments_max_length")),
		ModerationWords: words(v("comments_moderation_words")), DisallowedWords: words(v("comments_disallowed_words")),
	}
}

// apply copies the form onto c; the ranges are checked by site.Settings.Validate.
func (f discussionForm) apply(c *site.CommentRules) error {
	c.RequireNameEmail, c.HoldFirstTime, c.HoldAll, c.NewestFirst = f.RequireNameEmail, f.HoldFirstTime, f.HoldAll, f.NewestFirst
	c.SpamFilter, c.DiscardBlatant = f.SpamFilter, f.DiscardBlatant
	c.ModerationWords, c.DisallowedWords = f.ModerationWords, f.DisallowedWords
	var problems []error
	for _, n := range []struct {
		field, label, value string
		dst                 *int
	}{
		{"comments_max_links", "the link limit", f.MaxLinks, &c.MaxLinks},
		{"comments_close_after_days", "close after", f.CloseAfterDays, &c.CloseAfterDays},
		{"comments_thread_depth", "the reply depth", f.ThreadDepth, &c.ThreadDepth},
		{"comments_per_page", "comments per page", f.PerPage, &c.PerPage},
		{"comments_max_length", "the comment length limit", f.MaxLength, &c.MaxLength},
	} {
		x, err := strconv.Atoi(n.value)
		if err != nil {
			problems = append(problems, errs.Field(n.field, "%s must be a whole number", n.label))
			continue
		}
		*n.dst = x
	}
	return errors.Join(problems...)
}
