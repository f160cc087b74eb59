package markup

import (
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"marquee/internal/fixture"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The review is shared material and must not be copied into the project, so
// its rendering is checked by properties rather than against a golden file.
func loadReview(t *testing.T) (title, body string) {
	t.Helper()
	b, err := os.ReadFile(fixture.Path(t, "fixtures/posts/la-la-land-review.txt"))
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ = strings.Cut(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	return title, body
}

// blocks splits text as Markdown does into paragraphs: at blank lines.
func blocks(body string) [][]string {
	var out [][]string
	for _, b := range regexp.MustCompile(`\n[ \t]*\n`).Split(body, -1) {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, strings.Split(b, "\n"))
		}
	}
	return out
}

func TestReview(t *testing.T) {
	title, body := loadReview(t)
	if title == "" {
		t.Fatal("empty title line")
	}
	r := New(Options{})
	out, err := r.Markdown(body)
	if err != nil {
		t.Fatal(err)
	}
	if why := unsafeReason(out); why != "" {
		t.Fatal(why)
	}
	bl := blocks(body)

	t.Run("every block is a paragraph", func(t *testing.T) {
		nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err != nil {
			t.Fatal(err)
		}
		var ps int
		for _, n := range nodes {
			switch {
			case n.Type == html.ElementNode && n.DataAtom == atom.P:
				ps++
			case n.Type == html.TextNode && strings.TrimSpace(n.Data) == "":
			default:
				t.Errorf("top-level node %q is not a <p>", n.Data)
			}
		}
		if ps != len(bl) {
			t.Errorf("%d paragraphs, want %d (blank-line-separated blocks)", ps, len(bl))
		}
	})

	t.Run("apostrophes", func(t *testing.T) {
		if got, want := strings.Count(out, "’"), strings.Count(body, "’"); got != want || want == 0 {
			t.Errorf("%d curly apostrophes, source has %d", got, want)
		}
		if strings.Contains(out, "'") || strings.Contains(out, "&#39;") || strings.Contains(out, "&rsquo;") {
			t.Error("straight or entity apostrophe in output")
		}
		// Typed with straight quotes, the review must come out the same.
		straight, err := r.Markdown(strings.ReplaceAll(body, "’", "'"))
		if err != nil {
			t.Fatal(err)
		}
		if straight != out {
			t.Error("straight apostrophes did not all become ’")
		}
	})

	t.Run("single newlines are line breaks", func(t *testing.T) {
		var breaks int
		for _, b := range bl {
			breaks += len(b) - 1
			for i := 1; i < len(b); i++ {
				prev, next := strings.Fields(b[i-1]), strings.Fields(b[i])
				seam := html.EscapeString(prev[len(prev)-1]) + "<br>\n" + html.EscapeString(next[0])
				if !strings.Contains(out, seam) {
					t.Errorf("no line break at %q", seam)
				}
			}
		}
		if breaks == 0 {
			t.Fatal("the review has no single line breaks; the closing verse should")
		}
		if got := strings.Count(out, "<br>"); got != breaks {
			t.Errorf("%d <br>, want %d", got, breaks)
		}
	})

	t.Run("as WordPress HTML", func(t *testing.T) {
		wp := r.HTML(body)
		if got := strings.Count(wp, "<p>"); got != len(bl) {
			t.Errorf("HTML: %d paragraphs, want %d", got, len(bl))
		}
		if PlainText(wp) != PlainText(out) {
			t.Error("HTML and Markdown renderings differ in text")
		}
	})

	t.Run("text helpers", func(t *testing.T) {
		words := len(strings.Fields(body))
		if got := WordCount(out); got != words {
			t.Errorf("WordCount = %d, want %d", got, words)
		}
		if got, want := ReadingTime(out), (words+WordsPerMinute-1)/WordsPerMinute; got != want {
			t.Errorf("ReadingTime = %d, want %d", got, want)
		}
		ex := Excerpt(out, 30)
		if !strings.HasSuffix(ex, "…") || len(strings.Fields(ex)) != 30 {
			t.Errorf("Excerpt = %q", ex)
		}
	})
}

// TestConcurrent shares one Renderer across goroutines; run with -race.
func TestConcurrent(t *testing.T) {
	r := New(Options{})
	inputs := loadXSS(t)[:40]
	inputs = append(inputs, "# T\n\nIt's *fine*[^1].\n\n[^1]: n", "a\nb\n\nc")
	want := make([]string, len(inputs))
	for i, in := range inputs {
		md, _ := r.Markdown(in)
		want[i] = md + r.HTML(in) + r.Comment(in)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, in := range inputs {
				md, _ := r.Markdown(in)
				if got := md + r.HTML(in) + r.Comment(in); got != want[i] {
					t.Errorf("concurrent render of %q differs", in)
				}
			}
		}()
	}
	wg.Wait()
}
