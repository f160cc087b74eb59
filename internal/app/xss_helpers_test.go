package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"marquee/internal/app"
	"marquee/internal/fixture"
)

// loadXSS is the project's payload corpus (fixture.XSS).
func loadXSS(testing.TB) []string { return fixture.XSS() }

// xsite is a real Marquee behind httptest, with an admin logged in.
type xsite struct {
	t      testing.TB
	a      *app.App
	srv    *httptest.Server
	base   string
	token  string       // API token of the admin
	anon   *http.Client // a reader: cookies, no redirects followed
	admin  *http.Client // the admin's session: cookies, no redirects followed
	userID int64
}

const (
	xAdminEmail = "admin@example.org"
	xAdminPW    = "admin-password-xss-1"
)

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func newClient(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: noRedirect}
}

// newXSite opens a fresh site on dsn ("" for a new SQLite file).
func newXSite(t testing.TB, dsn string, cfg app.Config) *xsite {
	t.Helper()
	ctx := context.Background()
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "site.db")
	}
	cfg.DB, cfg.AdminEmail, cfg.AdminPassword = dsn, xAdminEmail, xAdminPW
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if err := a.FirstRun(ctx, io.Discard, srv.URL+"/admin/"); err != nil {
		t.Fatal(err)
	}
	u, err := a.Accounts.ByEmail(ctx, xAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.Accounts.CreateToken(ctx, u.ID, "xss")
	if err != nil {
		t.Fatal(err)
	}
	s := &xsite{t: t, a: a, srv: srv, base: srv.URL, token: tok, anon: newClient(t), admin: newClient(t), userID: u.ID}
	return s
}

// login logs the admin client in through the real login form.
func (s *xsite) login() {
	s.t.Helper()
	res, err := s.admin.PostForm(s.base+"/admin/login", url.Values{"email": {xAdminEmail}, "password": {xAdminPW}, "next": {"/admin/"}})
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login: %s", res.Status)
	}
}

// get fetches path (or an absolute URL) with c.
func (s *xsite) get(c *http.Client, path string) (int, []byte, http.Header) {
	s.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = s.base + path
	}
	res, err := c.Get(u)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return res.StatusCode, b, res.Header
}

// api calls the JSON API with the admin's token; out may be nil.
func (s *xsite) api(method, path string, in, out any) int {
	s.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			s.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			s.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

// --- What "no script can run" means, on the parse a browser makes. ---

// unsafeURL reports whether an attribute value, after trimming, decoding
// entities and removing whitespace and control characters, names a scheme
// that runs script or carries a document.
func unsafeURL(v string) string {
	for range 2 { // the parser decoded once; decode once more to be strict
		v = html.UnescapeString(v)
	}
	v = strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\u00a0' || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return -1
		}
		return r
	}, v)
	v = strings.ToLower(v)
	for _, s := range []string{"javascript:", "vbscript:", "data:", "livescript:", "mocha:"} {
		if strings.HasPrefix(v, s) {
			return strings.TrimSuffix(s, ":")
		}
	}
	return ""
}

var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true, "background": true,
	"data": true, "codebase": true, "dynsrc": true, "lowsrc": true, "cite": true, "ping": true, "manifest": true,
	"icon": true, "longdesc": true, "usemap": true, "profile": true, "classid": true, "archive": true,
}

// never are elements no Marquee page has, and no user may add.
var never = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"base": true, "portal": true, "style": true, "template": true, "animate": true, "set": true,
	"handler": true, "listener": true, "import": true, "isindex": true, "param": true, "bgsound": true,
}

// ours reports whether a URL in a link, script or form of our own points at
// this site.
func ours(v, base string) bool {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, "/\\") {
		return true
	}
	return v == base || strings.HasPrefix(v, base+"/") || strings.HasPrefix(v, base+"?")
}

// scanner walks a parsed document and collects what could run script.
type scanner struct {
	base     string
	fragment bool // user HTML embedded elsewhere (a feed's content): nothing of ours belongs in it
	probs    []string
}

func (sc *scanner) add(n *html.Node, format string, args ...any) {
	sc.probs = append(sc.probs, fmt.Sprintf(format, args...)+" at "+nodePath(n)+": "+snippet(n))
}

func nodePath(n *html.Node) string {
	var parts []string
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		s := p.Data
		for _, a := range p.Attr {
			if a.Key == "id" || a.Key == "class" {
				s += "[" + a.Key + "=" + a.Val + "]"
			}
		}
		parts = append([]string{s}, parts...)
	}
	return strings.Join(parts, ">")
}

func snippet(n *html.Node) string {
	var b bytes.Buffer
	html.Render(&b, n)
	s := b.String()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func inHead(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.Head {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func (sc *scanner) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		sc.element(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		sc.walk(c)
	}
}

func (sc *scanner) element(n *html.Node) {
	name := strings.ToLower(n.Data)
	own := !sc.fragment
	switch {
	case never[name]:
		sc.add(n, "element <%s>", name)
	case name == "script":
		typ, _ := attr(n, "type")
		src, hasSrc := attr(n, "src")
		switch {
		case own && strings.EqualFold(typ, "application/ld+json") && !hasSrc && n.Namespace == "":
			if body := textOf(n); !json.Valid([]byte(body)) {
				sc.add(n, "JSON-LD that is not JSON (a </script> breakout?)")
			}
		case own && hasSrc && ours(src, sc.base) && strings.Contains(src, "/static/") && textOf(n) == "" && n.Namespace == "":
		default:
			sc.add(n, "script element")
		}
	case name == "form":
		action, ok := attr(n, "action")
		if !own || (ok && !ours(action, sc.base)) {
			sc.add(n, "form posting elsewhere (action %q)", action)
		}
	case name == "meta":
		if _, ok := attr(n, "http-equiv"); ok || !own || !inHead(n) {
			sc.add(n, "meta element from user input")
		}
	case name == "link":
		href, _ := attr(n, "href")
		if !own || !inHead(n) || !ours(href, sc.base) {
			sc.add(n, "link element from user input")
		}
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		full := key
		if a.Namespace != "" {
			full = a.Namespace + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on"):
			sc.add(n, "event handler %s", full)
		case key == "style":
			sc.add(n, "style attribute")
		case key == "srcdoc":
			sc.add(n, "srcdoc attribute")
		case key == "srcset" || key == "imagesrcset":
			for _, c := range strings.Split(a.Val, ",") {
				if s := unsafeURL(c); s != "" {
					sc.add(n, "%s: URL in %s", s, full)
				}
			}
		case urlAttrs[key] || full == "xlink:href" || key == "xlink:href":
			if s := unsafeURL(a.Val); s != "" {
				sc.add(n, "%s: URL in %s", s, full)
			}
		case key == "attributename" && (strings.HasPrefix(strings.ToLower(a.Val), "on") || strings.Contains(strings.ToLower(a.Val), "href")):
			sc.add(n, "SVG animation of %s", a.Val)
		}
	}
}

// checkPage parses a whole HTML page and lists what could run script.
func checkPage(body []byte, base string) []string {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return []string{"unparseable page: " + err.Error()}
	}
	sc := &scanner{base: base}
	sc.walk(doc)
	return sc.probs
}

// checkFragment parses user HTML as a feed reader would (in a body) and
// lists what could run script.
func checkFragment(s, base string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return []string{"unparseable HTML: " + err.Error()}
	}
	sc := &scanner{base: base, fragment: true}
	for _, n := range nodes {
		sc.walk(n)
	}
	return sc.probs
}

// checkText: a field that feed readers show as text must hold no markup.
func checkText(what, s string) []string {
	if strings.Contains(s, "<") {
		return []string{fmt.Sprintf("%s holds markup: %q", what, trunc(s, 120))}
	}
	return nil
}

func checkLink(what, s, base string) []string {
	if u := unsafeURL(s); u != "" {
		return []string{fmt.Sprintf("%s is a %s: URL: %q", what, u, s)}
	}
	return nil
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Channel struct {
		Title       string `xml:"title"`
		Link        string `xml:"link"`
		Description string `xml:"description"`
		Items       []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Comments    string `xml:"comments"`
			Description string `xml:"description"`
			Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomDoc struct {
	XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title    atomText `xml:"title"`
	Subtitle atomText `xml:"subtitle"`
	Links    []struct {
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title atomText `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary atomText `xml:"summary"`
		Content atomText `xml:"content"`
	} `xml:"entry"`
}

// checkAtomText: text is shown as text, html is parsed as HTML.
func checkAtomText(what string, t atomText, base string, textOnly bool) []string {
	switch t.Type {
	case "html":
		if textOnly { // a title: text once parsed, no elements
			nodes, err := html.ParseFragment(strings.NewReader(t.Body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
			if err != nil {
				return []string{what + ": " + err.Error()}
			}
			for _, n := range nodes {
				if n.Type == html.ElementNode {
					return []string{fmt.Sprintf("%s holds markup: %q", what, trunc(t.Body, 120))}
				}
			}
			return nil
		}
		return checkFragment(t.Body, base)
	case "xhtml":
		return []string{what + " is xhtml"}
	}
	if textOnly {
		return checkText(what, t.Body)
	}
	return nil
}

// checkFeed decodes an RSS or Atom document and checks each item: HTML
// content parsed as HTML, titles as text holding no "<", links.
func checkFeed(body []byte, base string) (items int, probs []string) {
	if bytes.Contains(body[:min(len(body), 500)], []byte("<rss")) {
		var d rssDoc
		if err := xml.Unmarshal(body, &d); err != nil {
			return 0, []string{"RSS does not decode: " + err.Error()}
		}
		c := d.Channel
		probs = append(probs, checkText("channel title", c.Title)...)
		for _, p := range checkFragment(c.Description, base) {
			probs = append(probs, "channel description: "+p)
		}
		probs = append(probs, checkLink("channel link", c.Link, base)...)
		for i, it := range c.Items {
			w := fmt.Sprintf("item %d", i)
			probs = append(probs, checkText(w+" title", it.Title)...)
			probs = append(probs, checkLink(w+" link", it.Link, base)...)
			probs = append(probs, checkLink(w+" comments", it.Comments, base)...)
			for _, p := range checkFragment(it.Description, base) {
				probs = append(probs, w+" description: "+p)
			}
			for _, p := range checkFragment(it.Content, base) {
				probs = append(probs, w+" content: "+p)
			}
		}
		return len(c.Items), probs
	}
	var d atomDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		return 0, []string{"Atom does not decode: " + err.Error()}
	}
	probs = append(probs, checkAtomText("feed title", d.Title, base, true)...)
	for _, p := range checkAtomText("feed subtitle", d.Subtitle, base, false) {
		probs = append(probs, "feed subtitle: "+p)
	}
	for _, l := range d.Links {
		probs = append(probs, checkLink("feed link", l.Href, base)...)
	}
	for i, e := range d.Entries {
		w := fmt.Sprintf("entry %d", i)
		probs = append(probs, checkAtomText(w+" title", e.Title, base, true)...)
		probs = append(probs, checkLink(w+" link", e.Link.Href, base)...)
		for _, p := range checkAtomText(w+" summary", e.Summary, base, false) {
			probs = append(probs, w+" summary: "+p)
		}
		for _, p := range checkAtomText(w+" content", e.Content, base, false) {
			probs = append(probs, w+" content: "+p)
		}
	}
	return len(d.Entries), probs
}

// checkSitemap: every address is on this site.
func checkSitemap(body []byte, base string) (int, []string) {
	var d struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &d); err != nil {
		return 0, []string{"sitemap does not decode: " + err.Error()}
	}
	var probs []string
	for _, u := range d.URLs {
		if !strings.HasPrefix(u.Loc, base+"/") || strings.ContainsAny(u.Loc, "<>\"' ") {
			probs = append(probs, fmt.Sprintf("sitemap address not of this site: %q", u.Loc))
		}
	}
	return len(d.URLs), probs
}

// pageLinks returns the site-relative addresses of the pager links of a
// listing: links to the same path with a page query.
func pageLinks(body []byte, page, base string) []string {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	pu, _ := url.Parse(page)
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if href, ok := attr(n, "href"); ok {
				if u, err := url.Parse(strings.TrimPrefix(href, base)); err == nil && u.Path == pu.Path && u.Query().Get("page") != "" {
					out = append(out, u.RequestURI())
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// replyForm finds the reply form in a post page, like a browser: its action
// and every field with the value it holds.
func replyForm(body []byte) (action string, v url.Values, ok bool) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", nil, false
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Form {
			if id, _ := attr(n, "id"); id == "commentform" {
				form = n
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		return "", nil, false
	}
	action, _ = attr(form, "action")
	v = url.Values{}
	var fields func(n *html.Node)
	fields = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch n.DataAtom {
			case atom.Input:
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				if named && (typ != "checkbox" && typ != "radio" || checked) && typ != "submit" {
					v.Add(name, val)
				}
			case atom.Textarea:
				if named {
					v.Add(name, textOf(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			fields(c)
		}
	}
	fields(form)
	return action, v, true
}
