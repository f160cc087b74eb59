package markup

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden outputs from the current renderers")

// TestGolden renders each testdata/golden input with the renderer its name
// selects: x.md → Markdown → x.html, x.comment.txt → Comment →
// x.comment.html, x.wp.txt → HTML → x.wp.html.
func TestGolden(t *testing.T) {
	r := New(Options{ReservedID: testReserved})
	kinds := []struct {
		in, out string
		render  func(string) (string, error)
	}{
		{".md", ".html", r.Markdown},
		{".comment.txt", ".comment.html", func(s string) (string, error) { return r.Comment(s), nil }},
		{".wp.txt", ".wp.html", func(s string) (string, error) { return r.HTML(s), nil }},
	}
	n := 0
	for _, k := range kinds {
		files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"+k.in))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range files {
			n++
			name := strings.TrimSuffix(filepath.Base(in), k.in)
			t.Run(name+k.in, func(t *testing.T) {
				src, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				got, err := k.render(string(src))
				if err != nil {
					t.Fatal(err)
				}
				if why := unsafeReason(got); why != "" {
					t.Errorf("unsafe output: %s", why)
				}
				want := strings.TrimSuffix(in, k.in) + k.out
				if *update {
					if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				exp, err := os.ReadFile(want)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/markup/ -run TestGolden -update)", err)
				}
				if got != string(exp) {
					t.Errorf("%s differs from %s\n--- got:\n%s\n--- want:\n%s", in, want, got, exp)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no golden inputs found")
	}
}

// testReserved stands for web.PageID: a few of the page's ids and the
// comments' ("comment-12").
func testReserved(id string) bool {
	switch id {
	case "main", "comments", "respond":
		return true
	}
	n, ok := strings.CutPrefix(id, "comment-")
	return ok && n != "" && strings.Trim(n, "0123456789") == ""
}

// TestReservedIDsInRawHTML: raw HTML in either kind of body cannot take
// the page's ids either.
func TestReservedIDsInRawHTML(t *testing.T) {
	r := New(Options{ReservedID: testReserved})
	md, _ := r.Markdown("<div id=\"respond\">x</div>\n\n<p id=\"intro\">y</p>")
	wp := r.HTML(`<h2 id="comments">Notes</h2><p id="main">z</p><a id="comment-7" href="#x">w</a>`)
	for _, c := range []struct{ got, want string }{
		{md, `id="respond-1"`}, {md, `id="intro"`}, {wp, `id="comments-1"`}, {wp, `id="main-1"`}, {wp, `id="comment-7-1"`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%q lacks %s", c.got, c.want)
		}
	}
}
