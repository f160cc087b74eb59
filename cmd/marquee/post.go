package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"marquee/internal/account"
	"marquee/internal/app"
	"marquee/internal/errs"
	"marquee/internal/post"
)

const postUsage = "usage: marquee post create|update|list|show|publish|delete [flags] [arguments]"

// cmdPost manages posts and pages as Markdown files. Everything goes
// through the post store, as the admin and the API do: the same
// validation, rendering and slugs, and the store's change hook (wired by
// app.Open) tells every running server to drop the pages it changed.
func cmdPost(e *env, args []string) error {
	if len(args) == 0 {
		return usageError(postUsage)
	}
	switch args[0] {
	case "create":
		return cmdPostCreate(e, args[1:])
	case "update":
		return cmdPostUpdate(e, args[1:])
	case "list":
		return cmdPostList(e, args[1:])
	case "show":
		return cmdPostShow(e, args[1:])
	case "publish":
		return cmdPostPublish(e, args[1:])
	case "delete":
		return cmdPostDelete(e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, postUsage)
		fmt.Fprintln(e.stdout, "\n  create [flags] FILE.md       a post or page from Markdown with front matter (FILE - reads standard input)")
		fmt.Fprintln(e.stdout, "  update [flags] ID FILE.md    replace a post's body and the fields the file and flags give")
		fmt.Fprintln(e.stdout, "  list [-type] [-status]       posts and pages, most recently changed first")
		fmt.Fprintln(e.stdout, "  show ID                      a post as Markdown with front matter, as create and update read it")
		fmt.Fprintln(e.stdout, "  publish ID                   publish a draft, private or scheduled post now")
		fmt.Fprintln(e.stdout, "  delete ID                    delete a post or page with its comments (asks nothing)")
		fmt.Fprintln(e.stdout, "\nRun 'marquee post COMMAND -h' for a command's flags and the front-matter keys.")
		return nil
	}
	return usageError(fmt.Sprintf("unknown post command %q (create, update, list, show, publish, delete)", args[0]))
}

const frontMatterHelp = `

The file is Markdown (FILE - reads standard input) and may start with front matter
between two --- lines; only these keys are read, anything else is an error:

  ---
  title: Hello, world
  slug: hello-world
  type: post                # or page
  status: published         # draft (the default), published, scheduled, private; or draft: true
  date: 2025-03-01 09:30    # RFC 3339, 2025-03-01 or 2025-03-01 09:30 (the site's time zone)
  tags: [travel, "a, b"]    # or: travel, food   or "- travel" lines
  excerpt: What listings show.
  ---

Values may be "double-quoted" (with \n, \") or 'single-quoted'; " #" starts a comment.
Flags win over the front matter. Without a title, the first "# Heading" line is the title
and leaves the body. Command-line mistakes exit with 2, anything else that fails with 1.`

// postFlags are the fields create and update take from the command line.
type postFlags struct {
	db, typ, status, at, slug, tags, title, author, base *string
	set                                                  map[string]bool
}

func addPostFlags(e *env, fs *flag.FlagSet, authorHelp string) *postFlags {
	return &postFlags{
		db:     dbFlag(e, fs),
		typ:    fs.String("type", "", "post or page (default: the front matter's, else post)"),
		status: fs.String("status", "", "draft, published, scheduled or private (default: the front matter's, else draft)"),
		at:     fs.String("at", "", "publication date, RFC 3339 (2025-03-01T09:30:00Z); 2025-03-01 09:30 is in the site's zone"),
		slug:   fs.String("slug", "", "the address: /SLUG/ (default: the front matter's, else from the title)"),
		tags:   fs.String("tags", "", "comma-separated tags (replace the front matter's; -tags '' clears)"),
		title:  fs.String("title", "", "the title (default: the front matter's, else the first # Heading)"),
		author: fs.String("author", "", authorHelp),
		base:   fs.String("base-url", envOr(e, "MARQUEE_BASE_URL", ""), "the site's public address, for the printed URL, when the settings have none (env MARQUEE_BASE_URL)"),
	}
}

// parse parses args, checks the values of the flags given, then that n
// positional arguments follow them.
func (pf *postFlags) parse(e *env, fs *flag.FlagSet, args []string, n int, usage string) error {
	if err := parse(e, fs, args); err != nil {
		return err
	}
	pf.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { pf.set[f.Name] = true })
	if pf.set["type"] {
		if _, err := parseType(*pf.typ); err != nil {
			return usageError("-type: " + err.Error())
		}
	}
	if pf.set["status"] {
		if _, err := parseStatus(*pf.status); err != nil {
			return usageError("-status: " + err.Error())
		}
	}
	if pf.set["at"] {
		if _, err := parseDate(*pf.at, time.UTC); err != nil {
			return usageError("-at: " + err.Error())
		}
	}
	if pf.set["slug"] && !post.ValidSlug(*pf.slug) {
		return usageError(fmt.Sprintf("-slug %q: a slug may hold only lower-case letters, digits and hyphens", *pf.slug))
	}
	if pf.set["title"] && strings.TrimSpace(*pf.title) == "" {
		return usageError("-title must not be empty")
	}
	if pf.set["author"] && strings.TrimSpace(*pf.author) == "" {
		return usageError("-author must be a user's e-mail address")
	}
	return postArgs(fs, n, usage)
}

// applyPost sets p's fields from the file's front matter, then from the flags,
// which win. It reports whether either gave a title.
func applyPost(p *post.Post, f *postFile, pf *postFlags, loc *time.Location) (titled bool, err error) {
	if f.Title != nil {
		p.Title, titled = *f.Title, true
	}
	if f.Slug != nil {
		p.Slug = *f.Slug
	}
	if f.Excerpt != nil {
		p.Excerpt = strings.TrimSpace(*f.Excerpt)
	}
	if f.Type != nil {
		p.Type = *f.Type
	}
	if s, ok := f.status(); ok {
		p.Status = s
	}
	if f.Date != nil {
		if p.PublishedAt, err = parseDate(*f.Date, loc); err != nil {
			return false, f.errAt(f.lines["date"], "%v", err)
		}
	}
	if f.Tags != nil {
		p.Tags = tagsOf(*f.Tags)
	}
	if pf.set["title"] {
		p.Title, titled = *pf.title, true
	}
	if pf.set["slug"] {
		p.Slug = *pf.slug
	}
	if pf.set["type"] {
		p.Type = post.Type(*pf.typ)
	}
	if pf.set["status"] {
		p.Status = post.Status(*pf.status)
	}
	if pf.set["at"] {
		if p.PublishedAt, err = parseDate(*pf.at, loc); err != nil {
			return false, usageError("-at: " + err.Error())
		}
	}
	if pf.set["tags"] {
		p.Tags = post.SplitTags(*pf.tags)
	}
	return titled, nil
}

// tagsOf makes tags of the front matter's names, which are already split
// (a quoted name may hold a comma).
func tagsOf(names []string) []post.Tag {
	tags := make([]post.Tag, 0, len(names))
	for _, n := range names {
		tags = append(tags, post.Tag{Name: n})
	}
	return tags
}

// checkScheduled says how to give a scheduled post its time, in the
// command line's words rather than the API's.
func checkScheduled(p *post.Post) error {
	if p.Status == post.Scheduled && p.PublishedAt.IsZero() {
		return usageError("a scheduled post needs a date: give -at or date: in the front matter")
	}
	return nil
}

// postArgs checks the positional arguments: n of them, none a flag.
func postArgs(fs *flag.FlagSet, n int, usage string) error {
	for _, a := range fs.Args() {
		if len(a) > 1 && strings.HasPrefix(a, "-") {
			return usageError(fmt.Sprintf("%s after the arguments: flags go before them (%s)", a, usage))
		}
	}
	if fs.NArg() != n {
		return usageError(usage)
	}
	return nil
}

// postID reads a post's id.
func postID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError(fmt.Sprintf("%q is not a post id: give the number 'marquee post list' shows", s))
	}
	return id, nil
}

// maxPostFile bounds what is read: the largest body, and room for the
// front matter.
const maxPostFile = post.MaxBody + 64<<10

// readPostFile reads and parses FILE, or standard input for "-".
func readPostFile(e *env, name string) (*postFile, error) {
	var in io.Reader
	label := name
	if name == "-" {
		if e.stdin == nil {
			return nil, usageError("no standard input to read")
		}
		in, label = e.stdin, "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	src, err := io.ReadAll(io.LimitReader(in, maxPostFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", label, err)
	}
	if len(src) > maxPostFile {
		return nil, fmt.Errorf("%s is larger than %d KiB; a post's body may hold at most 1 MiB", label, maxPostFile>>10)
	}
	return parsePostFile(label, src)
}

// openPostApp opens the site like openApp, with warnings on stderr: if a
// running server cannot be told of a change, the writer should know.
func openPostApp(e *env, db string) (*app.App, error) {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return app.Open(e.ctx, app.Config{DB: db}, log)
}

// siteZone is the zone dates without one are read and shown in.
func siteZone(e *env, a *app.App) (*time.Location, error) {
	st, err := a.Settings.Get(e.ctx)
	if err != nil {
		return nil, err
	}
	return st.Location(), nil
}

// postURL is the public address of p: the site's configured address, else
// -base-url, else the address `marquee serve` listens on by default.
func postURL(e *env, a *app.App, flagBase string, p *post.Post) string {
	st, _ := a.Settings.Get(e.ctx) // on error: the defaults, which have no address
	base := st.Configured(flagBase)
	if base == "" {
		addr := envOr(e, "MARQUEE_ADDR", "127.0.0.1:8080")
		if host, port, err := net.SplitHostPort(addr); err == nil {
			if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
				addr = net.JoinHostPort("localhost", port)
			}
		}
		base = "http://" + addr
	}
	return base + post.Path(p.Slug)
}

// author finds the user -author names, else the site's only admin.
func author(e *env, a *app.App, email string) (*account.User, error) {
	if email != "" {
		u, err := a.Accounts.ByEmail(e.ctx, email)
		if err != nil {
			return nil, fmt.Errorf("-author %s: %w", email, err)
		}
		return u, nil
	}
	us, err := a.Accounts.List(e.ctx)
	if err != nil {
		return nil, err
	}
	var admins []string
	var u *account.User
	for _, x := range us {
		if x.Role == account.Admin {
			admins = append(admins, x.Email)
			u = x
		}
	}
	switch len(admins) {
	case 0:
		return nil, fmt.Errorf("the site has no admin to credit the post to: give -author EMAIL, or run 'marquee user add -role admin'")
	case 1:
		return u, nil
	}
	return nil, usageError(fmt.Sprintf("the site has %d admins (%s): say whose post it is with -author EMAIL", len(admins), strings.Join(admins, ", ")))
}

func cmdPostCreate(e *env, args []string) error {
	fs := newFlags(e, "post create", " FILE.md\n\nCreates a post or page and prints its id and, as the last word, its URL."+frontMatterHelp)
	pf := addPostFlags(e, fs, "the author's e-mail address (default: the site's admin, when there is only one)")
	if err := pf.parse(e, fs, args, 1, "usage: marquee post create [flags] FILE.md"); err != nil {
		return err
	}
	f, err := readPostFile(e, fs.Arg(0))
	if err != nil {
		return err
	}
	return writePost(e, pf, f, "Created", func(*app.App) (*post.Post, error) {
		return &post.Post{Type: post.TypePost, Status: post.Draft, Format: post.Markdown}, nil
	}, func(a *app.App, p *post.Post) error {
		p.CommentsOpen = p.Type == post.TypePost // as the admin's editor starts
		return a.Posts.Create(e.ctx, p)
	})
}

func cmdPostUpdate(e *env, args []string) error {
	fs := newFlags(e, "post update", " ID FILE.md\n\nReplaces the post's body with the file's, and the fields its front matter and the flags give;\n"+
		"the others stay as they are (\"tags: []\" clears the tags, 'excerpt: \"\"' the excerpt). A file with\n"+
		"front matter and no body leaves the body alone. An imported HTML post keeps its format.\n"+
		"Prints the post's id and, as the last word, its URL."+frontMatterHelp)
	pf := addPostFlags(e, fs, "credit the post to this user (e-mail address)")
	if err := pf.parse(e, fs, args, 2, "usage: marquee post update [flags] ID FILE.md"); err != nil {
		return err
	}
	id, err := postID(fs.Arg(0))
	if err != nil {
		return err
	}
	f, err := readPostFile(e, fs.Arg(1))
	if err != nil {
		return err
	}
	if f.Empty {
		return fmt.Errorf("%s is empty: nothing to update (to delete the post, use 'marquee post delete %d')", f.name, id)
	}
	return writePost(e, pf, f, "Updated", func(a *app.App) (*post.Post, error) {
		p, err := a.Posts.ByID(e.ctx, id)
		if err != nil {
			return nil, fmt.Errorf("post %d: %w", id, err)
		}
		return p, nil
	}, func(a *app.App, p *post.Post) error {
		return a.Posts.Update(e.ctx, p)
	})
}

// writePost is what create and update share once the file is read: it
// opens the site, takes the post to write from load (a new one, without an
// id, or the stored one), applies the file and the flags, saves it with
// store, and prints verb, the post's id and, as the last word, its URL.
// A new post is credited to -author or the site's only admin, and must get
// a title; a stored one changes author only with -author, and keeps its
// body when the file has none.
func writePost(e *env, pf *postFlags, f *postFile, verb string,
	load func(*app.App) (*post.Post, error), store func(*app.App, *post.Post) error) error {
	a, err := openPostApp(e, *pf.db)
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := siteZone(e, a)
	if err != nil {
		return err
	}
	p, err := load(a)
	if err != nil {
		return err
	}
	isNew := p.ID == 0
	if isNew || pf.set["author"] {
		u, err := author(e, a, *pf.author)
		if err != nil {
			return err
		}
		p.AuthorID = u.ID
	}
	titled, err := applyPost(p, f, pf, loc)
	if err != nil {
		return err
	}
	if f.Body != "" {
		p.Body = f.Body
		if !titled {
			if h, rest, ok := headingTitle(f.Body); ok {
				p.Title, p.Body, titled = h, rest, true
			}
		}
	}
	if isNew && !titled {
		return fmt.Errorf("%s has no title: add \"title:\" to its front matter or a \"# Heading\" line, or give -title", f.name)
	}
	if err := checkScheduled(p); err != nil {
		return err
	}
	if err := store(a, p); err != nil {
		return err
	}
	if p, err = a.Posts.ByID(e.ctx, p.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s %d (%s): %s\n", verb, p.Type, p.ID, p.EffectiveStatus(time.Now()), postURL(e, a, *pf.base, p))
	return nil
}

func cmdPostList(e *env, args []string) error {
	fs := newFlags(e, "post list", "\n\nLists posts and pages, most recently changed first; dates are in the site's time zone.")
	db := dbFlag(e, fs)
	typ := fs.String("type", "", "post or page (default: both)")
	status := fs.String("status", "all", "draft, published, scheduled, private or all")
	limit := fs.Int("limit", 50, "how many (1 to 500)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := postArgs(fs, 0, "usage: marquee post list [-type post|page] [-status S|all] [-limit N]"); err != nil {
		return err
	}
	var filter post.Filter
	if *typ != "" {
		t, err := parseType(*typ)
		if err != nil {
			return usageError("-type: " + err.Error())
		}
		filter.Type = t
	}
	if *status != "all" {
		s, err := parseStatus(*status)
		if err != nil {
			return usageError("-status: " + err.Error() + " (or all)")
		}
		filter.Status = s
	}
	if *limit < 1 || *limit > 500 {
		return usageError("-limit must be between 1 and 500")
	}
	filter.Limit = *limit
	a, err := openPostApp(e, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := siteZone(e, a)
	if err != nil {
		return err
	}
	ps, total, err := a.Posts.List(e.ctx, filter)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tSTATUS\tDATE\tSLUG\tTITLE")
	for _, p := range ps {
		date := "-"
		if !p.PublishedAt.IsZero() {
			date = p.PublishedAt.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Type, p.EffectiveStatus(now), date, p.Slug, oneLine(p.Title))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(ps) {
		fmt.Fprintf(e.stderr, "Showing %d of %d; use -limit for more.\n", len(ps), total)
	}
	return nil
}

// oneLine keeps a title on its row of the table.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
}

// postByArg opens the site and finds the post the one argument names.
func postByArg(e *env, fs *flag.FlagSet, db, usage string) (*app.App, *post.Post, error) {
	if err := postArgs(fs, 1, usage); err != nil {
		return nil, nil, err
	}
	id, err := postID(fs.Arg(0))
	if err != nil {
		return nil, nil, err
	}
	a, err := openPostApp(e, db)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.Posts.ByID(e.ctx, id)
	if err != nil {
		a.Close()
		return nil, nil, fmt.Errorf("post %d: %w", id, err)
	}
	return a, p, nil
}

func cmdPostShow(e *env, args []string) error {
	fs := newFlags(e, "post show", " ID\n\nPrints the post as Markdown with front matter: what 'post create' and 'post update' read.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, p, err := postByArg(e, fs, *db, "usage: marquee post show ID")
	if err != nil {
		return err
	}
	defer a.Close()
	loc, err := siteZone(e, a)
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, formatPostFile(p, loc, time.Now()))
	return err
}

func cmdPostPublish(e *env, args []string) error {
	fs := newFlags(e, "post publish", " ID\n\nPublishes a draft, private or scheduled post now (a draft keeps a past date it has).\nPrints the post's URL as the last word.")
	db := dbFlag(e, fs)
	base := fs.String("base-url", envOr(e, "MARQUEE_BASE_URL", ""), "the site's public address, for the printed URL, when the settings have none (env MARQUEE_BASE_URL)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, p, err := postByArg(e, fs, *db, "usage: marquee post publish ID")
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now()
	if p.VisibleAt(now) {
		fmt.Fprintf(e.stdout, "The %s %d is already published: %s\n", p.Type, p.ID, postURL(e, a, *base, p))
		return nil
	}
	p.Status = post.Published
	if p.PublishedAt.IsZero() || p.PublishedAt.After(now) {
		p.PublishedAt = now
	}
	if err := a.Posts.Update(e.ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Published %s %d: %s\n", p.Type, p.ID, postURL(e, a, *base, p))
	return nil
}

func cmdPostDelete(e *env, args []string) error {
	fs := newFlags(e, "post delete", " ID\n\nDeletes the post or page and its comments, without asking. 'post show ID > FILE' first keeps a copy.")
	db := dbFlag(e, fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, p, err := postByArg(e, fs, *db, "usage: marquee post delete ID")
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Posts.Delete(e.ctx, p.ID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return fmt.Errorf("post %d: %w", p.ID, err)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Deleted %s %d %q (%s, %s) and its comments.\n", p.Type, p.ID, p.Title, p.EffectiveStatus(time.Now()), post.Path(p.Slug))
	return nil
}
