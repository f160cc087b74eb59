package api

import (
	"strconv"
	"strings"

	"marquee/internal/comment"
)

// commentJSON is a comment as the API shows it, in every answer.
type commentJSON struct {
	ID          int64          `json:"id"`
	PostID      int64          `json:"post_id"`
	ParentID    *int64         `json:"parent_id"` // null at top level
	Type        string         `json:"type"`      // comment, pingback or trackback
	Author      string         `json:"author"`
	Email       string         `json:"email"`
	URL         string         `json:"url"`
	Content     string         `json:"content"`
	ContentHTML string         `json:"content_html"`
	Status      comment.Status `json:"status"`
	UserID      *int64         `json:"user_id"`    // null unless written by a user of the site
	SpamScore   *float64       `json:"spam_score"` // null when the filter never scored it
	SpamReasons []string       `json:"spam_reasons"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
	ModeratedAt *string        `json:"moderated_at"` // null until a status is decided
}

// commentsJSON is the answer of a listing.
type commentsJSON struct {
	Comments []commentJSON `json:"comments"`
	Total    int           `json:"total"`
	Limit    int           `json:"limit"`
	Offset   int           `json:"offset"`
}

// commentToJSON is the one place a comment's JSON shape is made.
func commentToJSON(c *comment.Comment) commentJSON {
	j := commentJSON{
		ID:          c.ID,
		PostID:      c.PostID,
		Type:        c.Type,
		Author:      c.Author,
		Email:       c.Email,
		URL:         c.URL,
		Content:     c.Content,
		ContentHTML: c.ContentHTML,
		Status:      c.Status,
		SpamReasons: []string{},
		CreatedAt:   rfc3339(c.CreatedAt),
		UpdatedAt:   rfc3339(c.UpdatedAt),
	}
	if c.ParentID != 0 {
		j.ParentID = &c.ParentID
	}
	if c.UserID != 0 {
		j.UserID = &c.UserID
	}
	if c.HasScore {
		j.SpamScore = &c.SpamScore
	}
	for r := range strings.SplitSeq(c.SpamReasons, "\n") {
		if r = strings.TrimSpace(r); r != "" {
			j.SpamReasons = append(j.SpamReasons, r)
		}
	}
	if !c.ModeratedAt.IsZero() {
		s := rfc3339(c.ModeratedAt)
		j.ModeratedAt = &s
	}
	return j
}

// commentLocation is the API address of a comment, for Location headers.
func commentLocation(base string, id int64) string {
	return base + "/api/v1/comments/" + strconv.FormatInt(id, 10)
}
