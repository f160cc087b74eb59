package comment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"marquee/internal/errs"
	"marquee/internal/sqldb"
)

// Renderer turns a comment's Markdown subset into safe HTML.
type Renderer interface {
	Comment(src string) string
}

// Store keeps comments.
type Store struct {
	db     *sqldb.DB
	render Renderer
	// Learner, when set, is taught by every status change a moderator or
	// the API makes.
	Learner Learner
	// Watcher, when set, hears of every new comment and status change
	// (notifications).
	Watcher Watcher
}

// Watcher hears of new comments (from == ""), status changes, edits (from
// == c.Status) and deletions (c.Status == ""), after they are stored.
type Watcher interface {
	Changed(ctx context.Context, c *Comment, from Status)
}

// Watchers tells several watchers, in order.
type Watchers []Watcher

// Changed passes the change on to every watcher.
func (ws Watchers) Changed(ctx context.Context, c *Comment, from Status) {
	for _, w := range ws {
		w.Changed(ctx, c, from)
	}
}

func (s *Store) changed(ctx context.Context, c *Comment, from Status) {
	if s.Watcher != nil {
		s.Watcher.Changed(ctx, c, from)
	}
}

// NewStore returns a Store on db rendering comments with r.
func NewStore(db *sqldb.DB, r Renderer) *Store { return &Store{db: db, render: r} }

// Render is the HTML a comment's text becomes.
func (s *Store) Render(content string) string { return s.render.Comment(content) }

const cols = `c.id, c.post_id, coalesce(c.parent_id, 0), c.type, c.author, c.email, c.url, c.content, c.content_html, c.ip,
	c.user_agent, c.referrer, c.status, coalesce(c.user_id, 0), c.spam_score, c.spam_reasons, c.notify, c.created_at, c.updated_at, c.moderated_at`

func scan(row interface{ Scan(...any) error }) (*Comment, error) {
	var c Comment
	var status string
	var score sql.NullFloat64
	var mod sql.NullTime
	err := row.Scan(&c.ID, &c.PostID, &c.ParentID, &c.Type, &c.Author, &c.Email, &c.URL, &c.Content, &c.ContentHTML, &c.IP,
		&c.UserAgent, &c.Referrer, &status, &c.UserID, &score, &c.SpamReasons, &c.Notify, &c.CreatedAt, &c.UpdatedAt, &mod)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "no such comment")
		}
		return nil, err
	}
	c.Status = Status(status)
	c.SpamScore, c.HasScore = score.Float64, score.Valid
	if mod.Valid {
		c.ModeratedAt = mod.Time.UTC()
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func collect(rows *sql.Rows, err error) ([]*Comment, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []*Comment
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// Create stores c (already validated and decided), keeping the post's count
// of approved comments in step. A reply deeper than maxDepth is attached at
// the deepest allowed level.
func (s *Store) Create(ctx context.Context, c *Comment, maxDepth int) error {
	if c.ContentHTML == "" {
		c.ContentHTML = s.render.Comment(c.Content)
	}
	if c.Type == "" {
		c.Type = "comment"
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = sqldb.Now()
	}
	c.CreatedAt = sqldb.T(c.CreatedAt)
	c.UpdatedAt = c.CreatedAt
	// Batch: comments arriving together share one commit (group commit).
	err := s.db.Batch(ctx, func(tx *sql.Tx) error {
		if c.ParentID != 0 {
			parent, err := s.attachPoint(ctx, tx, c.PostID, c.ParentID, maxDepth)
			if err != nil {
				return err
			}
			c.ParentID = parent
		}
		var score any
		if c.HasScore {
			score = c.SpamScore
		}
		var moderated any
		if c.Status != Pending {
			moderated = c.CreatedAt
		}
		err := s.db.TxQueryRow(ctx, tx, `INSERT INTO comments (post_id, parent_id, type, author, email, url, content, content_html,
			ip, user_agent, referrer, status, user_id, spam_score, spam_reasons, notify, created_at, updated_at, moderated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
			c.PostID, nullID(c.ParentID), c.Type, c.Author, c.Email, c.URL, c.Content, c.ContentHTML, c.IP, c.UserAgent, c.Referrer,
			string(c.Status), nullID(c.UserID), score, c.SpamReasons, c.Notify, c.CreatedAt, c.UpdatedAt, moderated).Scan(&c.ID)
		if err != nil {
			return err
		}
		if c.Status != Approved {
			return nil // the post's count of approved comments is unchanged
		}
		return s.recount(ctx, tx, c.PostID)
	})
	if err != nil {
		return err
	}
	s.changed(ctx, c, "")
	return nil
}

// attachPoint checks that parentID is an approved comment of postID and
// returns the comment a new reply should hang under given maxDepth.
func (s *Store) attachPoint(ctx context.Context, tx *sql.Tx, postID, parentID int64, maxDepth int) (int64, error) {
	var chain []int64 // parentID, its parent, … up to the top
	id := parentID
	for i := 0; id != 0 && i < 1000; i++ {
		var pid sql.NullInt64
		var post int64
		var status string
		err := s.db.TxQueryRow(ctx, tx, "SELECT post_id, parent_id, status FROM comments WHERE id = $1", id).Scan(&post, &pid, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, errs.Field("comment_parent", "The comment you are replying to does not exist.")
		}
		if err != nil {
			return 0, err
		}
		if i == 0 {
			if post != postID {
				return 0, errs.Field("comment_parent", "The comment you are replying to belongs to another post.")
			}
			if Status(status) != Approved {
				return 0, errs.Field("comment_parent", "The comment you are replying to is not published.")
			}
		}
		chain = append(chain, id)
		id = pid.Int64
	}
	// chain[len-1] is at depth 1; the reply's depth is len(chain)+1.
	if maxDepth < 1 {
		maxDepth = 1
	}
	if len(chain)+1 <= maxDepth {
		return parentID, nil
	}
	if maxDepth == 1 {
		return 0, nil
	}
	return chain[len(chain)-(maxDepth-1)], nil
}

// recount keeps posts.comment_count equal to the approved comments.
func (s *Store) recount(ctx context.Context, tx *sql.Tx, postID int64) error {
	_, err := s.db.TxExec(ctx, tx, `UPDATE posts SET comment_count =
		(SELECT count(*) FROM comments WHERE post_id = $1 AND status = 'approved') WHERE id = $1`, postID)
	return err
}

// ByID returns one comment.
func (s *Store) ByID(ctx context.Context, id int64) (*Comment, error) {
	return scan(s.db.QueryRowContext(ctx, "SELECT "+cols+" FROM comments c WHERE c.id = $1", id))
}

// Thread is one page of a post's approved comments as a tree.
type Thread struct {
	Roots    []*Comment // top-level comments of this page, replies in Children
	TopTotal int        // top-level approved comments on every page
	Page     int
	Pages    int
}

// Thread loads page (1-based) of a post's approved comments: perPage
// top-level comments and all their approved replies.
func (s *Store) Thread(ctx context.Context, postID int64, page, perPage int, newestFirst bool) (*Thread, error) {
	if perPage < 1 {
		perPage = 50
	}
	if page < 1 {
		page = 1
	}
	t := &Thread{Page: page}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM comments WHERE post_id = $1 AND status = 'approved' AND parent_id IS NULL",
		postID).Scan(&t.TopTotal); err != nil {
		return nil, err
	}
	t.Pages = max(1, (t.TopTotal+perPage-1)/perPage)
	if t.TopTotal == 0 {
		return t, nil
	}
	order := "created_at, id"
	if newestFirst {
		order = "created_at DESC, id DESC"
	}
	cs, err := collect(s.db.QueryContext(ctx, `WITH RECURSIVE tops AS (
			SELECT id FROM comments WHERE post_id = $1 AND status = 'approved' AND parent_id IS NULL
			ORDER BY `+order+` LIMIT $2 OFFSET $3
		), thread(id) AS (
			SELECT id FROM tops
			UNION ALL
			SELECT c.id FROM comments c JOIN thread t ON c.parent_id = t.id WHERE c.status = 'approved'
		)
		SELECT `+cols+` FROM comments c JOIN thread t ON t.id = c.id ORDER BY c.created_at, c.id`,
		postID, perPage, (page-1)*perPage))
	if err != nil {
		return nil, err
	}
	t.Roots = Tree(cs, newestFirst)
	return t, nil
}

// Tree links comments to their parents. Comments whose parent is not in cs
// become roots; roots keep cs's order (reversed when newestFirst), replies
// are oldest first.
func Tree(cs []*Comment, newestFirst bool) []*Comment {
	byID := make(map[int64]*Comment, len(cs))
	for _, c := range cs {
		c.Children = nil
		byID[c.ID] = c
	}
	var roots []*Comment
	for _, c := range cs {
		if p, ok := byID[c.ParentID]; ok && c.ParentID != 0 {
			p.Children = append(p.Children, c)
		} else {
			roots = append(roots, c)
		}
	}
	if newestFirst {
		for i, j := 0, len(roots)-1; i < j; i, j = i+1, j-1 {
			roots[i], roots[j] = roots[j], roots[i]
		}
	}
	var depth func(cs []*Comment, d int)
	depth = func(cs []*Comment, d int) {
		for _, c := range cs {
			c.Depth = d
			depth(c.Children, d+1)
		}
	}
	depth(roots, 1)
	return roots
}

// Held returns the pending comments among ids that belong to postID: a
// commenter's own held comments, shown only to them.
func (s *Store) Held(ctx context.Context, postID int64, ids []int64) ([]*Comment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{postID}
	for _, id := range ids {
		args = append(args, id)
	}
	return collect(s.db.QueryContext(ctx, "SELECT "+cols+" FROM comments c WHERE c.post_id = $1 AND c.status = 'pending' AND c.id IN ("+
		sqldb.Placeholders(2, len(ids))+") ORDER BY c.created_at, c.id", args...))
}

// Filter selects comments for moderators and the API.
type Filter struct {
	Status Status // empty or "all": every status
	PostID int64
	Search string // in author, e-mail, URL, content or IP
	Limit  int
	Offset int
}

// List returns comments matching f, newest first, and their total.
func (s *Store) List(ctx context.Context, f Filter) ([]*Comment, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var args []any
	var conds []string
	if f.Status != "" && f.Status != "all" {
		args = append(args, string(f.Status))
		conds = append(conds, fmt.Sprintf("c.status = $%d", len(args)))
	}
	if f.PostID != 0 {
		args = append(args, f.PostID)
		conds = append(conds, fmt.Sprintf("c.post_id = $%d", len(args)))
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		n := len(args)
		conds = append(conds, fmt.Sprintf("(lower(c.author) LIKE $%d OR c.email LIKE $%d OR lower(c.url) LIKE $%d OR lower(c.content) LIKE $%d OR c.ip LIKE $%d)", n, n, n, n, n))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM comments c"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, f.Limit, f.Offset)
	cs, err := collect(s.db.QueryContext(ctx, "SELECT "+cols+" FROM comments c"+where+
		fmt.Sprintf(" ORDER BY c.created_at DESC, c.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...))
	return cs, total, err
}

// Counts returns how many comments are in each status.
func (s *Store) Counts(ctx context.Context) (map[Status]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT status, count(*) FROM comments GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[Status]int{Pending: 0, Approved: 0, Spam: 0, Trash: 0}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		m[Status(st)] = n
	}
	return m, rows.Err()
}

// Recent returns the latest approved comments, of one post or (postID 0) of
// every visible post, for the comment feeds.
func (s *Store) Recent(ctx context.Context, postID int64, limit int, now time.Time) ([]*Comment, error) {
	if postID != 0 {
		return collect(s.db.QueryContext(ctx, "SELECT "+cols+` FROM comments c WHERE c.post_id = $1 AND c.status = 'approved'
			ORDER BY c.created_at DESC, c.id DESC LIMIT $2`, postID, limit))
	}
	return collect(s.db.QueryContext(ctx, "SELECT "+cols+` FROM comments c JOIN posts p ON p.id = c.post_id
		WHERE c.status = 'approved' AND p.visible_at <= $1
		ORDER BY c.created_at DESC, c.id DESC LIMIT $2`, sqldb.T(now), limit))
}

// Change is what a moderator or the API may change on a comment.
type Change struct {
	Status  *Status
	Content *string
	Author  *string
	Email   *string
	URL     *string
}

// Update applies ch to a comment and returns it as stored.
func (s *Store) Update(ctx context.Context, id int64, ch Change) (*Comment, error) {
	var c *Comment
	var from Status
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scan(tx.QueryRowContext(ctx, "SELECT "+cols+" FROM comments c WHERE c.id = $1", id))
		if err != nil {
			return err
		}
		now := sqldb.Now()
		if ch.Content != nil {
			content := strings.TrimSpace(*ch.Content)
			if content == "" {
				return errs.Field("content", "A comment cannot be empty.")
			}
			c.Content, c.ContentHTML = content, s.render.Comment(content)
		}
		if ch.Author != nil {
			c.Author = strings.TrimSpace(*ch.Author)
		}
		if ch.Email != nil {
			c.Email = strings.ToLower(strings.TrimSpace(*ch.Email))
		}
		if ch.URL != nil {
			c.URL = strings.TrimSpace(*ch.URL)
		}
		if ch.Status != nil && *ch.Status != c.Status {
			if _, err := ParseStatus(string(*ch.Status)); err != nil {
				return err
			}
			from = c.Status
			c.Status, c.ModeratedAt = *ch.Status, now
		}
		c.UpdatedAt = now
		var mod any
		if !c.ModeratedAt.IsZero() {
			mod = c.ModeratedAt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET content = $1, content_html = $2, author = $3, email = $4, url = $5,
			status = $6, updated_at = $7, moderated_at = $8 WHERE id = $9`,
			c.Content, c.ContentHTML, c.Author, c.Email, c.URL, string(c.Status), c.UpdatedAt, mod, id); err != nil {
			return err
		}
		return s.recount(ctx, tx, c.PostID)
	})
	if err == nil && from != "" {
		err = s.learn(ctx, c, from, c.Status)
		s.changed(ctx, c, from)
	} else if err == nil {
		s.changed(ctx, c, c.Status) // an edit
	}
	return c, err
}

// SetStatus moves comments to status (bulk moderation) and returns those
// that changed, as they were before.
func (s *Store) SetStatus(ctx context.Context, ids []int64, status Status) ([]*Comment, error) {
	if _, err := ParseStatus(string(status)); err != nil {
		return nil, err
	}
	var changed []*Comment
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		posts := map[int64]bool{}
		for _, id := range ids {
			c, err := scan(tx.QueryRowContext(ctx, "SELECT "+cols+" FROM comments c WHERE c.id = $1", id))
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if c.Status == status {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE comments SET status = $1, moderated_at = $2 WHERE id = $3", string(status), sqldb.Now(), id); err != nil {
				return err
			}
			changed = append(changed, c)
			posts[c.PostID] = true
		}
		for p := range posts {
			if err := s.recount(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range changed {
		if err := s.learn(ctx, c, c.Status, status); err != nil {
			return changed, err
		}
		now := *c
		now.Status = status
		s.changed(ctx, &now, c.Status)
	}
	return changed, nil
}

// Unsubscribe stops reply notifications for an address on one post.
func (s *Store) Unsubscribe(ctx context.Context, email string, postID int64) (int64, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE comments SET notify = $1 WHERE email = $2 AND post_id = $3 AND notify = $4",
		false, strings.ToLower(email), postID, true)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Delete removes comments for good; their replies move up to the deleted
// comment's parent, so a thread never loses its other voices.
func (s *Store) Delete(ctx context.Context, ids []int64) (int, error) {
	n := 0
	var gone []*Comment
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		posts := map[int64]bool{}
		for _, id := range ids {
			var post int64
			var parent sql.NullInt64
			var status string
			err := tx.QueryRowContext(ctx, "SELECT post_id, parent_id, status FROM comments WHERE id = $1", id).Scan(&post, &parent, &status)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			gone = append(gone, &Comment{ID: id, PostID: post, Status: Status(status)})
			if _, err := tx.ExecContext(ctx, "UPDATE comments SET parent_id = $1 WHERE parent_id = $2", nullID(parent.Int64), id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM comments WHERE id = $1", id); err != nil {
				return err
			}
			posts[post] = true
			n++
		}
		for p := range posts {
			if err := s.recount(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		for _, c := range gone {
			from := c.Status
			c.Status = ""
			s.changed(ctx, c, from)
		}
	}
	return n, err
}

// Purge deletes comments that have been in status (spam or trash) since
// before cutoff, and returns how many went.
func (s *Store) Purge(ctx context.Context, status Status, cutoff time.Time) (int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM comments WHERE status = $1 AND coalesce(moderated_at, created_at) < $2",
		string(status), sqldb.T(cutoff))
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	return s.Delete(ctx, ids)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// PageOf returns the page of its post's thread on which c appears: the page
// of its top-level ancestor. A pending top-level comment goes where the next
// approved one would.
func (s *Store) PageOf(ctx context.Context, c *Comment, perPage int, newestFirst bool) (int, error) {
	root := c
	for i := 0; root.ParentID != 0 && i < 100; i++ {
		p, err := s.ByID(ctx, root.ParentID)
		if err != nil {
			return 1, err
		}
		root = p
	}
	cmp := "<"
	if newestFirst {
		cmp = ">"
	}
	var before int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE post_id = $1 AND status = 'approved' AND parent_id IS NULL
		AND (created_at `+cmp+` $2 OR (created_at = $2 AND id `+cmp+` $3))`, root.PostID, root.CreatedAt, root.ID).Scan(&before)
	if err != nil {
		return 1, err
	}
	if perPage < 1 {
		perPage = 50
	}
	return before/perPage + 1, nil
}
