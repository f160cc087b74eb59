package api

import (
	"errors"
	"strings"
	"unicode/utf8"

	"marquee/internal/comment"
	"marquee/internal/errs"
)

// commentPatch is the body of PATCH /api/v1/comments/{id}: an absent (or
// null) field leaves the comment as it is.
type commentPatch struct {
	Status  *string `json:"status"`
	Content *string `json:"content"`
}

// check validates the status and normalises the content.
func (in *commentPatch) check() error {
	if in.Status != nil {
		if _, err := comment.ParseStatus(*in.Status); err != nil {
			return errs.Field("status", "status must be pending, approved, spam or trash, not %q", *in.Status)
		}
	}
	if in.Content != nil {
		s, err := commentContent(*in.Content, 0)
		if err != nil {
			return err
		}
		in.Content = &s
	}
	return nil
}

// empty reports whether in changes nothing.
func (in *commentPatch) empty() bool { return in.Status == nil && in.Content == nil }

// change is in for the store.
func (in *commentPatch) change() comment.Change {
	var ch comment.Change
	if in.Status != nil {
		st := comment.Status(*in.Status)
		ch.Status = &st
	}
	ch.Content = in.Content
	return ch
}

// replyInput is the body of POST /api/v1/posts/{id}/comments.
type replyInput struct {
	Content  *string `json:"content"`
	ParentID *int64  `json:"parent_id"` // absent, null or 0: a top-level comment
}

// check requires the content, within maxLength characters, and normalises
// it.
func (in *replyInput) check(maxLength int) error {
	if in.Content == nil {
		return errs.Field("content", "content is required: the text of the reply")
	}
	s, err := commentContent(*in.Content, maxLength)
	if err != nil {
		return err
	}
	in.Content = &s
	if in.ParentID != nil && *in.ParentID < 0 {
		return errs.Field("parent_id", "parent_id must be the id of a comment on this post, or 0 or null for a top-level comment")
	}
	return nil
}

// parent is the comment replied to, 0 at top level.
func (in *replyInput) parent() int64 {
	if in.ParentID == nil {
		return 0
	}
	return *in.ParentID
}

// commentContent normalises a comment's text as the reply form does (line
// endings, surrounding space) and checks it: not empty, no NUL characters,
// which PostgreSQL refuses, and at most maxLength characters when
// maxLength is positive.
func commentContent(s string, maxLength int) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", errs.Field("content", "content must not contain NUL characters (\\u0000)")
	}
	if s == "" {
		return "", errs.Field("content", "content must not be empty")
	}
	if n := utf8.RuneCountInString(s); maxLength > 0 && n > maxLength {
		return "", errs.Field("content", "content is %d characters long; this site's limit is %d", n, maxLength)
	}
	return s, nil
}

// parentError renames the comment store's field for the parent
// (comment_parent, the reply form's name) to the API's, parent_id.
func parentError(err error) error {
	if e, ok := errors.AsType[*errs.Error](err); ok && e.Field == "comment_parent" {
		return &errs.Error{Kind: e.Kind, Field: "parent_id", Message: e.Message, Err: e.Err}
	}
	return err
}
