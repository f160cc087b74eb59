package post

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"marquee/internal/errs"
	"marquee/internal/markup"
	"marquee/internal/sqldb"
)

// Renderer turns bodies into safe HTML; markup.Renderer is the one in use.
type Renderer interface {
	Markdown(src string) (string, error)
	HTML(src string) string
}

// Store keeps posts, pages and tags.
type Store struct {
	db     *sqldb.DB
	render Renderer
	// Changed, when set, is told after a post or page is created, changed,
	// deleted or published by the schedule (typ "" when unknown).
	Changed func(ctx context.Context, typ Type)
}

func (s *Store) changed(ctx context.Context, typ Type) {
	if s.Changed != nil {
		s.Changed(ctx, typ)
	}
}

// NewStore returns a Store on db rendering bodies with r.
func NewStore(db *sqldb.DB, r Renderer) *Store { return &Store{db: db, render: r} }

// SummaryWords is the length of a derived excerpt, as WordPress's.
const SummaryWords = 55

// ProtectedSummary is what listings show of a password-protected post.
const ProtectedSummary = "This post is password protected."

// prepare renders the body and derives what listings show.
func (s *Store) prepare(p *Post) error {
	var err error
	switch p.Format {
	case HTML:
		p.BodyHTML = s.render.HTML(p.Body)
	default:
		p.BodyHTML, err = s.render.Markdown(p.Body)
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "the body could not be rendered")
		}
	}
	p.ReadingMinutes = markup.ReadingTime(p.BodyHTML)
	p.Summary = s.summary(p)
	return nil
}

// summary is the excerpt shown in listings and feeds: the author's own, or
// what comes before <!--more-->, or the first words.
func (s *Store) summary(p *Post) string {
	if p.Password != "" {
		return ProtectedSummary
	}
	if strings.TrimSpace(p.Excerpt) != "" {
		return strings.TrimSpace(p.Excerpt)
	}
	if before, _, found := markup.SplitMore(p.Body); found {
		var h string
		if p.Format == HTML {
			h = s.render.HTML(before)
		} else {
			h, _ = s.render.Markdown(before)
		}
		return markup.PlainText(h)
	}
	return markup.Excerpt(p.BodyHTML, SummaryWords)
}

// RewriteBodyTx lets rewrite change the source of post id inside tx, then
// renders it again (HTML, reading time, summary). rewrite sees the format
// and returns the new source and whether it changed. The WordPress import
// uses it to point bodies at imported uploads.
func (s *Store) RewriteBodyTx(ctx context.Context, tx *sql.Tx, id int64, rewrite func(f Format, body string) (string, bool)) error {
	p := &Post{ID: id}
	err := tx.QueryRowContext(ctx, "SELECT format, body, excerpt, password FROM posts WHERE id = $1", id).Scan(&p.Format, &p.Body, &p.Excerpt, &p.Password)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "no such post")
	}
	if err != nil {
		return err
	}
	body, changed := rewrite(p.Format, p.Body)
	if !changed {
		return nil
	}
	p.Body = body
	if err := s.prepare(p); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE posts SET body = $1, body_html = $2, reading_minutes = $3, summary = $4 WHERE id = $5",
		p.Body, p.BodyHTML, p.ReadingMinutes, p.Summary, id)
	return err
}

// Create validates, renders and stores a new post, resolving its slug.
func (s *Store) Create(ctx context.Context, p *Post) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error { return s.CreateTx(ctx, tx, p, CreateOptions{}) })
	if err == nil {
		s.changed(ctx, p.Type)
	}
	return err
}

// CreateOptions relax Create's rules for posts that come from elsewhere
// (a WordPress import).
type CreateOptions struct {
	// KeepTimes keeps p.CreatedAt and p.UpdatedAt as given (zero ones
	// become now) instead of stamping both with now.
	KeepTimes bool
	// UniqueSlug treats a taken slug as a base made unique with -2, -3…,
	// as for derived slugs, instead of refusing it as a conflict.
	UniqueSlug bool
	// MaxTags replaces MaxTags when larger (WordPress posts may have many
	// categories and tags).
	MaxTags int
}

// CreateTx is Create inside the caller's transaction, so that an import
// commits or rolls back as a whole. Invalid posts are refused before any
// statement runs, so the transaction stays usable after such an error.
func (s *Store) CreateTx(ctx context.Context, tx *sql.Tx, p *Post, opt CreateOptions) error {
	if err := p.validate(max(MaxTags, opt.MaxTags)); err != nil {
		return err
	}
	if err := s.prepare(p); err != nil {
		return err
	}
	now := sqldb.Now()
	if opt.KeepTimes {
		if p.CreatedAt.IsZero() {
			p.CreatedAt = now
		}
		if p.UpdatedAt.IsZero() {
			p.UpdatedAt = p.CreatedAt
		}
		p.CreatedAt, p.UpdatedAt = sqldb.T(p.CreatedAt), sqldb.T(p.UpdatedAt)
	} else {
		p.CreatedAt, p.UpdatedAt = now, now
	}
	if p.Status == Published && p.PublishedAt.IsZero() {
		p.PublishedAt = now
	}
	p.PublishedAt = zeroOrT(p.PublishedAt)
	if err := resolveSlug(ctx, tx, p, opt.UniqueSlug); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO posts (type, title, slug, format, body, body_html, excerpt, author_id, status,
		published_at, created_at, updated_at, comments_open, reading_minutes, summary, parent_id, menu_order, sticky, password, visible_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		string(p.Type), p.Title, p.Slug, string(p.Format), p.Body, p.BodyHTML, p.Excerpt, nullID(p.AuthorID), string(p.Status),
		nullTime(p.PublishedAt), p.CreatedAt, p.UpdatedAt, p.CommentsOpen, p.ReadingMinutes, p.Summary,
		nullID(p.ParentID), p.MenuOrder, p.Sticky, p.Password, visibleAt(p)).Scan(&p.ID)
	if err != nil {
		return s.db.Err(err, fmt.Sprintf("the slug %q is taken", p.Slug))
	}
	return setTags(ctx, tx, p.ID, p.Tags)
}

// SetParentTx sets the parent page of a post inside the caller's
// transaction (imports link pages once every page exists).
func (s *Store) SetParentTx(ctx context.Context, tx *sql.Tx, id, parentID int64) error {
	if id == parentID {
		return errs.Field("parent_id", "a page cannot be its own parent")
	}
	_, err := tx.ExecContext(ctx, "UPDATE posts SET parent_id = $1 WHERE id = $2", nullID(parentID), id)
	return err
}

// Update stores every field of an existing post.
func (s *Store) Update(ctx context.Context, p *Post) error {
	if p.ID == 0 {
		return errs.E(errs.NotFound, "no such post")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.prepare(p); err != nil {
		return err
	}
	if p.Status == Published && p.PublishedAt.IsZero() {
		p.PublishedAt = sqldb.Now()
	}
	p.PublishedAt = zeroOrT(p.PublishedAt)
	p.UpdatedAt = sqldb.Now()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := resolveSlug(ctx, tx, p, false); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE posts SET type = $1, title = $2, slug = $3, format = $4, body = $5, body_html = $6,
			excerpt = $7, author_id = $8, status = $9, published_at = $10, updated_at = $11, comments_open = $12,
			reading_minutes = $13, summary = $14, parent_id = $15, menu_order = $16, sticky = $17, password = $18,
			visible_at = $20 WHERE id = $19`,
			string(p.Type), p.Title, p.Slug, string(p.Format), p.Body, p.BodyHTML, p.Excerpt, nullID(p.AuthorID), string(p.Status),
			nullTime(p.PublishedAt), p.UpdatedAt, p.CommentsOpen, p.ReadingMinutes, p.Summary,
			nullID(p.ParentID), p.MenuOrder, p.Sticky, p.Password, p.ID, visibleAt(p))
		if err != nil {
			return s.db.Err(err, fmt.Sprintf("the slug %q is taken", p.Slug))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "no such post")
		}
		return setTags(ctx, tx, p.ID, p.Tags)
	})
	if err == nil {
		// The type may have changed from page to post or back: say "both".
		s.changed(ctx, "")
	}
	return err
}

// resolveSlug derives a slug from the title when none was given and makes it
// unique with -2, -3…; a slug chosen by the writer that is taken is a
// conflict rather than silently changed, unless unique is set.
func resolveSlug(ctx context.Context, tx *sql.Tx, p *Post, unique bool) error {
	taken := func(slug string) (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM posts WHERE slug = $1 AND id <> $2", slug, p.ID).Scan(&n)
		return n > 0, err
	}
	if p.Slug != "" && !unique {
		t, err := taken(p.Slug)
		if err != nil {
			return err
		}
		if t {
			return &errs.Error{Kind: errs.Conflict, Field: "slug", Message: fmt.Sprintf("the slug %q is taken by another post or page", p.Slug)}
		}
		return nil
	}
	base := p.Slug
	if base == "" {
		base = Slugify(p.Title)
	}
	if base == "" {
		base = string(p.Type)
	}
	if reservedSlugs[base] {
		base += "-" + string(p.Type)
	}
	for i := 1; i < 1000; i++ {
		cand := base
		if i > 1 {
			suffix := "-" + strconv.Itoa(i)
			cand = truncateSlug(base, MaxSlug-len(suffix)) + suffix
		}
		t, err := taken(cand)
		if err != nil {
			return err
		}
		if !t {
			p.Slug = cand
			return nil
		}
	}
	return errs.E(errs.Conflict, "could not find a free slug for %q; give one explicitly", p.Title)
}

// truncateSlug cuts s to at most n runes, without a trailing hyphen.
func truncateSlug(s string, n int) string {
	for i := range s {
		if n == 0 {
			return strings.TrimRight(s[:i], "-")
		}
		n--
	}
	return s
}

func setTags(ctx context.Context, tx *sql.Tx, postID int64, tags []Tag) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM post_tags WHERE post_id = $1", postID); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Slug] {
			continue
		}
		seen[t.Slug] = true
		if _, err := tx.ExecContext(ctx, "INSERT INTO tags (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING", t.Name, t.Slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO post_tags (post_id, tag_id) SELECT $1, id FROM tags WHERE slug = $2", postID, t.Slug); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes a post and its tags and comments.
func (s *Store) Delete(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM posts WHERE id = $1", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "no such post")
	}
	s.changed(ctx, "")
	return nil
}

// PublishDue flips scheduled posts whose time has come to published.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM posts WHERE status = 'scheduled' AND published_at <= $1", sqldb.T(now))
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var done []int64
	for _, id := range ids {
		res, err := s.db.ExecContext(ctx, "UPDATE posts SET status = 'published' WHERE id = $1 AND status = 'scheduled'", id)
		if err != nil {
			return done, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			done = append(done, id) // not published meanwhile by someone else
		}
	}
	if len(done) > 0 {
		s.changed(ctx, "")
	}
	return done, nil
}

const baseCols = `p.id, p.type, p.title, p.slug, p.format, p.excerpt, coalesce(p.author_id, 0), coalesce(u.name, ''), p.status,
	p.published_at, p.created_at, p.updated_at, p.comments_open, p.reading_minutes, p.summary, p.comment_count,
	coalesce(p.parent_id, 0), p.menu_order, p.sticky, p.password`

const fromPosts = " FROM posts p LEFT JOIN users u ON u.id = p.author_id"

type scanner interface{ Scan(...any) error }

// scanPost reads baseCols, then body and body_html when full is set.
func scanPost(row scanner, full bool) (*Post, error) {
	var p Post
	var typ, format, status, summary string
	var pub sql.NullTime
	dest := []any{&p.ID, &typ, &p.Title, &p.Slug, &format, &p.Excerpt, &p.AuthorID, &p.AuthorName, &status,
		&pub, &p.CreatedAt, &p.UpdatedAt, &p.CommentsOpen, &p.ReadingMinutes, &summary, &p.CommentCount,
		&p.ParentID, &p.MenuOrder, &p.Sticky, &p.Password}
	if full {
		dest = append(dest, &p.Body, &p.BodyHTML)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "no such post")
		}
		return nil, err
	}
	p.Type, p.Format, p.Status = Type(typ), Format(format), Status(status)
	if pub.Valid {
		p.PublishedAt = pub.Time.UTC()
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.Summary = summary
	return &p, nil
}

func (s *Store) one(ctx context.Context, where string, arg any) (*Post, error) {
	p, err := scanPost(s.db.QueryRowContext(ctx, "SELECT "+baseCols+", p.body, p.body_html"+fromPosts+" WHERE "+where, arg), true)
	if err != nil {
		return nil, err
	}
	return p, s.loadTags(ctx, []*Post{p})
}

// ByID returns a post with its body and tags, whatever its status.
func (s *Store) ByID(ctx context.Context, id int64) (*Post, error) {
	return s.one(ctx, "p.id = $1", id)
}

// Head returns a post without its body and tags, whatever its status:
// enough to decide whether it may be read and replied to, for a third of
// ByID's cost on every comment posted.
func (s *Store) Head(ctx context.Context, id int64) (*Post, error) {
	return scanPost(s.db.QueryRowContext(ctx, "SELECT "+baseCols+fromPosts+" WHERE p.id = $1", id), false)
}

// BySlug returns a post with its body and tags, whatever its status.
func (s *Store) BySlug(ctx context.Context, slug string) (*Post, error) {
	return s.one(ctx, "p.slug = $1", slug)
}

// Query selects posts visible to readers.
type Query struct {
	Type      Type
	Tag       string // tag slug
	YearMonth string // "2006-01"
	Search    string
	Limit     int
	Offset    int
	Full      bool // load bodies (feeds)
	Now       time.Time
	// NoTotal skips counting every match, whose cost grows with the site:
	// the total returned is then only enough to tell whether another page
	// follows (offset + what was found, + 1 if there is more).
	NoTotal bool
}

// Published returns the visible posts matching q, newest first (best match
// first for a search), and how many there are in all.
func (s *Store) Published(ctx context.Context, q Query) ([]*Post, int, error) {
	if q.Type == "" {
		q.Type = TypePost
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 10
	}
	args := []any{string(q.Type), sqldb.T(q.Now)}
	join := ""
	where := "p.type = $1 AND p.visible_at <= $2"
	order := "p.visible_at DESC, p.id DESC"
	if q.Tag != "" {
		args = append(args, q.Tag)
		where += fmt.Sprintf(" AND p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.slug = $%d)", len(args))
	}
	if q.YearMonth != "" {
		args = append(args, q.YearMonth)
		where += fmt.Sprintf(" AND %s = $%d", s.db.Dialect.YearMonth("p.published_at"), len(args))
	}
	if q.Search != "" {
		arg := s.db.Dialect.SearchArg(q.Search)
		if arg == "" {
			return nil, 0, nil
		}
		args = append(args, arg)
		var cond string
		join, cond, order = s.db.Dialect.PostSearch(len(args))
		if cond != "" {
			where += " AND " + cond
		}
		where += " AND (p.password = '' OR " + s.db.Dialect.PostTitleMatch(len(args)) + ")"
		order += ", p.published_at DESC"
	}
	var total int
	limit := q.Limit
	if q.NoTotal {
		limit++ // one more tells whether a next page exists
	} else if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM posts p "+join+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	cols := baseCols
	if q.Full {
		cols += ", p.body, p.body_html"
	}
	args = append(args, limit, q.Offset)
	rows, err := s.db.QueryContext(ctx, "SELECT "+cols+fromPosts+" "+join+" WHERE "+where+" ORDER BY "+order+
		fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	posts, err := s.collect(ctx, rows, q.Full)
	if q.NoTotal {
		total = q.Offset + len(posts)
		if len(posts) > q.Limit {
			posts = posts[:q.Limit]
		}
	}
	return posts, total, err
}

func (s *Store) collect(ctx context.Context, rows *sql.Rows, full bool) ([]*Post, error) {
	defer rows.Close()
	var posts []*Post
	for rows.Next() {
		p, err := scanPost(rows, full)
		if err != nil {
			return nil, err
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return posts, s.loadTags(ctx, posts)
}

// loadTags fills the tags of posts with one query.
func (s *Store) loadTags(ctx context.Context, posts []*Post) error {
	if len(posts) == 0 {
		return nil
	}
	byID := make(map[int64]*Post, len(posts))
	args := make([]any, len(posts))
	for i, p := range posts {
		byID[p.ID] = p
		args[i] = p.ID
		p.Tags = nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT pt.post_id, t.name, t.slug FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id IN ("+
		sqldb.Placeholders(1, len(args))+") ORDER BY t.name", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Tag
		if err := rows.Scan(&id, &t.Name, &t.Slug); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	return rows.Err()
}

// Each calls fn for every post and page, whatever its status, with its
// body and tags, in order of id; it reads in batches so that memory stays
// bounded however large the site (exports).
func (s *Store) Each(ctx context.Context, fn func(*Post) error) error {
	var last int64
	for {
		rows, err := s.db.QueryContext(ctx, "SELECT "+baseCols+", p.body, p.body_html"+fromPosts+
			" WHERE p.id > $1 ORDER BY p.id LIMIT 100", last)
		if err != nil {
			return err
		}
		posts, err := s.collect(ctx, rows, true)
		if err != nil {
			return err
		}
		if len(posts) == 0 {
			return nil
		}
		for _, p := range posts {
			if err := fn(p); err != nil {
				return err
			}
			last = p.ID
		}
	}
}

// Filter selects posts for writers and the API, whatever their status.
type Filter struct {
	Type     Type   // empty: both
	Status   Status // empty or "all": every status
	AuthorID int64  // 0: every author
	Search   string // title contains
	Limit    int
	Offset   int
}

// List returns posts matching f, most recently changed first, and the total.
func (s *Store) List(ctx context.Context, f Filter) ([]*Post, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var args []any
	var conds []string
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.Type != "" {
		add("p.type = $%d", string(f.Type))
	}
	if f.Status != "" && f.Status != "all" {
		add("p.status = $%d", string(f.Status))
	}
	if f.AuthorID != 0 {
		add("p.author_id = $%d", f.AuthorID)
	}
	if f.Search != "" {
		add("lower(p.title) LIKE $%d", "%"+strings.ToLower(strings.ReplaceAll(f.Search, "\x00", ""))+"%")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM posts p"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, "SELECT "+baseCols+", p.body, p.body_html"+fromPosts+where+
		fmt.Sprintf(" ORDER BY p.updated_at DESC, p.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	posts, err := s.collect(ctx, rows, true)
	return posts, total, err
}

// Adjacent returns the visible posts published just before and just after p
// (nil where there is none).
func (s *Store) Adjacent(ctx context.Context, p *Post, now time.Time) (prev, next *Post, err error) {
	if p.Type != TypePost || p.PublishedAt.IsZero() {
		return nil, nil, nil
	}
	vis := " AND p.type = 'post' AND p.visible_at <= $3"
	get := func(cond, order string) (*Post, error) {
		row := s.db.QueryRowContext(ctx, "SELECT "+baseCols+fromPosts+" WHERE "+cond+vis+" ORDER BY "+order+" LIMIT 1",
			p.PublishedAt, p.ID, sqldb.T(now))
		q, err := scanPost(row, false)
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		return q, err
	}
	if prev, err = get("(p.visible_at < $1 OR (p.visible_at = $1 AND p.id < $2))", "p.visible_at DESC, p.id DESC"); err != nil {
		return nil, nil, err
	}
	next, err = get("(p.visible_at > $1 OR (p.visible_at = $1 AND p.id > $2))", "p.visible_at ASC, p.id ASC")
	return prev, next, err
}

// TagBySlug returns a tag with its count of visible posts.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	var t Tag
	err := s.db.QueryRowContext(ctx, "SELECT id, name, slug FROM tags WHERE slug = $1", slug).Scan(&t.ID, &t.Name, &t.Slug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such tag")
	}
	return &t, err
}

// Tags returns the tags that have visible posts, with their counts.
func (s *Store) Tags(ctx context.Context, now time.Time) ([]Tag, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.name, t.slug, count(*) FROM tags t
		JOIN post_tags pt ON pt.tag_id = t.id JOIN posts p ON p.id = pt.post_id
		WHERE p.visible_at <= $1
		GROUP BY t.id, t.name, t.slug ORDER BY t.slug`, sqldb.T(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.Slug, &t.Count); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// Month is one entry of the archive.
type Month struct {
	YearMonth string // "2006-01"
	Count     int
}

// Months returns the months that have visible posts, newest first.
func (s *Store) Months(ctx context.Context, now time.Time) ([]Month, error) {
	ym := s.db.Dialect.YearMonth("published_at")
	rows, err := s.db.QueryContext(ctx, "SELECT "+ym+", count(*) FROM posts WHERE type = 'post' AND visible_at <= $1 GROUP BY "+ym+" ORDER BY 1 DESC", sqldb.T(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []Month
	for rows.Next() {
		var m Month
		if err := rows.Scan(&m.YearMonth, &m.Count); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// SitemapEntry is one URL of the sitemap.
type SitemapEntry struct {
	Type      Type
	Slug      string
	UpdatedAt time.Time
}

// Sitemap lists every visible post and page (at most 50,000, the protocol's limit).
func (s *Store) Sitemap(ctx context.Context, now time.Time) ([]SitemapEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type, slug, updated_at FROM posts
		WHERE visible_at <= $1 ORDER BY visible_at DESC LIMIT 50000`, sqldb.T(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		var typ string
		if err := rows.Scan(&typ, &e.Slug, &e.UpdatedAt); err != nil {
			return nil, err
		}
		e.Type = Type(typ)
		es = append(es, e)
	}
	return es, rows.Err()
}

// Count returns how many posts of a type exist in each status.
func (s *Store) Count(ctx context.Context, typ Type) (map[Status]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT status, count(*) FROM posts WHERE type = $1 GROUP BY status", string(typ))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[Status]int{}
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

// visibleAt is what the visible_at column holds: when readers may see p.
func visibleAt(p *Post) any {
	if (p.Status == Published || p.Status == Scheduled) && !p.PublishedAt.IsZero() {
		return p.PublishedAt
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func zeroOrT(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return sqldb.T(t)
}
