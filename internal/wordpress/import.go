package wordpress

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"marquee/internal/account"
	"marquee/internal/comment"
	"marquee/internal/errs"
	"marquee/internal/markup"
	"marquee/internal/media"
	"marquee/internal/post"
	"marquee/internal/spam"
	"marquee/internal/sqldb"
	"marquee/internal/wxr"
)

// Renderer renders WordPress HTML as the post store does; markup.Renderer
// is the one in use.
type Renderer interface {
	HTML(src string) string
}

// Learner is the spam filter imported comments teach (spam.Store).
type Learner interface {
	Learn(ctx context.Context, model string, s spam.Sample, isSpam bool) error
}

// Importer imports WXR documents into a site.
type Importer struct {
	DB       *sqldb.DB
	Posts    *post.Store
	Comments *comment.Store
	Render   Renderer
	// Learner, when set, learns from every imported spam (as spam) and
	// approved comment (as ham): the command's -train-spam.
	Learner Learner

	// Media is the media library the old site's files go to. Without
	// UploadsDir or FetchUploads it only lets new posts point at files an
	// earlier import brought.
	Media *media.Store
	// UploadsDir is a copy of the old site's wp-content/uploads folder:
	// the files of the attachments (and of images the bodies show) found
	// there are imported (the command's -uploads).
	UploadsDir string
	// FetchUploads downloads the files UploadsDir lacks, or all of them
	// without it, from their addresses on the old site (-fetch-uploads).
	FetchUploads bool
	// HTTPClient downloads them; nil means one with timeouts that follows
	// redirects to http and https addresses only.
	HTTPClient *http.Client
	// AllowPrivateHosts lets that default client connect to loopback,
	// private and link-local addresses, which it refuses otherwise (the
	// document names the addresses): for a copy of the old site on a
	// private network, and for tests (-fetch-private).
	AllowPrivateHosts bool
	// MaxUploadBytes bounds one file; 0 (and anything larger) means
	// media.MaxBytes, the most the media library takes.
	MaxUploadBytes int64
	// Progress, when set, hears how reading and downloading the files goes.
	Progress io.Writer
}

// untitled is the title of a post that has none: Marquee requires one.
const untitled = "(no title)"

// Import reads a WXR 1.0–1.2 document from r and imports it in one
// transaction; see the package documentation. A malformed document
// imports nothing and the error (a *wxr.Error) names the line. When r is
// an io.Seeker the document is checked in a first pass before anything is
// written.
//
// With UploadsDir or FetchUploads, the attachments' files are read or
// downloaded and re-encoded before the transaction (a document that cannot
// be read twice, such as a pipe, is first copied to a temporary file), and
// stored in it; see the package documentation.
func (im *Importer) Import(ctx context.Context, r io.Reader) (*Summary, error) {
	sum := newSummary()
	var up *matcher
	var sp *spool
	if im.uploading() {
		sum.Uploads = newUploadSummary(im.UploadsDir, im.FetchUploads)
		rs, start, done, err := rewindable(r)
		if err != nil {
			return nil, err
		}
		defer done()
		up, sp, err = im.prepareUploads(ctx, rs, sum)
		defer sp.Close()
		if err != nil {
			return nil, err
		}
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return nil, err
		}
		r = rs
	} else if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			if err := Check(rs); err != nil {
				return nil, err
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				return nil, err
			}
		}
	}
	var run int64
	err := im.DB.Tx(ctx, func(tx *sql.Tx) error {
		s := &state{Importer: im, ctx: ctx, tx: tx, sum: sum, loc: time.UTC,
			authors: map[string]int64{}, authorIDs: map[int64]int64{}, cats: map[string]*category{}, catNames: map[string]string{},
			hosts: map[string]bool{}, seen: map[string]map[int64][]string{}, prepared: up, spool: sp}
		err := s.read(bufio.NewReaderSize(r, 1<<20))
		run = s.run
		return err
	})
	if err != nil {
		return nil, err
	}
	if im.Learner != nil {
		n, err := im.train(ctx, run)
		sum.Trained = n
		if err != nil {
			return sum, fmt.Errorf("the import is complete, but training the spam filter failed after %d comments: %w", n, err)
		}
	}
	return sum, nil
}

// rewindable returns r as a reader that can be read again from start: r
// itself when it can seek, else a temporary copy, removed by done.
func rewindable(r io.Reader) (rs io.ReadSeeker, start int64, done func(), err error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return rs, start, func() {}, nil
		}
	}
	f, err := os.CreateTemp("", "marquee-wxr-*")
	if err != nil {
		return nil, 0, nil, err
	}
	done = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, 0, nil, fmt.Errorf("reading the document: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, 0, nil, err
	}
	return f, 0, done, nil
}

// Check streams a whole document and reports the first fatal error, such
// as bad XML or a truncated file, without keeping anything.
func Check(r io.Reader) error {
	rd := wxr.NewReader(bufio.NewReaderSize(r, 1<<20))
	for {
		_, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && fatal(rd, err) {
			return err
		}
	}
}

// fatal tells a final reader error from a bad field value, after which the
// reader continues: a final error is returned again by the next call.
func fatal(rd *wxr.Reader, err error) bool {
	_, again := rd.Next()
	return again == err
}

type category struct {
	id, tagID int64
	termID    int64
	name      string
}

// state is one import run, inside its transaction.
type state struct {
	*Importer
	ctx       context.Context
	tx        *sql.Tx
	sum       *Summary
	run       int64
	source    string
	authors   map[string]int64 // login, in lower case → user id
	authorIDs map[int64]int64  // WordPress user id → user id
	cats      map[string]*category
	// catNames finds this run's categories by name (for WXR 1.0, which
	// names them so): foldName(name) → the first nicename, in sorted
	// order, of the categories with that name and a row.
	catNames map[string]string
	hosts    map[string]bool // the exported site's host names, without www.
	// loc is the exported site's time zone, as far as the document tells:
	// the offset of the last date given both in local time and in UTC. It
	// reads local dates whose UTC twin is missing.
	loc *time.Location
	// seen holds the post_ids of this document's items, by kind, with the
	// title and date of each item that used it: WordPress's ids are
	// unique, but hand-edited and generated files repeat them.
	seen map[string]map[int64][]string

	// prepared and spool are the uploads read before the transaction; up
	// recognises references to uploads (nil when there are none to point
	// at); stored is set once the prepared uploads are stored.
	prepared *matcher
	spool    *spool
	up       *matcher
	stored   bool
}

// read imports every record of the document.
func (s *state) read(r io.Reader) error {
	err := eachItem(wxr.NewReader(r), s.item, func(err error) {
		s.sum.skip("a record with a bad field value", err.Error())
	})
	if err != nil {
		return err
	}
	if s.run == 0 {
		return errors.New("wxr: the document has no channel")
	}
	return s.finish()
}

// eachItem calls fn with every record rd reads. A bad field spoils one
// record (bad hears of it) and reading goes on; any other error ends it.
func eachItem(rd *wxr.Reader, fn func(wxr.Item) error, bad func(error)) error {
	var pending wxr.Item
	var perr error
	havePending := false
	for {
		var it wxr.Item
		var err error
		if havePending {
			it, err, havePending = pending, perr, false
		} else {
			it, err = rd.Next()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			next, nerr := rd.Next()
			if nerr == err {
				return err
			}
			bad(err)
			pending, perr, havePending = next, nerr, true
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}

func (s *state) item(it wxr.Item) error {
	switch v := it.(type) {
	case wxr.Site:
		return s.site(v)
	case wxr.Author:
		_, err := s.author(v.Login, v.Email, displayName(v), v.ID)
		return err
	case wxr.Category:
		_, err := s.category(v.Nicename, v.Name, v.Description, v.Parent, v.TermID)
		return err
	case wxr.Tag:
		return s.tag(v)
	case wxr.Term:
		switch v.Taxonomy {
		case "category":
			_, err := s.category(v.Slug, v.Name, v.Description, v.Parent, v.TermID)
			return err
		case "post_tag":
			return s.tag(wxr.Tag{TermID: v.TermID, Slug: v.Slug, Name: v.Name, Description: v.Description})
		}
		s.sum.skip(fmt.Sprintf("terms of the taxonomy %q (Marquee keeps categories and tags only)", v.Taxonomy), "")
		return nil
	case wxr.Post:
		return s.post(v)
	}
	return nil
}

// siteSource is the key wp_map knows a site by.
func siteSource(v wxr.Site) string {
	base := strings.TrimSpace(v.BaseBlogURL)
	if base == "" {
		base = strings.TrimSpace(v.Link)
	}
	if base == "" && strings.TrimSpace(v.Title) != "" {
		// No address to know the site by (a generated or hand-made file):
		// its title keeps it apart from other such files, whose ids
		// would otherwise pass for this one's.
		return "untitled:" + strings.ToLower(strings.Join(strings.Fields(html.UnescapeString(v.Title)), " "))
	}
	return sourceKey(base)
}

func (s *state) site(v wxr.Site) error {
	s.source = siteSource(v)
	for _, u := range []string{v.BaseBlogURL, v.BaseSiteURL, v.Link} {
		if h := host(u); h != "" {
			s.hosts[h] = true
		}
	}
	s.sum.Source, s.sum.WXRVersion = s.source, v.WXRVersion
	if err := s.tx.QueryRowContext(s.ctx, "INSERT INTO wp_imports (source, started_at) VALUES ($1, $2) RETURNING id",
		s.source, sqldb.Now()).Scan(&s.run); err != nil {
		return err
	}
	return s.setupUploads(v)
}

// sourceKey names a WordPress site independently of http/https and a
// trailing slash.
func sourceKey(base string) string {
	base = strings.TrimSpace(base)
	if i := strings.Index(base, "://"); i >= 0 {
		base = base[i+3:]
	}
	base = strings.ToLower(strings.TrimRight(base, "/"))
	if base == "" {
		return "unknown"
	}
	return base
}

// host returns the host name of an absolute URL, in lower case and
// without "www.".
func host(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// localPath returns the path of an item's link when the link is on the
// exported site (or relative), so that it can answer with a redirect;
// links elsewhere (an attachment kept on a CDN, a post of another blog
// of the network) are not this site's addresses.
func (s *state) localPath(link string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || redirectKey(u.Path) == "" {
		return "", false
	}
	if u.Host != "" && len(s.hosts) > 0 && !s.hosts[host(link)] {
		return "", false
	}
	return u.Path, true
}

// text turns a WordPress field that holds HTML text (titles, names of
// terms and authors: WordPress stores "Q&amp;A" and pingback titles with
// their entities) into the plain text Marquee stores.
func text(s string) string {
	return strings.TrimSpace(html.UnescapeString(s))
}

// learnOffset records the site's UTC offset from a date given both ways.
func (s *state) learnOffset(d time.Duration, ok bool) {
	if ok {
		s.loc = time.FixedZone("", int(d/time.Second))
	}
}

func displayName(a wxr.Author) string {
	if n := text(a.DisplayName); n != "" {
		return n
	}
	if n := text(a.FirstName + " " + a.LastName); n != "" {
		return n
	}
	return a.Login
}

// lookup finds what a WordPress record became in an earlier run.
func (s *state) lookup(kind, key string) (int64, bool, error) {
	var id int64
	err := s.tx.QueryRowContext(s.ctx, "SELECT local_id FROM wp_map WHERE source = $1 AND kind = $2 AND wp_key = $3",
		s.source, kind, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

func (s *state) remember(kind, key string, id int64, parent, guid string) error {
	_, err := s.tx.ExecContext(s.ctx, `INSERT INTO wp_map (source, kind, wp_key, local_id, wp_parent, guid, run)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.source, kind, key, id, parent, guid, s.run)
	return err
}

// author finds or creates the account of a WordPress author: keyed by
// e-mail address, or login@import.invalid when the export has none.
func (s *state) author(login, email, name string, wpID int64) (int64, error) {
	login = strings.Trim(login, " \t\r\n<>") // some exports have stray brackets
	name = strings.Trim(name, " \t\r\n<>")
	if login == "" {
		s.sum.skip("an author without a login", "")
		return 0, nil
	}
	// WordPress's logins are unique regardless of case (MySQL compares
	// them so), and dc:creator is not always spelt as in <wp:author>.
	if id, ok := s.authors[strings.ToLower(login)]; ok {
		return id, nil
	}
	addr, err := account.NormalizeEmail(email)
	if err != nil {
		addr = loginLocal(login) + "@import.invalid"
	}
	var id int64
	err = s.tx.QueryRowContext(s.ctx, "SELECT id FROM users WHERE email = $1", addr).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		name = truncate(strings.TrimSpace(name), 100)
		if name == "" {
			name = truncate(login, 100)
		}
		now := sqldb.Now()
		if err := s.tx.QueryRowContext(s.ctx, `INSERT INTO users (email, name, role, password_hash, must_set_password, created_at, updated_at)
			VALUES ($1, $2, 'author', '', $3, $4, $4) RETURNING id`, addr, name, true, now).Scan(&id); err != nil {
			return 0, err
		}
		s.sum.Authors++
	case err != nil:
		return 0, err
	}
	if _, ok, err := s.lookup("author", login); err != nil {
		return 0, err
	} else if !ok {
		if err := s.remember("author", login, id, "", ""); err != nil {
			return 0, err
		}
	}
	s.authors[strings.ToLower(login)] = id
	if wpID != 0 {
		s.authorIDs[wpID] = id
	}
	return id, nil
}

// loginLocal turns a WordPress login into the local part of an address.
func loginLocal(login string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(login) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '+':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	l := strings.Trim(b.String(), ".-")
	if l == "" || len(l) > 60 {
		l = fmt.Sprintf("author-%x", fnv(login))
	}
	return l
}

func fnv(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// nicenameOf normalises a category's nicename as WordPress's
// sanitize_title would have: hand-made files write "Company News" where
// WordPress writes company-news, and posts then use either.
func nicenameOf(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), "-"))
}

// ensureTag finds or creates the Marquee tag named name and returns its id
// and slug (0, "" when the name has no letters or digits).
func (s *state) ensureTag(name string) (int64, string, error) {
	name = truncate(strings.TrimSpace(name), 100)
	slug := post.Slugify(name)
	if slug == "" {
		return 0, "", nil
	}
	var id int64
	err := s.tx.QueryRowContext(s.ctx, "INSERT INTO tags (name, slug) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id",
		name, slug).Scan(&id)
	if err == nil {
		s.sum.Tags++
		return id, slug, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, "", err
	}
	err = s.tx.QueryRowContext(s.ctx, "SELECT id FROM tags WHERE slug = $1", slug).Scan(&id)
	return id, slug, err
}

// category records a WordPress category and its tag.
func (s *state) category(nicename, name, desc, parent string, termID int64) (*category, error) {
	name = text(name)
	nicename = nicenameOf(nicename)
	if nicename == "" {
		nicename = strings.ToLower(url.PathEscape(post.Slugify(name)))
	}
	if c, ok := s.cats[nicename]; ok {
		if termID != 0 && c.termID == 0 {
			c.termID = termID
		}
		return c, nil
	}
	if name == "" {
		name = decodeSlug(nicename)
	}
	tagID, _, err := s.ensureTag(name)
	if err != nil {
		return nil, err
	}
	if tagID == 0 {
		s.sum.skip("a category whose name has no letters or digits", fmt.Sprintf("category %q", nicename))
		c := &category{}
		s.cats[nicename] = c
		return c, nil
	}
	c := &category{tagID: tagID, termID: termID, name: name}
	err = s.tx.QueryRowContext(s.ctx, `INSERT INTO wp_categories (nicename, name, description, parent, tag_id)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (nicename) DO NOTHING RETURNING id`,
		nicename, truncate(name, 200), desc, strings.TrimSpace(parent), tagID).Scan(&c.id)
	switch {
	case err == nil:
		s.sum.Categories++
	case errors.Is(err, sql.ErrNoRows):
		if err := s.tx.QueryRowContext(s.ctx, "SELECT id, tag_id FROM wp_categories WHERE nicename = $1", nicename).Scan(&c.id, &c.tagID); err != nil {
			return nil, err
		}
		s.sum.Existing["category"]++
	default:
		return nil, err
	}
	s.cats[nicename] = c
	if k := foldName(name); !hasKey(s.catNames, k) || nicename < s.catNames[k] {
		s.catNames[k] = nicename
	}
	return c, nil
}

// foldName is name's key under Unicode simple case folding, each rune
// mapped to the least of its fold orbit: two names have one key exactly
// when strings.EqualFold says they are equal.
func foldName(name string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, name)
}

func (s *state) tag(t wxr.Tag) error {
	name := text(t.Name)
	if name == "" {
		name = decodeSlug(t.Slug)
	}
	id, slug, err := s.ensureTag(name)
	if err != nil || id == 0 {
		if id == 0 && err == nil {
			s.sum.skip("a tag whose name has no letters or digits", fmt.Sprintf("tag %q", t.Slug))
		}
		return err
	}
	if wp := decodeSlug(t.Slug); wp != "" {
		if wp != slug {
			if err := s.redirect("/tag/"+wp, "tag", 0, id, ""); err != nil {
				return err
			}
			if err := s.redirect("/tag/"+wp+"/feed", "tagfeed", 0, id, ""); err != nil {
				return err
			}
		}
		return s.redirect("?tag="+wp, "tag", 0, id, "")
	}
	return nil
}

// redirect records an old address; the first import to claim one keeps it.
func (s *state) redirect(path, kind string, postID, tagID int64, to string) error {
	key := redirectKey(path)
	if key == "" {
		return nil
	}
	res, err := s.tx.ExecContext(s.ctx, `INSERT INTO wp_redirects (path, kind, post_id, tag_id, url) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (path) DO NOTHING`, key, kind, nullID(postID), nullID(tagID), to)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.sum.Redirects++
	}
	return nil
}

// postKey is how wp_map knows a post of kind ("post" or "attachment"):
// its WordPress id, else its guid. An id that an earlier item of this
// document used for something else (another title or date: a file put
// together by hand or by a plugin) is told apart by its rank, "12#2", so
// that both are imported, and again as the same two on a second import;
// the same item repeated is the same post.
func (s *state) postKey(kind string, p wxr.Post) string {
	if p.ID == 0 {
		if g := strings.TrimSpace(p.GUID); g != "" {
			return "guid:" + g
		}
		return ""
	}
	key := strconv.FormatInt(p.ID, 10)
	ids := s.seen[kind]
	if ids == nil {
		ids = map[int64][]string{}
		s.seen[kind] = ids
	}
	fp := strings.TrimSpace(p.Title) + "\x00" + strings.TrimSpace(p.PostDate) + "\x00" + strings.TrimSpace(p.PubDate)
	for i, f := range ids[p.ID] {
		if f == fp {
			if i == 0 {
				return key
			}
			return fmt.Sprintf("%s#%d", key, i+1)
		}
	}
	ids[p.ID] = append(ids[p.ID], fp)
	if n := len(ids[p.ID]); n > 1 {
		s.sum.note("%s uses the post_id of an earlier item; it is imported as another %s", describe(p), p.Type)
		return fmt.Sprintf("%s#%d", key, n)
	}
	return key
}

func describe(p wxr.Post) string {
	t := strings.TrimSpace(p.Title)
	if t == "" {
		t = untitled
	}
	return fmt.Sprintf("%s %d %q", p.Type, p.ID, truncate(t, 60))
}

var statuses = map[string]post.Status{
	"publish": post.Published, "future": post.Scheduled, "draft": post.Draft, "pending": post.Draft, "private": post.Private,
}

var skippedStatuses = map[string]string{
	"trash":      "in WordPress's trash",
	"auto-draft": "an auto-draft WordPress made and nobody saved",
	"inherit":    "a revision (status inherit)",
}

func (s *state) post(p wxr.Post) error {
	// WordPress's wp_insert_post makes an item without a type a post, and
	// one without a status a draft.
	p.Type = strings.ToLower(strings.TrimSpace(p.Type))
	if p.Type == "" {
		p.Type = "post"
	}
	p.Status = strings.ToLower(strings.TrimSpace(p.Status))
	if p.Status == "" && p.Type != "attachment" {
		p.Status = "draft"
	}
	s.learnOffset(p.Offset())
	if err := s.storeUploads(); err != nil {
		return err
	}
	switch p.Type {
	case "post", "page":
	case "attachment":
		return s.attachment(p)
	default:
		s.sum.skip(fmt.Sprintf("items of type %q (Marquee imports posts, pages and attachments)", p.Type), "")
		s.skipComments(p, "their post was skipped")
		return nil
	}
	key := s.postKey("post", p)
	if key == "" {
		s.sum.skip("a post with neither post_id nor guid", describe(p))
		return nil
	}
	id, ok, err := s.lookup("post", key)
	if err != nil {
		return err
	}
	if ok {
		s.sum.Existing[p.Type]++
		if err := s.rewriteExisting(id); err != nil {
			return err
		}
		return s.comments(id, p, time.Time{}, false)
	}
	status, known := statuses[p.Status]
	if !known {
		reason, skipped := skippedStatuses[p.Status]
		if !skipped {
			reason = fmt.Sprintf("status %q is not one Marquee knows", p.Status)
		}
		s.sum.skip(reason, describe(p))
		s.skipComments(p, "their post was skipped")
		return nil
	}
	body, refs := s.rewriteNew(p.Content)
	mp := &post.Post{Type: post.Type(p.Type), Format: post.HTML, Status: status, Body: body,
		Title: text(p.Title), CommentsOpen: strings.TrimSpace(p.CommentStatus) == "open",
		MenuOrder: p.MenuOrder, Sticky: p.Sticky, Password: p.Password, Slug: importSlug(p.Name, p.Type)}
	if mp.Title == "" {
		mp.Title = untitled
		s.sum.note("%s %d has no title; it is called %q", p.Type, p.ID, untitled)
	}
	mp.Title = truncate(mp.Title, post.MaxTitle)
	mp.Excerpt = strings.TrimSpace(p.Excerpt)
	if strings.ContainsAny(mp.Excerpt, "<&") {
		mp.Excerpt = markup.PlainText(mp.Excerpt)
	}
	mp.Excerpt = truncate(mp.Excerpt, post.MaxExcerpt)
	var draftDate time.Time
	if status == post.Draft && !validDate(p.PostDateGMT) {
		// An unsaved date: WordPress dates drafts when they are published.
		// Its post_date is when the draft was last saved.
		draftDate, _ = p.PublishedGMT(s.loc)
	} else if t, ok := p.PublishedGMT(s.loc); ok {
		mp.PublishedAt = t
	}
	if mp.Status == post.Scheduled && mp.PublishedAt.IsZero() {
		mp.Status = post.Draft
		s.sum.note("%s is scheduled without a date; it is a draft", describe(p))
	}
	mp.CreatedAt = mp.PublishedAt
	if mp.CreatedAt.IsZero() {
		mp.CreatedAt = draftDate
	}
	if t, ok := p.ModifiedGMT(s.loc); ok {
		mp.UpdatedAt = t
		if mp.CreatedAt.IsZero() || mp.CreatedAt.After(t) {
			mp.CreatedAt = t
		}
	}
	if c := strings.TrimSpace(p.Creator); c != "" {
		if mp.AuthorID, err = s.author(c, "", c, 0); err != nil {
			return err
		}
	}
	var cats []*category
	seen := map[string]bool{}
	for _, c := range postCategories(p.Categories) {
		name := text(c.Name)
		switch strings.TrimSpace(c.Domain) {
		case "category":
			cat, err := s.category(s.nicenameByName(c.Nicename, name), c.Name, "", "", 0)
			if err != nil {
				return err
			}
			if cat.id == 0 {
				continue
			}
			cats = append(cats, cat)
			if name == "" {
				name = cat.name
			}
		case "post_tag":
			if name == "" {
				name = decodeSlug(c.Nicename)
			}
		default:
			continue // WXR 1.0's duplicates without a domain, menus, formats
		}
		name = truncate(name, 100)
		if slug := post.Slugify(name); slug != "" && !seen[slug] {
			seen[slug] = true
			mp.Tags = append(mp.Tags, post.Tag{Name: name})
		}
	}
	err = s.Posts.CreateTx(s.ctx, s.tx, mp, post.CreateOptions{KeepTimes: true, UniqueSlug: true, MaxTags: 1000})
	if k := errs.KindOf(err); err != nil && (k == errs.Invalid || k == errs.TooLarge) {
		// Refused before any statement ran: the transaction is intact.
		s.sum.skip(errs.Message(err), describe(p))
		s.skipComments(p, "their post was skipped")
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", describe(p), err)
	}
	parent := ""
	if p.Parent != 0 {
		parent = strconv.FormatInt(p.Parent, 10)
	}
	if err := s.remember("post", key, mp.ID, parent, p.GUID); err != nil {
		return err
	}
	if refs > 0 {
		s.sum.References += refs
		s.sum.RewrittenPosts++
	}
	for _, c := range cats {
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO wp_post_categories (post_id, category_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, mp.ID, c.id); err != nil {
			return err
		}
	}
	s.sum.Posts[p.Type+" "+string(mp.Status)]++
	if err := s.postRedirects(p, mp.ID); err != nil {
		return err
	}
	return s.comments(mp.ID, p, mp.PublishedAt, true)
}

// postCategories returns an item's categories and tags. WXR 1.0 lists
// each term twice, by name alone (for WordPress 2.0's importer) and with
// its domain and nicename; the first are ignored, as WordPress's importer
// ignores them, unless the item has no term with a domain at all: WordPress
// 2.1 and 2.2 wrote categories by name only.
func postCategories(cs []wxr.PostCategory) []wxr.PostCategory {
	for _, c := range cs {
		if strings.TrimSpace(c.Domain) != "" {
			return cs
		}
	}
	out := make([]wxr.PostCategory, len(cs))
	for i, c := range cs {
		c.Domain = "category"
		out[i] = c
	}
	return out
}

// nicenameByName returns nicename, or when it is empty (a category named
// by name only) the nicename of the category of this run with that name.
func (s *state) nicenameByName(nicename, name string) string {
	if strings.TrimSpace(nicename) != "" || name == "" {
		return nicename
	}
	return s.catNames[foldName(name)]
}

func (s *state) postRedirects(p wxr.Post, id int64) error {
	if path, ok := s.localPath(p.Link); ok {
		if err := s.redirect(path, "post", id, 0, ""); err != nil {
			return err
		}
		if err := s.redirect(path+"/feed", "feed", id, 0, ""); err != nil {
			return err
		}
	}
	if p.ID != 0 {
		n := strconv.FormatInt(p.ID, 10)
		if err := s.redirect("?p="+n, "post", id, 0, ""); err != nil {
			return err
		}
		if p.Type == "page" {
			return s.redirect("?page_id="+n, "post", id, 0, "")
		}
	}
	return nil
}

// importSlug keeps WordPress's post_name when it is a valid Marquee slug
// once percent-decoded (WordPress encodes non-ASCII slugs), else derives
// one from it; empty means derive from the title.
func importSlug(name, typ string) string {
	d := decodeSlug(name)
	if d == "" {
		return ""
	}
	if !post.ValidSlug(d) {
		d = post.Slugify(d)
	}
	if d == "" {
		return ""
	}
	if post.Reserved(d) {
		d += "-" + typ
	}
	if utf8.RuneCountInString(d) > post.MaxSlug-10 {
		d = strings.TrimRight(truncate(d, post.MaxSlug-10), "-")
	}
	return d
}

func decodeSlug(s string) string {
	s = strings.TrimSpace(s)
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		s = d
	}
	return strings.ToLower(s)
}

func validDate(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.HasPrefix(s, "0000-00-00")
}

var commentStatuses = map[string]comment.Status{
	"1": comment.Approved, "approve": comment.Approved, "approved": comment.Approved,
	"0": comment.Pending, "hold": comment.Pending,
	"spam": comment.Spam, "trash": comment.Trash, "post-trashed": comment.Trash,
}

func (s *state) skipComments(p wxr.Post, reason string) {
	for range p.Comments {
		s.sum.skip("comments: "+reason, "")
	}
}

// comments imports the comments of a post in two passes, so that a reply
// that comes before its parent in the file is still linked to it. The
// comments of a post created just now cannot have been imported before,
// so they are not looked up.
func (s *state) comments(postID int64, p wxr.Post, postTime time.Time, fresh bool) error {
	if len(p.Comments) == 0 {
		return nil
	}
	local := make(map[int64]int64, len(p.Comments)) // WordPress id → comment id
	type link struct{ id, wpParent int64 }
	var links []link
	added := 0
	for _, c := range p.Comments {
		if c.ID == 0 {
			s.sum.skip("a comment without comment_id", describe(p))
			continue
		}
		if _, dup := local[c.ID]; dup {
			s.sum.skip("a comment whose comment_id appears twice", fmt.Sprintf("comment %d on %s", c.ID, describe(p)))
			continue
		}
		key := strconv.FormatInt(c.ID, 10)
		var id int64
		ok := false
		if !fresh {
			var err error
			if id, ok, err = s.lookup("comment", key); err != nil {
				return err
			}
		}
		if ok {
			local[c.ID] = id
			s.sum.Existing["comment"]++
			continue
		}
		status, known := commentStatuses[strings.TrimSpace(c.Approved)]
		if !known {
			s.sum.skip(fmt.Sprintf("a comment with status %q", c.Approved), fmt.Sprintf("comment %d on %s", c.ID, describe(p)))
			continue
		}
		typ := strings.TrimSpace(c.Type)
		if typ == "" {
			typ = "comment"
		}
		if typ != "comment" && typ != "pingback" && typ != "trackback" {
			s.sum.skip(fmt.Sprintf("comments of type %q", typ), "")
			continue
		}
		s.learnOffset(c.Offset())
		created, ok := c.PostedGMT(s.loc)
		if !ok {
			created = postTime
		}
		email := strings.ToLower(strings.TrimSpace(c.AuthorEmail))
		if len(email) > comment.MaxEmail || !utf8.ValidString(email) {
			email = ""
		}
		cm := &comment.Comment{PostID: postID, Type: typ, Status: status, CreatedAt: created,
			Author:  truncate(text(c.Author), comment.MaxAuthor),
			Email:   email,
			URL:     truncate(strings.TrimSpace(c.AuthorURL), comment.MaxURL),
			IP:      truncate(strings.TrimSpace(c.AuthorIP), 100),
			Content: c.Content, ContentHTML: commentHTML(s.Render, c.Content),
			UserID: s.authorIDs[c.UserID]}
		if err := s.Comments.ImportTx(s.ctx, s.tx, cm); err != nil {
			return fmt.Errorf("comment %d on %s: %w", c.ID, describe(p), err)
		}
		if err := s.remember("comment", key, cm.ID, strconv.FormatInt(c.Parent, 10), ""); err != nil {
			return err
		}
		local[c.ID] = cm.ID
		if c.Parent != 0 {
			links = append(links, link{cm.ID, c.Parent})
		}
		s.sum.Comments[string(status)]++
		s.sum.CommentTypes[typ]++
		added++
	}
	for _, l := range links {
		parent, ok := local[l.wpParent]
		if !ok {
			var err error
			if parent, ok, err = s.lookup("comment", strconv.FormatInt(l.wpParent, 10)); err != nil {
				return err
			}
		}
		if !ok || parent == l.id {
			s.sum.note("a reply on %s answers comment %d, which is not in the export; it is kept at the top level", describe(p), l.wpParent)
			continue
		}
		if err := s.Comments.SetParentTx(s.ctx, s.tx, l.id, parent); err != nil {
			return err
		}
	}
	if added == 0 {
		return nil
	}
	return s.Comments.RecountTx(s.ctx, s.tx, postID)
}

func (s *state) attachment(p wxr.Post) error {
	key := s.postKey("attachment", p)
	if key == "" {
		s.sum.skip("an attachment with neither post_id nor guid", describe(p))
		return nil
	}
	if _, ok, err := s.lookup("attachment", key); err != nil || ok {
		if ok {
			s.sum.Existing["attachment"]++
		}
		return err
	}
	to := strings.TrimSpace(p.AttachmentURL)
	if to == "" {
		to = strings.TrimSpace(p.GUID)
	}
	if u, err := url.Parse(to); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		s.sum.skip("an attachment without a usable URL", describe(p))
		return nil
	}
	created, ok := p.PublishedGMT(s.loc)
	if !ok {
		created = sqldb.Now()
	}
	var id int64
	if err := s.tx.QueryRowContext(s.ctx, "INSERT INTO wp_attachments (title, url, created_at) VALUES ($1, $2, $3) RETURNING id",
		truncate(text(p.Title), 300), to, sqldb.T(created)).Scan(&id); err != nil {
		return err
	}
	parent := ""
	if p.Parent != 0 {
		parent = strconv.FormatInt(p.Parent, 10)
	}
	if err := s.remember("attachment", key, id, parent, p.GUID); err != nil {
		return err
	}
	s.sum.Attachments++
	// The attachment's addresses lead to its file: in the media library
	// when it was imported, else where WordPress kept it.
	if s.up != nil {
		if u, _, ok := s.up.resolve(to, true); ok {
			to = u
		}
	}
	if path, ok := s.localPath(p.Link); ok {
		if err := s.redirect(path, "url", 0, 0, to); err != nil {
			return err
		}
	}
	if p.ID != 0 {
		n := strconv.FormatInt(p.ID, 10)
		if err := s.redirect("?attachment_id="+n, "url", 0, 0, to); err != nil {
			return err
		}
		return s.redirect("?p="+n, "url", 0, 0, to)
	}
	return nil
}

// finish links pages to parents and attachments to posts now that every
// record exists, and records the category addresses.
func (s *state) finish() error {
	if err := s.storeUploads(); err != nil {
		return err
	}
	type pair struct{ child, parent int64 }
	pairs := func(kind string) ([]pair, int, error) {
		rows, err := s.tx.QueryContext(s.ctx, `SELECT m.local_id, coalesce(p.local_id, 0) FROM wp_map m
			LEFT JOIN wp_map p ON p.source = m.source AND p.kind = 'post' AND p.wp_key = m.wp_parent
			WHERE m.run = $1 AND m.kind = $2 AND m.wp_parent <> ''`, s.run, kind)
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		var ps []pair
		missing := 0
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.child, &p.parent); err != nil {
				return nil, 0, err
			}
			if p.parent == 0 {
				missing++
				continue
			}
			ps = append(ps, p)
		}
		return ps, missing, rows.Err()
	}
	ps, missing, err := pairs("post")
	if err != nil {
		return err
	}
	if missing > 0 {
		s.sum.note("%d pages have a parent that is not in the export; they are at the top level", missing)
	}
	for _, p := range ps {
		if err := s.Posts.SetParentTx(s.ctx, s.tx, p.child, p.parent); err != nil {
			return err
		}
	}
	if ps, _, err = pairs("attachment"); err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := s.tx.ExecContext(s.ctx, "UPDATE wp_attachments SET post_id = $1 WHERE id = $2", p.parent, p.child); err != nil {
			return err
		}
	}
	return s.categoryRedirects()
}

// categoryRedirects records /category/parent/child/ (and /category/child/,
// its feed and ?cat=ID) for the categories of this run. A parent is named
// by its nicename, or, in WXR 1.0 (WordPress 2.x wrote $parent->name), by
// its name: such parents are resolved to their nicename, and kept so.
func (s *state) categoryRedirects() error {
	if len(s.cats) == 0 {
		return nil
	}
	parents := map[string]string{}
	byName := map[string]string{}
	rows, err := s.tx.QueryContext(s.ctx, "SELECT nicename, name, parent FROM wp_categories ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var n, name, p string
		if err := rows.Scan(&n, &name, &p); err != nil {
			rows.Close()
			return err
		}
		parents[n] = p
		if k := strings.ToLower(name); byName[k] == "" {
			byName[k] = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	resolve := func(p string) string {
		if p == "" {
			return ""
		}
		if n := nicenameOf(p); hasKey(parents, n) {
			return n
		}
		if n := byName[strings.ToLower(text(p))]; n != "" {
			return n
		}
		return p
	}
	for _, nicename := range sortedCats(s.cats) {
		if s.cats[nicename].id == 0 {
			continue
		}
		if p := resolve(parents[nicename]); p != parents[nicename] {
			parents[nicename] = p
			if _, err := s.tx.ExecContext(s.ctx, "UPDATE wp_categories SET parent = $1 WHERE nicename = $2", p, nicename); err != nil {
				return err
			}
		}
	}
	for _, nicename := range sortedCats(s.cats) {
		c := s.cats[nicename]
		if c.id == 0 {
			continue
		}
		path := decodeSlug(nicename)
		seen := map[string]bool{nicename: true}
		for p := resolve(parents[nicename]); p != "" && !seen[p]; p = resolve(parents[p]) {
			seen[p] = true
			path = decodeSlug(p) + "/" + path
		}
		for _, p := range []string{"/category/" + path, "/category/" + decodeSlug(nicename)} {
			if err := s.redirect(p, "tag", 0, c.tagID, ""); err != nil {
				return err
			}
			if err := s.redirect(p+"/feed", "tagfeed", 0, c.tagID, ""); err != nil {
				return err
			}
		}
		if c.termID != 0 {
			if err := s.redirect("?cat="+strconv.FormatInt(c.termID, 10), "tag", 0, c.tagID, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

func sortedCats(m map[string]*category) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// train teaches the spam filter from the comments of import run: spam as
// spam, approved comments as ham.
func (im *Importer) train(ctx context.Context, run int64) (int, error) {
	var last int64
	n := 0
	for {
		rows, err := im.DB.QueryContext(ctx, `SELECT c.id, c.author, c.email, c.url, c.content, c.ip, c.status FROM comments c
			JOIN wp_map m ON m.kind = 'comment' AND m.local_id = c.id
			WHERE m.run = $1 AND c.id > $2 AND c.type = 'comment' AND c.status IN ('spam', 'approved') ORDER BY c.id LIMIT 500`, run, last)
		if err != nil {
			return n, err
		}
		type sample struct {
			s    spam.Sample
			spam bool
		}
		var batch []sample
		for rows.Next() {
			var sm sample
			var status string
			if err := rows.Scan(&last, &sm.s.Author, &sm.s.Email, &sm.s.URL, &sm.s.Content, &sm.s.IP, &status); err != nil {
				rows.Close()
				return n, err
			}
			sm.spam = status == "spam"
			batch = append(batch, sm)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
		if len(batch) == 0 {
			return n, nil
		}
		for _, sm := range batch {
			if err := im.Learner.Learn(ctx, spam.SiteModel, sm.s, sm.spam); err != nil {
				return n, err
			}
			n++
		}
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
