package wxr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Error is a problem in the input, located by line so a user can find it
// in a file too large to open in an editor.
type Error struct {
	Line int
	Err  error // an *xml.SyntaxError, a read error, or a description
}

func (e *Error) Error() string {
	if se, ok := e.Err.(*xml.SyntaxError); ok {
		return fmt.Sprintf("wxr: line %d: XML syntax error: %s", e.Line, se.Msg)
	}
	return fmt.Sprintf("wxr: line %d: %v", e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Reader streams the records of a WXR document. Create one with NewReader.
type Reader struct {
	d       *xml.Decoder
	state   int
	site    Site
	sent    bool              // Site has been returned
	pending *xml.StartElement // record held back while Site is returned
	bad     *Error            // first bad field value of the current record
	err     error             // final: io.EOF or a fatal error
	buf     []byte            // reused by text
	start   bool              // the last token was a StartElement
}

const (
	stStart   = iota // before the root element
	stRSS            // inside <rss>, outside <channel>
	stChannel        // inside <channel>
)

// NewReader returns a Reader for the WXR document in r. The decoder is
// lenient about text, as exports written by plugins and other tools need:
// HTML entities such as &nbsp; outside CDATA decode to their characters,
// unknown ones and stray ampersands stay as text; UTF-16 documents and
// declared encodings other than UTF-8 are decoded, bytes that are not
// UTF-8 in a UTF-8 document are read as windows-1252, and control
// characters XML forbids are dropped (see clean.go). It is strict about
// structure: a mismatched end tag is an error, not a silent truncation.
func NewReader(r io.Reader) *Reader {
	in := &input{raw: r}
	d := xml.NewDecoder(in)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = in.charsetReader
	return &Reader{d: d}
}

// Next returns the next record: first a Site, then Author, Category, Tag,
// Term and Post values in document order. It returns io.EOF after </rss>.
// Errors are *Error values naming the line. After a bad field value (say a
// non-numeric post_id) the Reader stays usable and Next continues with the
// following record; any other error is final.
func (r *Reader) Next() (Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.pending != nil {
		se := *r.pending
		r.pending = nil
		return r.record(se)
	}
	for {
		tok, err := r.token()
		if err != nil {
			if err == io.EOF && r.state == stStart {
				return nil, r.fail(errors.New("not an XML document: no root element"))
			}
			return nil, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch r.state {
			case stStart:
				if t.Name.Local != "rss" {
					return nil, r.fail(fmt.Errorf("not a WXR file: root element is <%s>, not <rss>", t.Name.Local))
				}
				r.state = stRSS
			case stRSS:
				if t.Name.Local == "channel" && t.Name.Space == "" {
					r.state = stChannel
				} else if err := r.skip(); err != nil {
					return nil, r.fail(err)
				}
			case stChannel:
				if isRecord(t.Name) {
					if !r.sent {
						if err := r.checkSite(); err != nil {
							return nil, err
						}
						t = t.Copy()
						r.pending = &t
						return r.site, nil
					}
					return r.record(t)
				}
				if err := r.siteField(t); err != nil {
					return nil, r.fail(err)
				}
			}
		case xml.EndElement:
			switch r.state {
			case stChannel:
				r.state = stRSS
				if !r.sent {
					if err := r.checkSite(); err != nil {
						return nil, err
					}
					return r.site, nil
				}
			case stRSS:
				if !r.sent {
					return nil, r.fail(errors.New("not a WXR file: <rss> has no <channel>"))
				}
				return nil, r.fail(r.trailer())
			}
		}
	}
}

// token returns the next token. The lenient decoder answers a mismatched
// end tag by closing the open elements with made-up end tokens, which would
// silently cut a record short and end the document early; made-up end
// tokens are the only ones that consume no input without following their
// own (self-closing) start tag, so they are reported as errors here.
func (r *Reader) token() (xml.Token, error) {
	off := r.d.InputOffset()
	tok, err := r.d.Token()
	if err != nil {
		return nil, err
	}
	if e, ok := tok.(xml.EndElement); ok && !r.start && r.d.InputOffset() == off {
		line, _ := r.d.InputPos()
		return nil, &Error{Line: line, Err: &xml.SyntaxError{
			Line: line, Msg: "mismatched end tag inside <" + e.Name.Local + ">"}}
	}
	_, r.start = tok.(xml.StartElement)
	return tok, nil
}

// skip consumes the element just opened, like xml.Decoder.Skip but through
// token.
func (r *Reader) skip() error {
	for depth := 0; ; {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// trailer reads what follows </rss>: only space, comments and processing
// instructions may, so that a damaged file cannot pass for a complete one.
func (r *Reader) trailer() error {
	for {
		tok, err := r.token()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fmt.Errorf("element <%s> after </rss>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("text after </rss>")
			}
		}
	}
}

// fail records err as final, wrapped with the current line unless it is
// already an *Error.
func (r *Reader) fail(err error) error {
	if err == io.EOF && r.state != stStart {
		r.err = io.EOF
		return io.EOF
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Err: err}
		if se, ok := err.(*xml.SyntaxError); ok {
			e.Line = se.Line
		} else {
			e.Line, _ = r.d.InputPos()
		}
	}
	r.err = e
	return e
}

// checkSite rejects an RSS feed that is not a WordPress export, as
// WordPress's importer does, before any record is returned.
func (r *Reader) checkSite() error {
	r.sent = true
	if r.site.WXRVersion == "" {
		return r.fail(errors.New("not a WXR file: RSS channel has no <wp:wxr_version>"))
	}
	return nil
}

// kind classifies a namespace URI. WXR's URIs changed across versions
// (http and https, export/1.0/ to 1.2/), so they are matched loosely; a
// bare prefix is accepted too because the lenient decoder reports an
// undeclared prefix in place of its URI.
type kind uint8

const (
	nsOther kind = iota
	nsRSS
	nsWP
	nsExcerpt
	nsContent
	nsDC
)

func classify(space string) kind {
	switch {
	case space == "":
		return nsRSS
	case strings.Contains(space, "wordpress.org/export/"):
		if strings.Contains(space, "/excerpt") {
			return nsExcerpt
		}
		return nsWP
	case strings.Contains(space, "purl.org/rss/1.0/modules/content"):
		return nsContent
	case strings.Contains(space, "purl.org/dc/elements/"):
		return nsDC
	}
	switch space {
	case "wp":
		return nsWP
	case "excerpt":
		return nsExcerpt
	case "content":
		return nsContent
	case "dc":
		return nsDC
	}
	return nsOther
}

func isRecord(n xml.Name) bool {
	switch classify(n.Space) {
	case nsRSS:
		return n.Local == "item"
	case nsWP:
		switch n.Local {
		case "author", "category", "tag", "term":
			return true
		}
	}
	return false
}

func (r *Reader) siteField(se xml.StartElement) error {
	var dst *string
	switch k := classify(se.Name.Space); {
	case k == nsRSS:
		switch se.Name.Local {
		case "title":
			dst = &r.site.Title
		case "link":
			dst = &r.site.Link
		case "description":
			dst = &r.site.Description
		case "pubDate":
			dst = &r.site.PubDate
		case "language":
			dst = &r.site.Language
		}
	case k == nsWP:
		switch se.Name.Local {
		case "wxr_version":
			dst = &r.site.WXRVersion
		case "base_site_url":
			dst = &r.site.BaseSiteURL
		case "base_blog_url":
			dst = &r.site.BaseBlogURL
		}
	}
	if dst == nil {
		return r.skip()
	}
	return r.str(dst)
}

// record decodes the record that se opens.
func (r *Reader) record(se xml.StartElement) (Item, error) {
	r.bad = nil
	var it Item
	var err error
	switch se.Name.Local {
	case "item":
		it, err = r.post()
	case "author":
		it, err = r.author()
	case "category":
		it, err = r.category()
	case "tag":
		it, err = r.tag()
	case "term":
		it, err = r.term()
	}
	if err != nil {
		return nil, r.fail(err)
	}
	if r.bad != nil {
		return nil, r.bad
	}
	return it, nil
}

// each calls fn for each child element of the element just opened, up to
// its end. fn must consume the child (with str, num, each or Skip).
func (r *Reader) each(fn func(k kind, se xml.StartElement) error) error {
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(classify(t.Name.Space), t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// text returns the character data of the element just opened, CDATA
// sections joined, nested elements' text included, up to its end.
func (r *Reader) text() (string, error) {
	r.buf = r.buf[:0]
	depth := 0
	for {
		tok, err := r.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			r.buf = append(r.buf, t...)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return string(r.buf), nil
			}
			depth--
		}
	}
}

func (r *Reader) str(dst *string) error {
	s, err := r.text()
	*dst = s
	return err
}

// num reads an integer field of the element se. Empty means 0, as PHP's
// (int) cast that WordPress applies; anything else unparsable is noted as
// a bad field, reported after the record.
func (r *Reader) num(se xml.StartElement, dst *int64) error {
	line, _ := r.d.InputPos()
	s, err := r.text()
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		*dst = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil && r.bad == nil {
		r.bad = &Error{Line: line, Err: fmt.Errorf("<%s>: %q is not an integer", se.Name.Local, s)}
	}
	*dst = n
	return nil
}

func (r *Reader) meta(dst *[]Meta) error {
	var m Meta
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "meta_key":
				return r.str(&m.Key)
			case "meta_value":
				return r.str(&m.Value)
			}
		}
		return r.skip()
	})
	*dst = append(*dst, m)
	return err
}

func (r *Reader) author() (Author, error) {
	var a Author
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "author_id":
				return r.num(se, &a.ID)
			case "author_login":
				return r.str(&a.Login)
			case "author_email":
				return r.str(&a.Email)
			case "author_display_name":
				return r.str(&a.DisplayName)
			case "author_first_name":
				return r.str(&a.FirstName)
			case "author_last_name":
				return r.str(&a.LastName)
			}
		}
		return r.skip()
	})
	return a, err
}

func (r *Reader) category() (Category, error) {
	var c Category
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "term_id":
				return r.num(se, &c.TermID)
			case "category_nicename":
				return r.str(&c.Nicename)
			case "category_parent":
				return r.str(&c.Parent)
			case "cat_name":
				return r.str(&c.Name)
			case "category_description":
				return r.str(&c.Description)
			case "termmeta":
				return r.meta(&c.Meta)
			}
		}
		return r.skip()
	})
	return c, err
}

func (r *Reader) tag() (Tag, error) {
	var t Tag
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "term_id":
				return r.num(se, &t.TermID)
			case "tag_slug":
				return r.str(&t.Slug)
			case "tag_name":
				return r.str(&t.Name)
			case "tag_description":
				return r.str(&t.Description)
			case "termmeta":
				return r.meta(&t.Meta)
			}
		}
		return r.skip()
	})
	return t, err
}

func (r *Reader) term() (Term, error) {
	var t Term
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "term_id":
				return r.num(se, &t.TermID)
			case "term_taxonomy":
				return r.str(&t.Taxonomy)
			case "term_slug":
				return r.str(&t.Slug)
			case "term_parent":
				return r.str(&t.Parent)
			case "term_name":
				return r.str(&t.Name)
			case "term_description":
				return r.str(&t.Description)
			case "termmeta":
				return r.meta(&t.Meta)
			}
		}
		return r.skip()
	})
	return t, err
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (r *Reader) post() (Post, error) {
	var p Post
	var n int64
	err := r.each(func(k kind, se xml.StartElement) error {
		switch k {
		case nsRSS:
			switch se.Name.Local {
			case "title":
				return r.str(&p.Title)
			case "link":
				return r.str(&p.Link)
			case "pubDate":
				return r.str(&p.PubDate)
			case "guid":
				v, ok := attr(se, "isPermaLink")
				p.GUIDIsPermaLink = !ok || strings.TrimSpace(v) != "false"
				return r.str(&p.GUID)
			case "description":
				return r.str(&p.Description)
			case "category":
				c := PostCategory{}
				c.Domain, _ = attr(se, "domain")
				if c.Domain == "tag" {
					c.Domain = "post_tag"
				}
				c.Nicename, _ = attr(se, "nicename")
				err := r.str(&c.Name)
				p.Categories = append(p.Categories, c)
				return err
			}
		case nsDC:
			if se.Name.Local == "creator" {
				return r.str(&p.Creator)
			}
		case nsContent:
			if se.Name.Local == "encoded" {
				return r.str(&p.Content)
			}
		case nsExcerpt:
			if se.Name.Local == "encoded" {
				return r.str(&p.Excerpt)
			}
		case nsWP:
			switch se.Name.Local {
			case "post_id":
				return r.num(se, &p.ID)
			case "post_date":
				return r.str(&p.PostDate)
			case "post_date_gmt":
				return r.str(&p.PostDateGMT)
			case "post_modified":
				return r.str(&p.PostModified)
			case "post_modified_gmt":
				return r.str(&p.PostModifiedGMT)
			case "comment_status":
				return r.str(&p.CommentStatus)
			case "ping_status":
				return r.str(&p.PingStatus)
			case "post_name":
				return r.str(&p.Name)
			case "status":
				return r.str(&p.Status)
			case "post_parent":
				return r.num(se, &p.Parent)
			case "menu_order":
				err := r.num(se, &n)
				p.MenuOrder = int(n)
				return err
			case "post_type":
				return r.str(&p.Type)
			case "post_password":
				return r.str(&p.Password)
			case "is_sticky":
				err := r.num(se, &n)
				p.Sticky = n != 0
				return err
			case "attachment_url":
				return r.str(&p.AttachmentURL)
			case "postmeta":
				return r.meta(&p.Meta)
			case "comment":
				c, err := r.comment()
				p.Comments = append(p.Comments, c)
				return err
			}
		}
		return r.skip()
	})
	return p, err
}

func (r *Reader) comment() (Comment, error) {
	var c Comment
	err := r.each(func(k kind, se xml.StartElement) error {
		if k == nsWP {
			switch se.Name.Local {
			case "comment_id":
				return r.num(se, &c.ID)
			case "comment_author":
				return r.str(&c.Author)
			case "comment_author_email":
				return r.str(&c.AuthorEmail)
			case "comment_author_url":
				return r.str(&c.AuthorURL)
			case "comment_author_IP":
				return r.str(&c.AuthorIP)
			case "comment_date":
				return r.str(&c.Date)
			case "comment_date_gmt":
				return r.str(&c.DateGMT)
			case "comment_content":
				return r.str(&c.Content)
			case "comment_approved":
				return r.str(&c.Approved)
			case "comment_type":
				return r.str(&c.Type)
			case "comment_parent":
				return r.num(se, &c.Parent)
			case "comment_user_id":
				return r.num(se, &c.UserID)
			case "commentmeta":
				return r.meta(&c.Meta)
			}
		}
		return r.skip()
	})
	return c, err
}
