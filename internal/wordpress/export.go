package wordpress

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"marquee/internal/comment"
	"marquee/internal/post"
	"marquee/internal/site"
	"marquee/internal/sqldb"
	"marquee/internal/wxr"
)

// Settings gives the site's title, address and time zone.
type Settings interface {
	Get(ctx context.Context) (site.Settings, error)
}

// Exporter writes a whole site as WXR 1.2.
type Exporter struct {
	DB       *sqldb.DB
	Posts    *post.Store
	Comments *comment.Store
	Settings Settings
	BaseURL  string // used when the settings have none; default http://localhost
}

// zeroDate is what WordPress writes for a date that is not set.
const zeroDate = "0000-00-00 00:00:00"

// Export writes every post and page with its comments (in every status),
// the authors of posts, the categories kept from imports and every tag, in
// the structure of WordPress's exporter, so that WordPress can import it
// and Marquee can import it again to the same content. Posts stream one
// at a time. Attachments are not exported: bodies keep linking to their
// original URLs.
func (x *Exporter) Export(ctx context.Context, w io.Writer) error {
	st, err := x.Settings.Get(ctx)
	if err != nil {
		return err
	}
	base := strings.TrimRight(st.BaseURL, "/")
	if base == "" {
		base = strings.TrimRight(x.BaseURL, "/")
	}
	if base == "" {
		base = "http://localhost"
	}
	loc := st.Location()
	xw, err := wxr.NewWriter(w, wxr.Site{Title: st.Title, Link: base, Description: st.Tagline,
		PubDate: time.Now().UTC().Format(time.RFC1123Z), Language: st.Language, BaseSiteURL: base, BaseBlogURL: base})
	if err != nil {
		return err
	}
	logins, err := x.authors(ctx, xw)
	if err != nil {
		return err
	}
	maxCat, err := x.categories(ctx, xw)
	if err != nil {
		return err
	}
	if err := x.tags(ctx, xw, maxCat); err != nil {
		return err
	}
	err = x.Posts.Each(ctx, func(p *post.Post) error {
		item, err := x.item(ctx, p, base, loc, logins)
		if err != nil {
			return err
		}
		return xw.WritePost(item)
	})
	if err != nil {
		return err
	}
	return xw.Close()
}

// authors writes the accounts that wrote posts and returns their logins:
// the WordPress login they were imported with, else their address's local
// part, made unique.
func (x *Exporter) authors(ctx context.Context, xw *wxr.Writer) (map[int64]string, error) {
	rows, err := x.DB.QueryContext(ctx, `SELECT u.id, u.email, u.name, coalesce((SELECT min(m.wp_key) FROM wp_map m
		WHERE m.kind = 'author' AND m.local_id = u.id), '') FROM users u
		WHERE EXISTS (SELECT 1 FROM posts p WHERE p.author_id = u.id) ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []wxr.Author
	logins := map[int64]string{}
	taken := map[string]bool{}
	for rows.Next() {
		var a wxr.Author
		var login string
		if err := rows.Scan(&a.ID, &a.Email, &a.DisplayName, &login); err != nil {
			return nil, err
		}
		if login == "" {
			login, _, _ = strings.Cut(a.Email, "@")
		}
		for i := 2; taken[login]; i++ {
			login = fmt.Sprintf("%s%d", strings.TrimRight(login, "0123456789"), i)
		}
		taken[login] = true
		if strings.HasSuffix(a.Email, "@import.invalid") {
			a.Email = ""
		}
		a.Login = login
		logins[a.ID] = login
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for _, a := range as {
		if err := xw.WriteAuthor(a); err != nil {
			return nil, err
		}
	}
	return logins, nil
}

// categories writes the kept categories, parents before children, and
// returns the largest term id used.
func (x *Exporter) categories(ctx context.Context, xw *wxr.Writer) (int64, error) {
	rows, err := x.DB.QueryContext(ctx, "SELECT id, nicename, name, description, parent FROM wp_categories ORDER BY nicename")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var cs []wxr.Category
	known := map[string]bool{}
	var maxID int64
	for rows.Next() {
		var c wxr.Category
		if err := rows.Scan(&c.TermID, &c.Nicename, &c.Name, &c.Description, &c.Parent); err != nil {
			return 0, err
		}
		cs = append(cs, c)
		known[c.Nicename] = true
		maxID = max(maxID, c.TermID)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	// WordPress's exporter writes a parent before its children.
	written := map[string]bool{}
	for len(written) < len(cs) {
		progress := false
		for _, c := range cs {
			if written[c.Nicename] {
				continue
			}
			if c.Parent != "" && known[c.Parent] && !written[c.Parent] {
				continue
			}
			if !known[c.Parent] {
				c.Parent = ""
			}
			if err := xw.WriteCategory(c); err != nil {
				return 0, err
			}
			written[c.Nicename], progress = true, true
		}
		if !progress { // a cycle: write the rest without parents
			for _, c := range cs {
				if !written[c.Nicename] {
					c.Parent = ""
					if err := xw.WriteCategory(c); err != nil {
						return 0, err
					}
					written[c.Nicename] = true
				}
			}
		}
	}
	return maxID, nil
}

// tags writes every tag except those that stand only for a category.
func (x *Exporter) tags(ctx context.Context, xw *wxr.Writer, offset int64) error {
	rows, err := x.DB.QueryContext(ctx, `SELECT t.id, t.slug, t.name FROM tags t
		WHERE NOT EXISTS (SELECT 1 FROM wp_categories c WHERE c.tag_id = t.id)
		OR EXISTS (SELECT 1 FROM post_tags pt WHERE pt.tag_id = t.id AND NOT EXISTS (
			SELECT 1 FROM wp_post_categories pc JOIN wp_categories c ON c.id = pc.category_id
			WHERE pc.post_id = pt.post_id AND c.tag_id = t.id))
		ORDER BY t.slug`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ts []wxr.Tag
	for rows.Next() {
		var t wxr.Tag
		if err := rows.Scan(&t.TermID, &t.Slug, &t.Name); err != nil {
			return err
		}
		t.TermID += offset
		t.Slug = wpSlug(t.Slug)
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, t := range ts {
		if err := xw.WriteTag(t); err != nil {
			return err
		}
	}
	return nil
}

var wpStatus = map[post.Status]string{post.Published: "publish", post.Scheduled: "future", post.Draft: "draft", post.Private: "private"}

var wpApproved = map[comment.Status]string{comment.Approved: "1", comment.Pending: "0", comment.Spam: "spam", comment.Trash: "trash"}

func (x *Exporter) item(ctx context.Context, p *post.Post, base string, loc *time.Location, logins map[int64]string) (wxr.Post, error) {
	it := wxr.Post{Title: p.Title, Link: base + post.Path(p.Slug), Creator: logins[p.AuthorID],
		Content: p.Body, Excerpt: p.Excerpt, ID: p.ID, Name: wpSlug(p.Slug), Status: wpStatus[p.Status],
		Parent: p.ParentID, MenuOrder: p.MenuOrder, Type: string(p.Type), Password: p.Password, Sticky: p.Sticky,
		CommentStatus: "closed", PingStatus: "closed"}
	if p.Format != post.HTML {
		it.Content = p.BodyHTML // WordPress reads HTML
	}
	if p.CommentsOpen {
		it.CommentStatus = "open"
	}
	if p.PublishedAt.IsZero() {
		it.PostDate, it.PostDateGMT = localDate(p.CreatedAt, loc), zeroDate
		it.PubDate = p.CreatedAt.UTC().Format(time.RFC1123Z)
	} else {
		it.PostDate, it.PostDateGMT = localDate(p.PublishedAt, loc), p.PublishedAt.UTC().Format(wxr.DateLayout)
		it.PubDate = p.PublishedAt.UTC().Format(time.RFC1123Z)
	}
	it.PostModified, it.PostModifiedGMT = localDate(p.UpdatedAt, loc), p.UpdatedAt.UTC().Format(wxr.DateLayout)
	var guid string
	err := x.DB.QueryRowContext(ctx, "SELECT coalesce(min(guid), '') FROM wp_map WHERE kind = 'post' AND local_id = $1", p.ID).Scan(&guid)
	if err != nil {
		return it, err
	}
	it.GUID = guid
	if it.GUID == "" {
		it.GUID = base + "/?p=" + strconv.FormatInt(p.ID, 10)
	}
	// Categories the post was in, then its other tags.
	rows, err := x.DB.QueryContext(ctx, `SELECT c.nicename, c.name, c.tag_id FROM wp_post_categories pc
		JOIN wp_categories c ON c.id = pc.category_id WHERE pc.post_id = $1 ORDER BY c.name`, p.ID)
	if err != nil {
		return it, err
	}
	catTags := map[string]bool{}
	for rows.Next() {
		var c wxr.PostCategory
		var tagID int64
		if err := rows.Scan(&c.Nicename, &c.Name, &tagID); err != nil {
			rows.Close()
			return it, err
		}
		c.Domain = "category"
		it.Categories = append(it.Categories, c)
		catTags[post.Slugify(c.Name)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return it, err
	}
	for _, t := range p.Tags {
		if !catTags[t.Slug] {
			it.Categories = append(it.Categories, wxr.PostCategory{Domain: "post_tag", Nicename: wpSlug(t.Slug), Name: t.Name})
		}
	}
	cs, err := x.Comments.OfPost(ctx, p.ID)
	if err != nil {
		return it, err
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	for _, c := range cs {
		it.Comments = append(it.Comments, wxr.Comment{ID: c.ID, Author: c.Author, AuthorEmail: c.Email, AuthorURL: c.URL,
			AuthorIP: c.IP, Date: localDate(c.CreatedAt, loc), DateGMT: c.CreatedAt.UTC().Format(wxr.DateLayout),
			Content: c.Content, Approved: wpApproved[c.Status], Type: c.Type, Parent: c.ParentID, UserID: c.UserID})
	}
	return it, nil
}

func localDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return zeroDate
	}
	return t.In(loc).Format(wxr.DateLayout)
}

// wpSlug writes a slug as WordPress stores post_name and term slugs:
// non-ASCII bytes percent-encoded in lower case.
func wpSlug(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02x", c)
	}
	return b.String()
}
