package wxr

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// genExport writes a synthetic export of n posts with c comments each to
// w, as a WordPress site of that size would export it.
func genExport(w io.Writer, n, c int) error {
	x, err := NewWriter(w, Site{Title: "Bench", Link: "https://bench.example", Language: "en",
		BaseSiteURL: "https://bench.example", BaseBlogURL: "https://bench.example"})
	if err != nil {
		return err
	}
	for i := range 5 {
		x.WriteAuthor(Author{ID: int64(i + 1), Login: fmt.Sprint("author", i), Email: fmt.Sprintf("a%d@bench.example", i)})
	}
	for i := range 20 {
		x.WriteCategory(Category{TermID: int64(i + 1), Nicename: fmt.Sprint("cat-", i), Name: fmt.Sprint("Category ", i)})
	}
	para := "<p>Λορεμ ipsum dolor sit amet, consectetur adipiscing elit &amp; sed do eiusmod; " +
		"a[b[i]]> 0 splits the CDATA. Ut enim ad minim veniam, quis nostrud exercitation.</p>\n"
	content := strings.Repeat(para, 12) // ≈ 2 KB
	p := Post{
		Creator: "author1", PubDate: "Wed, 01 May 2024 06:00:00 +0000", Content: content,
		Excerpt: "An excerpt.", PostDate: "2024-05-01 09:00:00", PostDateGMT: "2024-05-01 06:00:00",
		PostModified: "2024-05-01 09:00:00", PostModifiedGMT: "2024-05-01 06:00:00",
		CommentStatus: "open", PingStatus: "open", Status: "publish", Type: "post",
		Categories: []PostCategory{{"category", "cat-1", "Category 1"}, {"post_tag", "go", "Go"}},
		Meta:       []Meta{{"_edit_last", "1"}, {"_thumbnail_id", "42"}, {"views", `a:1:{s:5:"count";i:7;}`}},
		Comments:   make([]Comment, c),
	}
	for j := range p.Comments {
		p.Comments[j] = Comment{ID: int64(j + 1), Author: "Reader", AuthorEmail: "r@example.net",
			AuthorURL: "https://r.example.net/", AuthorIP: "192.0.2.1", Date: "2024-05-02 10:00:00",
			DateGMT: "2024-05-02 07:00:00", Content: "A reasonably short comment, as most are.",
			Approved: "1", Type: "comment", Parent: int64(j / 2)}
	}
	for i := range n {
		p.ID = int64(i + 1)
		p.Title = fmt.Sprint("Post number ", i)
		p.Name = fmt.Sprint("post-", i)
		p.Link = "https://bench.example/" + p.Name + "/"
		p.GUID = fmt.Sprint("https://bench.example/?p=", i)
		if err := x.WritePost(p); err != nil {
			return err
		}
	}
	return x.Close()
}

func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	if err := genExport(&buf, 1000, 10); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var records int
	for b.Loop() {
		rd := NewReader(bytes.NewReader(data))
		records = 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(records), "records/op")
}

func BenchmarkWriter(b *testing.B) {
	var buf bytes.Buffer
	genExport(&buf, 1000, 10)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := genExport(io.Discard, 1000, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConstantMemory streams a large export through an io.Pipe and checks
// that the live heap does not grow with the size of the document.
func TestConstantMemory(t *testing.T) {
	posts := 8000 // ≈ 95 MB
	if testing.Short() {
		posts = 800
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(genExport(pw, posts, 10)) }()

	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	base := heap()
	var peak uint64
	rd := NewReader(pr)
	n := 0
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := it.(Post); ok {
			if n++; n%1000 == 0 {
				peak = max(peak, heap())
			}
		}
	}
	if n != posts {
		t.Fatalf("read %d posts, want %d", n, posts)
	}
	read, _ := rd.d.InputPos()
	t.Logf("%d posts, %d lines, %.0f MB read; heap in use %.1f MB at start, peak %.1f MB",
		n, read, float64(rd.d.InputOffset())/1e6, float64(base)/1e6, float64(peak)/1e6)
	if limit := base + 8<<20; peak > limit {
		t.Errorf("heap in use grew to %d bytes (start %d): the Reader holds on to the document", peak, base)
	}
}

// FuzzReader checks that no input makes the Reader panic or loop, and that
// whatever it reads survives a trip through the Writer unchanged.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"wxr10.xml", "wxr11.xml", "wxr12_https.xml", "truncated.xml",
		"not-xml.txt", "rss-not-wxr.xml", "html.html", "latin1.xml", "latin1-mixed.xml", "utf16.xml", "dirty-utf8.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&#13;&#0;&nbsp;</title><wp:post_id>x</wp:post_id></item></channel></rss>`))
	f.Add([]byte(`<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&#13;a&#13;&#10;b &hellip;</title><category domain="&foo;">x</category></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data))
		var items []Item
		clean := true
		// Every call consumes input, so len(data)+2 calls must reach the end.
		for range len(data) + 2 {
			it, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if rd.err == nil { // a bad field value: the Reader goes on
					clean = false
					continue
				}
				return
			}
			items = append(items, it)
		}
		if rd.err != io.EOF {
			t.Fatalf("Reader did not finish after %d calls", len(data)+2)
		}
		if !clean || len(items) == 0 {
			return
		}
		items = sortRecords(items)
		out := writeAll(t, items)
		again, err := readItems(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-reading written output: %v\n%s", err, out)
		}
		want := normalize(items)
		if !reflect.DeepEqual(want, again) {
			t.Fatalf("round trip changed records:\n%#v\n%#v", want, again)
		}
	})
}

// sortRecords puts records in the order the Writer requires, keeping the
// order within each kind.
func sortRecords(items []Item) []Item {
	rank := func(it Item) int {
		switch it.(type) {
		case Site:
			return 0
		case Author:
			return 1
		case Category:
			return 2
		case Tag:
			return 3
		case Term:
			return 4
		}
		return 5
	}
	var out []Item
	for r := range 6 {
		for _, it := range items {
			if rank(it) == r {
				out = append(out, it)
			}
		}
	}
	return out
}

// normalize returns items as the Writer and a new Reader will render them:
// version 1.2, line ends as XML reads them, forbidden characters replaced.
func normalize(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		v := reflect.New(reflect.TypeOf(it)).Elem()
		v.Set(reflect.ValueOf(it))
		normalizeValue(v)
		out[i] = v.Interface().(Item)
	}
	s := out[0].(Site)
	s.WXRVersion = "1.2"
	out[0] = s
	return out
}

func normalizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		s := strings.ReplaceAll(v.String(), "\r\n", "\n")
		v.SetString(sanitize(strings.ReplaceAll(s, "\r", "\n")))
	case reflect.Struct:
		for i := range v.NumField() {
			normalizeValue(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			normalizeValue(c.Index(i))
		}
		v.Set(c)
	}
}
