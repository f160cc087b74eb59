// Package feed writes RSS 2.0, Atom 1.0 and sitemap documents. It knows the
// formats, not where the entries come from.
package feed

import (
	"encoding/xml"
	"html"
	"io"
	"strings"
	"time"
)

// Channel describes a feed as a whole.
type Channel struct {
	Title       string
	Link        string // the HTML page the feed mirrors
	Self        string // the feed's own URL
	Description string
	Language    string
	Updated     time.Time
}

// Entry is one item of a feed.
type Entry struct {
	Title      string
	Link       string
	ID         string // permanent; the link when empty
	Author     string
	Published  time.Time
	Updated    time.Time
	Summary    string // plain text
	HTML       string // full content, sanitised HTML
	Categories []string
	Comments   string // the comment section's URL, RSS only
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	AtomLink    rssLink   `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language,omitempty"`
	LastBuild   string    `xml:"lastBuildDate,omitempty"`
	Generator   string    `xml:"generator"`
	Items       []rssItem `xml:"item"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink bool   `xml:"isPermaLink,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	Creator     string   `xml:"dc:creator,omitempty"`
	PubDate     string   `xml:"pubDate"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description"`
	Content     string   `xml:"content:encoded,omitempty"`
	Comments    string   `xml:"comments,omitempty"`
}

// titleText makes a plain-text title safe for feed readers that treat
// titles as HTML (many do, whatever the specification says): angle
// brackets become their typographic lookalikes, so no tag can form, while
// "&" and quotes stay readable for the readers that treat titles as text.
var titleText = strings.NewReplacer("<", "‹", ">", "›").Replace

// WriteRSS writes an RSS 2.0 document with full content in content:encoded.
func WriteRSS(w io.Writer, c Channel, entries []Entry) error {
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{Title: titleText(c.Title), Link: c.Link, Description: html.EscapeString(c.Description), Language: c.Language,
			AtomLink: rssLink{Href: c.Self, Rel: "self", Type: "application/rss+xml"}, Generator: "Marquee"}}
	if !c.Updated.IsZero() {
		doc.Channel.LastBuild = c.Updated.UTC().Format(time.RFC1123Z)
	}
	for _, e := range entries {
		id := e.ID
		if id == "" {
			id = e.Link
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{Title: titleText(e.Title), Link: e.Link,
			GUID: rssGUID{Value: id, IsPermaLink: id == e.Link}, Creator: e.Author,
			PubDate: e.Published.UTC().Format(time.RFC1123Z), Categories: e.Categories,
			Description: html.EscapeString(e.Summary), Content: e.HTML, Comments: e.Comments})
	}
	return write(w, doc)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle,omitempty"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Link       atomLink       `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

// WriteAtom writes an Atom 1.0 document with full HTML content.
func WriteAtom(w io.Writer, c Channel, entries []Entry) error {
	updated := c.Updated
	doc := atomFeed{Lang: c.Language, Title: titleText(c.Title), Sub: titleText(c.Description), ID: c.Self, Gen: "Marquee",
		Links: []atomLink{{Href: c.Link, Rel: "alternate", Type: "text/html"}, {Href: c.Self, Rel: "self", Type: "application/atom+xml"}}}
	for _, e := range entries {
		id := e.ID
		if id == "" {
			id = e.Link
		}
		up := e.Updated
		if up.IsZero() {
			up = e.Published
		}
		if up.After(updated) {
			updated = up
		}
		ae := atomEntry{Title: titleText(e.Title), ID: id, Link: atomLink{Href: e.Link, Rel: "alternate", Type: "text/html"},
			Published: e.Published.UTC().Format(time.RFC3339), Updated: up.UTC().Format(time.RFC3339)}
		if e.Author != "" {
			ae.Author = &atomPerson{Name: e.Author}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		if e.HTML != "" {
			ae.Content = &atomText{Type: "html", Body: e.HTML}
		}
		doc.Entries = append(doc.Entries, ae)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	doc.Updated = updated.UTC().Format(time.RFC3339)
	if doc.Updated == "" {
		doc.Updated = time.Now().UTC().Format(time.RFC3339)
	}
	return write(w, doc)
}

// URL is one entry of a sitemap.
type URL struct {
	Loc     string
	LastMod time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// WriteSitemap writes a sitemaps.org urlset.
func WriteSitemap(w io.Writer, urls []URL) error {
	var doc urlset
	for _, u := range urls {
		su := sitemapURL{Loc: u.Loc}
		if !u.LastMod.IsZero() {
			su.LastMod = u.LastMod.UTC().Format("2006-01-02")
		}
		doc.URLs = append(doc.URLs, su)
	}
	return write(w, doc)
}

func write(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
