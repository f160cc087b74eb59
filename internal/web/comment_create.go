package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/middleware"
	"marquee/internal/post"
	"marquee/internal/privacy"
	"marquee/internal/spam"
	"marquee/internal/throttle"
)

// MaxCommentBody limits the reply form's request body.
const MaxCommentBody = 64 << 10

// POST /comments — a reader's reply from the form under a post. Success is
// a 303 back to the comment; a mistake re-shows the post with the form, the
// message and everything the visitor typed.
func (h *Handler) CommentCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, MaxCommentBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, errs.E(errs.TooLarge, "Your comment is too large to send."))
			return
		}
		h.fail(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	postID, err := strconv.ParseInt(r.PostForm.Get("post_id"), 10, 64)
	if err != nil {
		h.fail(w, r, errs.E(errs.NotFound, "no such post"))
		return
	}
	// Without body and tags: an error below reloads them to show the page.
	p, err := h.Posts.Head(ctx, postID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	viewer, err := h.mayRead(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.locked(r, p, viewer) {
		h.fail(w, r, errs.E(errs.Forbidden, "This post is password protected: enter its password before replying."))
		return
	}
	st, err := h.Settings.Get(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.base(r, st)
	postURL := base + postPath(p)
	form := h.newForm(r, p, st, base, viewer)
	form.Author, form.Email, form.URL = r.PostForm.Get("author"), r.PostForm.Get("email"), r.PostForm.Get("url")
	form.Comment, form.Remember = r.PostForm.Get("comment"), r.PostForm.Get("remember") != ""
	form.Notify = h.Mail && r.PostForm.Get("notify") != ""
	form.Parent, _ = strconv.ParseInt(r.PostForm.Get("comment_parent"), 10, 64)
	reshow := func(status int, err error) {
		form.Error = errs.Message(err)
		var e *errs.Error
		if errors.As(err, &e) {
			form.ErrorField = e.Field
		}
		full, ferr := h.Posts.ByID(ctx, p.ID)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		h.showPost(w, r, full, viewer, showOpts{Form: &form}, status)
	}
	if ok, wait := h.CommentLimit.Allow(throttle.ClientKey(middleware.ClientIP(r))); !ok {
		err := errs.Throttled(wait, "You are sending comments faster than this site accepts. Please wait %s and send it again: your text is kept below.", wait.Round(time.Second))
		errs.SetHeaders(w.Header(), err)
		reshow(http.StatusTooManyRequests, err)
		return
	}
	if !form.Open {
		form.Open = true // keep the visitor's text on screen
		reshow(http.StatusBadRequest, errs.E(errs.Forbidden, "Comments are closed on this post, so your reply could not be posted."))
		return
	}
	// Only bots fill the hidden field; tell them nothing and keep nothing.
	if strings.TrimSpace(r.PostForm.Get(HoneypotField)) != "" {
		h.Log.Info("comment dropped: honeypot filled", "post", p.ID)
		http.Redirect(w, r, postURL+"#comments", http.StatusSeeOther)
		return
	}
	d := comment.Draft{PostID: p.ID, ParentID: form.Parent, Author: form.Author, Email: form.Email, URL: form.URL,
		Content: form.Comment, IP: middleware.ClientIP(r).String(), UserAgent: r.UserAgent(), Referrer: r.Referer(), Notify: form.Notify}
	if viewer != nil {
		d.UserID, d.Author, d.Email = viewer.ID, viewer.DisplayName(), viewer.Email
	}
	pol, err := h.policy(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if pol.TruncateIPs {
		d.IP = privacy.TruncateIP(d.IP)
	}
	if err := d.Validate(st.Comments); err != nil {
		reshow(http.StatusUnprocessableEntity, err)
		return
	}
	html := h.Comments.Render(d.Content)
	sender, err := h.Comments.Sender(ctx, d.Author, d.Email, d.IP)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var filter *spam.Result
	if h.Spam != nil && st.Comments.SpamFilter && !viewer.CanModerate() {
		res, err := h.screen(r, p, &d, postURL, sender.History)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		filter = &res
	}
	v := comment.Decide(st.Comments, &d, comment.CountLinks(html), sender.PreviouslyApproved, viewer.CanModerate(), filter)
	if v.Discard && st.Comments.DiscardBlatant {
		h.Log.Info("comment discarded: blatant spam", "post", p.ID, "score", filter.Score)
		http.Redirect(w, r, postURL+"#comments", http.StatusSeeOther)
		return
	}
	c := &comment.Comment{PostID: p.ID, ParentID: d.ParentID, Author: d.Author, Email: d.Email, URL: d.URL,
		Content: d.Content, ContentHTML: html, IP: d.IP, UserAgent: d.UserAgent, Referrer: d.Referrer,
		Status: v.Status, UserID: d.UserID, Notify: d.Notify}
	if filter != nil {
		c.SpamScore, c.HasScore, c.SpamReasons = filter.Score, true, comment.FormatReasons(filter.Reasons)
	}
	if err := h.Comments.Create(ctx, c, st.Comments.ThreadDepth); err != nil {
		if errs.KindOf(err) == errs.Invalid {
			form.Parent = 0
			reshow(http.StatusBadRequest, err)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.Log.Info("comment received", "post", p.ID, "comment", c.ID, "status", c.Status, "reason", v.Reason)
	if viewer == nil {
		if form.Remember {
			saved := url.Values{"author": {d.Author}, "email": {d.Email}, "url": {d.URL}}
			setCookie(w, r, commenterCookie, saved.Encode(), CommenterCookieDays*24*time.Hour)
		} else if _, err := r.Cookie(commenterCookie); err == nil {
			clearCookie(w, r, commenterCookie)
		}
	}
	switch c.Status {
	case comment.Pending:
		secret, err := h.Settings.Secret(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		addHeld(w, r, secret, c.ID)
	case comment.Spam, comment.Trash:
		http.Redirect(w, r, postURL+"#comments", http.StatusSeeOther)
		return
	}
	h.rememberOwn(w, r, c) // edit window (own.go)
	page, err := h.Comments.PageOf(ctx, c, st.Comments.PerPage, st.Comments.NewestFirst)
	if err != nil {
		page = 1
	}
	http.Redirect(w, r, postURL+pageQuery(page)+"#comment-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// screen scores a new comment with the site's spam filter, synchronously,
// with what the request tells about its sender.
func (h *Handler) screen(r *http.Request, p *post.Post, d *comment.Draft, permalink string, hist spam.History) (spam.Result, error) {
	ctx := r.Context()
	now := h.Now()
	sm := spam.Sample{Author: d.Author, Email: d.Email, URL: d.URL, Content: d.Content, IP: d.IP, UserAgent: d.UserAgent,
		Referrer: d.Referrer, Permalink: permalink}
	if !p.PublishedAt.IsZero() {
		sm.PostAge = now.Sub(p.PublishedAt)
	}
	if secret, err := h.Settings.Secret(ctx); err == nil {
		if age, ok := tokenAge(secret, r.PostForm.Get("token"), p.ID, now); ok && age > 0 {
			sm.SubmitDelay = age
		}
	}
	return h.Spam.Check(ctx, spam.SiteModel, sm, hist)
}
