package comment

import (
	"context"
	"database/sql"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// ImportTx stores c as another system (WordPress) kept it, inside the
// caller's transaction: its status, type, dates, IP and author are taken as
// given, and its parent is not checked (imports link replies to parents
// that may come later with SetParentTx). c.ContentHTML must be safe HTML
// or empty, in which case c.Content is rendered as a reader's comment.
// The post's comment count is not updated: call RecountTx once per post.
func (s *Store) ImportTx(ctx context.Context, tx *sql.Tx, c *Comment) error {
	if c.ContentHTML == "" {
		c.ContentHTML = s.render.Comment(c.Content)
	}
	switch c.Type {
	case "":
		c.Type = "comment"
	case "comment", "pingback", "trackback":
	default:
		return errs.Field("type", "comment type %q is not one Marquee keeps", c.Type)
	}
	if _, err := ParseStatus(string(c.Status)); err != nil {
		return err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = sqldb.Now()
	}
	c.CreatedAt = sqldb.T(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.UpdatedAt = sqldb.T(c.UpdatedAt)
	var moderated any
	if c.Status != Pending {
		moderated = c.CreatedAt
	}
	return tx.QueryRowContext(ctx, `INSERT INTO comments (post_id, parent_id, type, author, email, url, content, content_html,
		ip, user_agent, referrer, status, user_id, spam_reasons, notify, created_at, updated_at, moderated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		c.PostID, nullID(c.ParentID), c.Type, c.Author, c.Email, c.URL, c.Content, c.ContentHTML, c.IP, c.UserAgent, c.Referrer,
		string(c.Status), nullID(c.UserID), c.SpamReasons, c.Notify, c.CreatedAt, c.UpdatedAt, moderated).Scan(&c.ID)
}

// SetParentTx makes comment id a reply to parentID (0: top level).
func (s *Store) SetParentTx(ctx context.Context, tx *sql.Tx, id, parentID int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE comments SET parent_id = $1 WHERE id = $2", nullID(parentID), id)
	return err
}

// RecountTx brings a post's count of approved comments up to date.
func (s *Store) RecountTx(ctx context.Context, tx *sql.Tx, postID int64) error {
	return s.recount(ctx, tx, postID)
}

// OfPost returns every comment of a post, whatever its status, oldest
// first (exports).
func (s *Store) OfPost(ctx context.Context, postID int64) ([]*Comment, error) {
	return collect(s.db.QueryContext(ctx, "SELECT "+cols+" FROM comments c WHERE c.post_id = $1 ORDER BY c.created_at, c.id", postID))
}
