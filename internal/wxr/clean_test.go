package wxr

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// TestEncodings reads the same small export written as an old blog's
// ISO-8859-1 (all of it, or with UTF-8 CDATA as WordPress wrote it), as
// UTF-16 (a file saved as "Unicode" on Windows) and as UTF-8 holding
// Latin-1 bytes and control characters pasted from a word processor.
func TestEncodings(t *testing.T) {
	for _, tt := range []struct{ file, title, body string }{
		{"testdata/latin1.xml", "Café crème", "Un café à 2 € ?"},
		{"testdata/utf16.xml", "Café crème", "Un café à 2 € ?"},
		{"testdata/dirty-utf8.xml", "Café crème fin", "Un café    fin"},
		// An ISO-8859-1 blog's export: WordPress wrote the CDATA in UTF-8.
		{"testdata/latin1-mixed.xml", "Café crème", "Un café à 2 € ?"},
	} {
		src, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		// Whole, and one byte at a time so that every rune and every
		// declaration straddles a read.
		for _, r := range []io.Reader{bytes.NewReader(src), iotest.OneByteReader(bytes.NewReader(src))} {
			items, err := readItems(r)
			if err != nil {
				t.Fatalf("%s: %v", tt.file, err)
			}
			if len(items) != 2 {
				t.Fatalf("%s: %d records", tt.file, len(items))
			}
			if s := items[0].(Site); s.Title != "Le vieux café" {
				t.Errorf("%s: site title %q", tt.file, s.Title)
			}
			p := items[1].(Post)
			if p.Title != tt.title || p.Content != tt.body || p.ID != 3 {
				t.Errorf("%s: title %q, content %q, id %d; want %q, %q", tt.file, p.Title, p.Content, p.ID, tt.title, tt.body)
			}
		}
	}
}

func TestEncodingErrors(t *testing.T) {
	// Cleaning adds and removes no newline: the line of a later error is
	// the file's own.
	doc := "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n" +
		"<item><title>a\x00\x0b\xff</title></item>\n\n<item></channel></rss>"
	_, err := readItems(strings.NewReader(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "wxr: line 5:") {
		t.Errorf("err = %v, want one on line 5", err)
	}
	_, err = readItems(strings.NewReader("<?xml version=\"1.0\" encoding=\"x-klingon\"?>\n<rss><channel></channel></rss>"))
	if err == nil || !strings.Contains(err.Error(), "encoding x-klingon is not supported") {
		t.Errorf("unknown encoding: err = %v", err)
	}
	// Other declared encodings are decoded from them.
	doc = "<?xml version=\"1.0\" encoding=\"KOI8-R\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>" +
		"<wp:wxr_version>1.2</wp:wxr_version><item><title>\xf0\xd2\xc9\xd7\xc5\xd4</title></item></channel></rss>"
	items, err := readItems(strings.NewReader(doc))
	if err != nil || items[1].(Post).Title != "Привет" {
		t.Errorf("KOI8-R: %v, %v", items, err)
	}
	// A UTF-8 file is never re-read: its multi-byte runes and U+FFFD stay.
	doc = "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><wp:wxr_version>1.2</wp:wxr_version>" +
		"<item><title>日本語 � ok</title></item></channel></rss>"
	items, err = readItems(iotest.HalfReader(strings.NewReader(doc)))
	if err != nil || items[1].(Post).Title != "日本語 � ok" {
		t.Errorf("UTF-8: %v, %v", items, err)
	}
}

func TestPubDateOfUnsetDate(t *testing.T) {
	// WordPress writes pubDate from post_date_gmt; an unset one gives 1970.
	p := Post{PubDate: "Thu, 01 Jan 1970 00:00:00 +0000"}
	if got, ok := p.PublishedGMT(nil); ok {
		t.Errorf("1970 pubDate taken as a date: %v", got)
	}
	p = Post{PubDate: "Mon, 30 Nov -0001 00:00:00 +0000"}
	if got, ok := p.PublishedGMT(nil); ok {
		t.Errorf("year -1 taken as a date: %v", got)
	}
	p = Post{PubDate: "Sat, 2 Nov 2013 23:02:32 +0100"}
	if got, ok := p.PublishedGMT(nil); !ok || got.Format(DateLayout) != "2013-11-02 22:02:32" {
		t.Errorf("pubDate = %v, %v", got, ok)
	}
	if d, ok := (Post{PostDate: "2019-05-06 10:00:00", PostDateGMT: "2019-05-06 08:00:00"}).Offset(); !ok || d.Hours() != 2 {
		t.Errorf("offset = %v, %v", d, ok)
	}
	if _, ok := (Post{PostDate: "2019-05-06 10:00:00", PostDateGMT: "0000-00-00 00:00:00"}).Offset(); ok {
		t.Error("offset from an unset date")
	}
	if _, ok := (Comment{Date: "2019-05-09 10:00:00", DateGMT: "2019-05-06 08:00:00"}).Offset(); ok {
		t.Error("offset of three days")
	}
}

func TestJunkBeforeDeclaration(t *testing.T) {
	src, err := os.ReadFile("testdata/wxr10.xml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := readItems(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	junk := "<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent by (output started at /var/www/wp-content/plugins/x.php:12) in <b>/var/www/wp-admin/includes/export.php</b> on line <b>42</b><br />\n"
	got, err := readItems(strings.NewReader(junk + string(src)))
	if err != nil || len(got) != len(want) || got[len(got)-1].(Post).Title != want[len(want)-1].(Post).Title {
		t.Fatalf("with a PHP warning first: %d records, %v", len(got), err)
	}
	// Lines keep their numbers.
	_, err = readItems(strings.NewReader(junk + "<?xml version=\"1.0\"?>\n<rss><channel>\n</rss>"))
	if err == nil || !strings.HasPrefix(err.Error(), "wxr: line 5:") {
		t.Errorf("err = %v, want one on line 5", err)
	}
	// A document without a declaration may quote one.
	doc := "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><wp:wxr_version>1.2</wp:wxr_version>" +
		"<item><content:encoded><![CDATA[<?xml version=\"1.0\"?>]]></content:encoded></item></channel></rss>"
	items, err := readItems(strings.NewReader(doc))
	if err != nil || items[1].(Post).Content != `<?xml version="1.0"?>` {
		t.Errorf("quoted declaration: %v, %v", items, err)
	}
}
