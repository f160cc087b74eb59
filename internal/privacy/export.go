package privacy

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"marquee/internal/post"
	"marquee/internal/sqldb"
)

// Document is everything stored about one e-mail address: the comments
// written with it, every stored field of each, and the samples the spam
// filter keeps of them. It is what a commenter gets on request.
type Document struct {
	RequestID   string          `json:"request_id"`
	Email       string          `json:"email"`
	GeneratedAt time.Time       `json:"generated_at"`
	Counts      Counts          `json:"counts"`
	Comments    []CommentRecord `json:"comments"`
	SpamSamples []SpamSample    `json:"spam_samples"`
	// Notes says what else is kept and where, in words.
	Notes []string `json:"notes"`
}

// Counts sums up a Document.
type Counts struct {
	Comments    int            `json:"comments"`
	ByStatus    map[string]int `json:"comments_by_status"`
	Subscribed  int            `json:"comments_subscribed"` // comments with reply notifications on
	SpamSamples int            `json:"spam_samples"`
}

// CommentRecord is one comment as stored, every field of it.
type CommentRecord struct {
	ID          int64      `json:"id"`
	PostID      int64      `json:"post_id"`
	PostTitle   string     `json:"post_title"`
	PostPath    string     `json:"post_path"` // the post's address on the site, without the host
	ParentID    int64      `json:"parent_id"` // 0 at top level
	Type        string     `json:"type"`
	Author      string     `json:"author"`
	Email       string     `json:"email"`
	URL         string     `json:"url"`
	Content     string     `json:"content"`
	ContentHTML string     `json:"content_html"`
	Status      string     `json:"status"`
	IP          string     `json:"ip"`
	UserAgent   string     `json:"user_agent"`
	Referrer    string     `json:"referrer"`
	UserID      int64      `json:"user_id"` // 0 unless written by a user of the site
	Notify      bool       `json:"notify"`  // reply notifications by e-mail
	SpamScore   *float64   `json:"spam_score"`
	SpamReasons []string   `json:"spam_reasons"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ModeratedAt *time.Time `json:"moderated_at"`
}

// SpamSample is one stored learning event of the spam filter: a copy of
// the fields of a comment a moderator marked as spam or not spam.
type SpamSample struct {
	ID        int64     `json:"id"`
	Model     string    `json:"model"`
	Kind      string    `json:"kind"` // spam or ham
	Author    string    `json:"author"`
	Email     string    `json:"email"`
	URL       string    `json:"url"`
	Content   string    `json:"content"`
	IP        string    `json:"ip"`
	CreatedAt time.Time `json:"created_at"`
}

// exportNotes are the same for everyone: what is not in the document and why.
var exportNotes = []string{
	"E-mail addresses are matched without regard to case.",
	"The spam filter's model keeps only aggregate weights of hashed features learned from many comments; they cannot be traced back to a person and are not listed here.",
	"Comments are not in any search index; only posts are.",
}

// Export gathers what is stored about email (matched without regard to
// case). Nothing found is not an error: the document is then empty. The
// export is logged, without the address.
func (s *Service) Export(ctx context.Context, email string, actor Actor) (*Document, error) {
	if !actor.valid() {
		return nil, errActor(actor)
	}
	d, err := s.collect(ctx, email)
	if err != nil {
		return nil, err
	}
	err = s.record(ctx, AuditEntry{RequestID: d.RequestID, Action: ActionExport, Actor: actor,
		Comments: int64(len(d.Comments)), Samples: int64(len(d.SpamSamples))})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Count says how much is stored for an address, without handing it out:
// what an erasure confirmation shows. It is not an export, so it leaves no
// audit row.
// It also returns the address as the store matches it.
func (s *Service) Count(ctx context.Context, email string) (string, Counts, error) {
	d, err := s.collect(ctx, email)
	if err != nil {
		return "", Counts{}, err
	}
	return d.Email, d.Counts, nil
}

// collect gathers everything stored for an address.
func (s *Service) collect(ctx context.Context, email string) (*Document, error) {
	e, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	d := &Document{RequestID: newRequestID(), Email: e, GeneratedAt: sqldb.Now(), Comments: []CommentRecord{},
		SpamSamples: []SpamSample{}, Notes: exportNotes, Counts: Counts{ByStatus: map[string]int{}}}
	if d.Comments, err = s.exportComments(ctx, e); err != nil {
		return nil, err
	}
	if d.SpamSamples, err = s.exportSamples(ctx, e); err != nil {
		return nil, err
	}
	d.Counts.Comments, d.Counts.SpamSamples = len(d.Comments), len(d.SpamSamples)
	for _, c := range d.Comments {
		d.Counts.ByStatus[c.Status]++
		if c.Notify {
			d.Counts.Subscribed++
		}
	}
	return d, nil
}

func (s *Service) exportComments(ctx context.Context, email string) ([]CommentRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.post_id, p.title, p.slug, coalesce(c.parent_id, 0), c.type, c.author, c.email,
		c.url, c.content, c.content_html, c.status, c.ip, c.user_agent, c.referrer, coalesce(c.user_id, 0), c.notify, c.spam_score,
		c.spam_reasons, c.created_at, c.updated_at, c.moderated_at
		FROM comments c JOIN posts p ON p.id = c.post_id WHERE lower(c.email) = $1 ORDER BY c.created_at, c.id`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cs := []CommentRecord{}
	for rows.Next() {
		var c CommentRecord
		var slug, reasons string
		var score sql.NullFloat64
		var mod sql.NullTime
		if err := rows.Scan(&c.ID, &c.PostID, &c.PostTitle, &slug, &c.ParentID, &c.Type, &c.Author, &c.Email,
			&c.URL, &c.Content, &c.ContentHTML, &c.Status, &c.IP, &c.UserAgent, &c.Referrer, &c.UserID, &c.Notify, &score,
			&reasons, &c.CreatedAt, &c.UpdatedAt, &mod); err != nil {
			return nil, err
		}
		c.PostPath = post.Path(slug)
		if score.Valid {
			c.SpamScore = &score.Float64
		}
		c.SpamReasons = []string{}
		for r := range strings.SplitSeq(reasons, "\n") {
			if r = strings.TrimSpace(r); r != "" {
				c.SpamReasons = append(c.SpamReasons, r)
			}
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		if mod.Valid {
			t := mod.Time.UTC()
			c.ModeratedAt = &t
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// exportSamples reads the spam filter's learning events for an address.
// The spam package has no reader for them; this one only reads.
func (s *Service) exportSamples(ctx context.Context, email string) ([]SpamSample, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, model, kind, author, email, url, content, ip, created_at
		FROM spam_events WHERE lower(email) = $1 ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ss := []SpamSample{}
	for rows.Next() {
		var x SpamSample
		if err := rows.Scan(&x.ID, &x.Model, &x.Kind, &x.Author, &x.Email, &x.URL, &x.Content, &x.IP, &x.CreatedAt); err != nil {
			return nil, err
		}
		x.CreatedAt = x.CreatedAt.UTC()
		ss = append(ss, x)
	}
	return ss, rows.Err()
}
